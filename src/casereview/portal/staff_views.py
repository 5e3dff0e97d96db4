"""What the person sent from their own view, as the staff see it (ADR 0072): the case page's
section (`case_section`, registered at ready()), a diary entry's page where the SPOC marks it
reviewed or turns it into an incident, and a cleared upload's download.

Every page reaches the case through `case_get_for_user` (out of scope: 404, and the access log),
then asks the portal's rules (portal/rules.py): a member of staff who may see the case but not
what the victim sent gets a 403 that says who can. A held or refused upload is never served; a
cleared one whose stored file is missing or changed gets the clear "not available" page.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from casereview.applications.selectors import case_get_for_user
from casereview.audit.services import access_event_record
from casereview.web.forms import add_service_errors
from casereview.web.views import file_missing_page

from . import selectors, services
from .forms import DiaryIncidentForm
from .models import ScanStatus

WHO_MAY = {
    "portal.see_sent_items": "Only the partnership's community safety staff (the SPOC, community safety "
    "managers, senior managers) see what the victim sent from their own view. Ask the case's SPOC.",
    "portal.review_diary": "Only the case's SPOC, or a community safety manager covering, reviews what "
    "the victim sent. Ask them.",
    "portal.diary_to_incident": "Only the case's SPOC, or a community safety manager covering, adds "
    "incidents, and only while the case is open. Ask them.",
}


def _require(request, permission: str, case) -> None:
    if not request.user.has_perm(permission, case):
        raise PermissionDenied(WHO_MAY[permission])


def _case_url(case) -> str:
    """The case's page for this section (ADR 0093)."""
    return reverse("applications:section", args=[case.reference, "own_view"])


def case_section(request, case):
    """The case page's section: for the partnership's caseworkers only (None hides it)."""
    if not request.user.has_perm("portal.see_sent_items", case):
        return None
    items = selectors.sent_items_for_case(case)
    return {
        "items": items,
        "can_review": request.user.has_perm("portal.review_diary", case),
    }


def _entry(request, reference: str, diary_entry_id: int, *, purpose: str):
    case = case_get_for_user(request.user, reference, purpose=purpose)
    _require(request, "portal.see_sent_items", case)
    entry = selectors.diary_entry_of_case(case, diary_entry_id)
    if entry is None:
        raise Http404("No such diary entry on this case")
    return case, entry


@login_required
@require_http_methods(["GET", "POST"])
def diary_entry(request, reference: str, diary_entry_id: int):
    """The entry in full; the SPOC turns it into an incident here (the form posts to this page)."""
    case, entry = _entry(request, reference, diary_entry_id, purpose="Diary entry from the victim's own view")
    can_review = request.user.has_perm("portal.review_diary", case)
    can_add = request.user.has_perm("portal.diary_to_incident", case)
    form = DiaryIncidentForm(
        request.POST if request.method == "POST" else None,
        initial={"description": entry.what_happened, "location": entry.where},
    )
    if request.method == "POST":
        _require(request, "portal.diary_to_incident", case)
        if form.is_valid():
            try:
                entry = services.diary_entry_incident(entry=entry, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Incident {entry.incident_ref} added to the case from the diary entry. "
                    "Add who it was reported to, if anyone.",
                )
                return redirect(
                    "applications:report_add", reference=case.reference, incident_ref=entry.incident_ref
                )
    return render(
        request,
        "portal/staff/diary_entry.html",
        {
            "application": case,
            "entry": entry,
            "form": form,
            "can_review": can_review and entry.reviewed_at is None,
            "can_add": can_add and entry.reviewed_at is None,
            "page_error": bool(form.errors),
        },
        status=200,
    )


@login_required
@require_POST
def diary_entry_reviewed(request, reference: str, diary_entry_id: int):
    case, entry = _entry(request, reference, diary_entry_id, purpose="Diary entry from the victim's own view")
    _require(request, "portal.review_diary", case)
    try:
        services.diary_entry_review(entry=entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The diary entry of {entry.occurred_on:%-d %B %Y} is marked reviewed.")
    return redirect(_case_url(case))


@login_required
def upload_download(request, reference: str, upload_id: int):
    """A cleared upload, as an attachment (nosniff, no cache, sandboxed). Held or refused: a page
    saying so, never the file. Missing or changed on disk: the "not available" page (404)."""
    case = case_get_for_user(request.user, reference, purpose="File sent from the victim's own view")
    _require(request, "portal.see_sent_items", case)
    upload = selectors.upload_of_case(case, upload_id)
    if upload is None:
        raise Http404("No such upload on this case")
    if upload.scan_status != ScanStatus.CLEAN:
        return render(
            request,
            "portal/staff/upload_not_served.html",
            {"application": case, "upload": upload, "back_url": _case_url(case)},
            status=409,
        )
    missing = {
        "what": "file sent from the victim's own view",
        "label": f"own view upload {upload.pk}",
        "reference": case.reference,
        "partnership": case.partnership,
        "back_url": _case_url(case),
    }
    path = services.upload_path(upload)
    try:
        content = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return file_missing_page(request, **missing)
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        return file_missing_page(request, damaged=True, **missing)
    access_event_record(
        action="download",  # audit.models.Action.DOWNLOAD
        request=request,
        obj=upload,
        summary=f"File {upload.pk} sent from the victim's own view downloaded",
        purpose="Reviewing what the victim sent",
    )
    response = FileResponse(
        BytesIO(content), as_attachment=True, filename=upload.original_name, content_type=upload.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
