"""The cuckooing address tracker's pages (docs/tracker.md). Who may see any of it is
`selectors.may_use_tracker`; an entry out of scope is a 404 (whatever the method: the read-only
pages take no method decorator, so a POST out of scope is a 404 too, never a 405 that confirms
the entry exists), and every page that shows personal data writes the access log."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casereview.audit.services import Action, access_event_record
from casereview.web.forms import add_service_errors
from casereview.web.pagination import CappedPaginator

from . import forms as f
from . import selectors, services
from .models import TrackerStatus


def _require_tracker(user) -> None:
    # Not a member of the tracker's panel: the tracker does not exist for them (a 404, not a 403).
    if not selectors.may_use_tracker(user):
        raise Http404("No such page")


def _errors(*forms_) -> list[dict]:
    out = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for name, errors in form.errors.items():
            for error in errors:
                out.append({"text": error, "href": f"#id_{name}" if name != "__all__" else None})
    return out


def _page(request, template, context):
    context.setdefault(
        "errors", _errors(*[v for v in context.values() if hasattr(v, "errors") and hasattr(v, "is_bound")])
    )
    context.setdefault("page_error", bool(context["errors"]))
    context.setdefault("panel", selectors.tracker_panel(request.user.partnership))
    return render(request, template, context)


@login_required
def entry_list(request):
    _require_tracker(request.user)
    wards = selectors.wards_of(request.user)
    form = f.FilterForm(request.GET or None, wards=wards)
    status = ward = ""
    if form.is_bound and form.is_valid():
        status, ward = form.cleaned_data["status"], form.cleaned_data["ward"]
    entries = selectors.entries_list(request.user, status=status, ward=ward)
    page = CappedPaginator(entries, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    access_event_record(
        action=Action.SEARCH,
        request=request,
        summary=f"Cuckooing tracker listed: {len(page.object_list)} address(es) shown",
        purpose="Cuckooing tracker",
        details={"status": status, "ward": ward, "shown": [e.pk for e in page.object_list]},
    )
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("ward", ward)) if v)
    return _page(
        request,
        "tracker/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": bool(status or ward),
            "errors": [],
            "closure_in_force": selectors.closure_in_force_on(request.user, page.object_list),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request):
    _require_tracker(request.user)
    form = f.AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_add(
                partnership=request.user.partnership,
                data=services.AddressData(**form.cleaned_data),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The address is on the tracker, open.")
            return redirect("tracker:entry", entry.pk)
    return _page(request, "tracker/form.html", {"form": form, "title": "Add an address to the tracker"})


@login_required
def entry_detail(request, entry_id: int):
    _require_tracker(request.user)
    entry = selectors.entry_get_for_user(request.user, entry_id)
    timeline = selectors.entry_timeline(entry)
    return _page(
        request,
        "tracker/entry.html",
        {
            "entry": entry,
            "timeline": list(reversed(timeline)),
            "history": [e for e in timeline if e.kind in ("visit", "warrant")],
            "closures": selectors.entry_closures(request.user, entry),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id: int):
    _require_tracker(request.user)
    entry = selectors.entry_get_for_user(request.user, entry_id, purpose="Cuckooing tracker: change details")
    form = f.EntryEditForm(request.POST or None, initial=f.EntryEditForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_edit(
                entry=entry, read_version=form.read_version, actor=request.user, **form.values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The details are saved.")
            return redirect("tracker:entry", entry.pk)
    return _page(request, "tracker/form.html", {"form": form, "entry": entry, "title": "Change the details"})


@login_required
@require_http_methods(["GET", "POST"])
def entry_status(request, entry_id: int):
    """Change the status. Archiving asks for a reason, then for confirmation (a second post with
    `confirmed`): archived addresses leave the tracker's count, though a new report re-opens them."""
    _require_tracker(request.user)
    entry = selectors.entry_get_for_user(request.user, entry_id, purpose="Cuckooing tracker: change status")
    form = f.StatusForm(request.POST or None, initial=f.StatusForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        status, reason = form.cleaned_data["status"], form.cleaned_data["reason"]
        asks_to_archive = status == TrackerStatus.ARCHIVED and reason.strip() and entry.status != status
        if asks_to_archive and request.POST.get("confirmed") != "yes" and entry.version == form.read_version:
            return _page(request, "tracker/archive_confirm.html", {"entry": entry, "form": form})
        try:
            services.entry_status_change(
                entry=entry, read_version=form.read_version, status=status, reason=reason, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The address is now {services.STATUS_WORDS[status]}.")
            return redirect("tracker:entry", entry.pk)
    return _page(request, "tracker/status.html", {"form": form, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def entry_history_add(request, entry_id: int):
    _require_tracker(request.user)
    entry = selectors.entry_get_for_user(request.user, entry_id, purpose="Cuckooing tracker: record a visit")
    form = f.HistoryForm(request.POST or None, partnership=request.user.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_history_add(entry=entry, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The visit or warrant is recorded.")
            return redirect("tracker:entry", entry.pk)
    return _page(
        request, "tracker/form.html", {"form": form, "entry": entry, "title": "Record a visit or a warrant"}
    )


@login_required
def figures(request):
    _require_tracker(request.user)
    data = selectors.tracker_figures(request.user.partnership_id, timezone.localdate())
    access_event_record(
        action=Action.VIEW, request=request, summary="Cuckooing tracker figures", purpose="Cuckooing tracker"
    )
    return _page(request, "tracker/figures.html", {"figures": data, "errors": []})


@login_required
def figures_csv(request):
    _require_tracker(request.user)
    data = selectors.tracker_figures(request.user.partnership_id, timezone.localdate())
    access_event_record(
        action=Action.EXPORT,
        request=request,
        summary="Cuckooing tracker figures (CSV)",
        purpose="Cuckooing tracker",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cuckooing-tracker-figures.csv"'
    writer = csv.writer(response)
    writer.writerow(["date", "open", "monitoring", "archived", "on_tracker"])
    for day, counts in data["months"]:
        writer.writerow(
            [
                day.isoformat(),
                counts["open"],
                counts["monitoring"],
                counts["archived"],
                counts["open"] + counts["monitoring"],
            ]
        )
    return response
