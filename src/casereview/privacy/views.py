"""Data protection pages: evidence files, a case's data protection record (consent, legal holds,
special category data), the data subject request register with subject access exports, and the
retention schedule's dry run. Every case is reached through application_get_for_user (404 out of
scope); every action is checked with the `rules` permissions in privacy/rules.py."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from casereview.applications.selectors import (
    application_get_for_user,
    applications_visible_to,
    people_matching,
)
from casereview.audit.services import Action, access_event_record
from casereview.web.forms import add_service_errors
from casereview.web.pdf import html_to_pdf
from casereview.web.views import file_missing_page

from . import retention, services
from .forms import (
    DataSubjectRequestForm,
    DataSubjectRequestUpdateForm,
    EvidenceForm,
    SensitiveInformationForm,
)
from .models import DataSubjectRequest, EvidenceFile, LegalHold, SensitiveInformation
from .subject_access import contributed_sections, perpetrator_subject_access_export, subject_access_export


def _require(user, perm, obj=None):
    """A permission the user lacks on a case they can see: 404 like everything else out of scope,
    so the response never says what exists."""
    if not user.has_perm(perm, obj):
        raise Http404("Not available")


@login_required
def evidence_download(request, evidence_id: int):
    """Serve one evidence file, only through the case access check: attachment, nosniff, no cache."""
    evidence = EvidenceFile.objects.filter(pk=evidence_id).select_related("application").first()
    if evidence is None:
        raise Http404("No such file")
    application_get_for_user(request.user, evidence.application.reference, purpose="Evidence file download")
    path = services.evidence_file_path(evidence)
    if not path.is_file():
        application = evidence.application
        return file_missing_page(
            request,
            what="evidence file",
            label=f"evidence file {evidence.pk}",
            reference=application.reference,
            partnership=application.partnership,
            back_url=reverse("applications:detail", args=[application.reference]),
        )
    access_event_record(
        action=Action.DOWNLOAD,
        request=request,
        obj=evidence,
        summary=f"Evidence file {evidence.pk} downloaded",
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def case_record(request, reference: str, *, sensitive_form=None, status: int = 200):
    """A case's data protection record (`sensitive_form`: the special category form as posted, when
    it was refused)."""
    application = application_get_for_user(request.user, reference, purpose="Data protection record")
    user = request.user
    if not (user.has_perm("privacy.manage_consent") or user.has_perm("privacy.view_special_category")):
        raise Http404("Not available")
    sensitive = []
    if user.has_perm("privacy.view_special_category", application):
        sensitive = list(
            SensitiveInformation.objects.filter(application=application).select_related(
                "person", "perpetrator"
            )
        )
        if sensitive:
            access_event_record(
                action=Action.VIEW,
                request=request,
                obj=application,
                summary="Special category information shown",
                purpose="Risk and vulnerability assessment",
            )
    return render(
        request,
        "privacy/case_record.html",
        {
            "application": application,
            "withdrawal": services.consent_active_withdrawal(application),
            "withdrawals": application.consent_withdrawals.all(),
            "holds": application.legal_holds.all(),
            "sensitive": sensitive,
            "evidence": application.evidence_files.all(),
            "evidence_form": EvidenceForm(),
            "sensitive_form": sensitive_form
            or SensitiveInformationForm(
                initial={
                    "version": services.sensitive_version(
                        services.sensitive_information_held(
                            application=application, person=application.victim
                        )
                    )
                }
            ),
            "can_manage_consent": user.has_perm("privacy.manage_consent", application),
            "can_hold": user.has_perm("privacy.manage_legal_hold", application),
            "can_add_evidence": user.has_perm("privacy.add_evidence", application),
            "can_record_sensitive": user.has_perm("privacy.record_special_category", application),
            "perpetrator_exports": application.perpetrators.order_by("id")
            if user.has_perm("privacy.manage_data_subject_requests")
            else [],
            "today": timezone.localdate(),
        },
        status=status,
    )


def _post_case(request, reference, perm):
    application = application_get_for_user(request.user, reference, purpose="Data protection record change")
    _require(request.user, perm, application)
    return application


def _back(reference):
    return redirect("privacy:case", reference=reference)


@login_required
@require_POST
def consent_withdraw(request, reference: str):
    application = _post_case(request, reference, "privacy.manage_consent")
    try:
        withdrawn_on = dt.date.fromisoformat(
            request.POST.get("withdrawn_on") or timezone.localdate().isoformat()
        )
        services.consent_withdraw(
            application=application,
            withdrawn_on=withdrawn_on,
            how=request.POST.get("how", ""),
            notes=request.POST.get("notes", ""),
            actor=request.user,
        )
    except (ValueError, ValidationError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "Consent withdrawal recorded. Partner agencies no longer have access.")
    return _back(reference)


@login_required
@require_POST
def consent_reinstate(request, reference: str, withdrawal_id: int):
    application = _post_case(request, reference, "privacy.manage_consent")
    withdrawal = get_object_or_404(
        application.consent_withdrawals, pk=withdrawal_id, reinstated_at__isnull=True
    )
    try:
        services.consent_reinstate(
            withdrawal=withdrawal, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "Consent to sharing recorded as given again.")
    return _back(reference)


@login_required
@require_POST
def legal_hold_place(request, reference: str):
    application = _post_case(request, reference, "privacy.manage_legal_hold")
    try:
        services.legal_hold_place(
            application=application, reason=request.POST.get("reason", ""), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "Legal hold placed. The record will not be deleted while it stands.")
    return _back(reference)


@login_required
@require_POST
def legal_hold_lift(request, reference: str, hold_id: int):
    application = _post_case(request, reference, "privacy.manage_legal_hold")
    hold = get_object_or_404(LegalHold, pk=hold_id, application=application)
    try:
        services.legal_hold_lift(hold=hold, reason=request.POST.get("lifted_reason", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "Legal hold lifted.")
    return _back(reference)


@login_required
@require_POST
def evidence_upload(request, reference: str):
    application = _post_case(request, reference, "privacy.add_evidence")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.evidence_file_add(
                application=application,
                name=upload.name,
                content=upload.read(),
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, "Evidence file added.")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return _back(reference)


@login_required
@require_POST
def sensitive_record(request, reference: str):
    application = _post_case(request, reference, "privacy.record_special_category")
    held = services.sensitive_information_held(application=application, person=application.victim)
    form = SensitiveInformationForm(request.POST, initial={"version": services.sensitive_version(held)})
    if form.is_valid():
        try:
            services.sensitive_information_record(
                application=application,
                person=application.victim,
                actor=request.user,
                read_version=form.read_version,
                **form.values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return case_record(request, reference, sensitive_form=form, status=409)
        messages.success(request, "Special category information recorded.")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return _back(reference)


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return "Enter a real date, for example 27 3 2025" if isinstance(exc, ValueError) else str(exc)


# --- The data protection officer's pages ---------------------------------------------------------


def _dpo(request, perm="privacy.manage_data_subject_requests"):
    if not request.user.has_perm(perm):
        raise Http404("Not available")
    return request.user.partnership


@login_required
def dashboard(request):
    partnership = _dpo(request)
    open_requests = DataSubjectRequest.objects.filter(partnership=partnership).exclude(
        status__in=["completed", "refused"]
    )
    return render(
        request,
        "privacy/dashboard.html",
        {
            "open_requests": open_requests.count(),
            "overdue_requests": open_requests.filter(due_on__lt=timezone.localdate()).count(),
            "holds": LegalHold.objects.filter(
                application__partnership=partnership, lifted_at__isnull=True
            ).count(),
        },
    )


@login_required
def requests_list(request):
    partnership = _dpo(request)
    rows = DataSubjectRequest.objects.filter(partnership=partnership)
    status = request.GET.get("status", "open")
    if status == "open":
        rows = rows.exclude(status__in=["completed", "refused"])
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request, "privacy/requests.html", {"page": page, "status": status, "today": timezone.localdate()}
    )


@login_required
def request_new(request):
    partnership = _dpo(request)
    query = request.GET.get("person", "").strip()
    people = []
    if query:
        people = list(people_matching(partnership=partnership, query=query)[:20])
    form = DataSubjectRequestForm(
        request.POST or None, partnership=partnership, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.data_subject_request_record(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Request recorded. It is due by {created.due_on:%-d %B %Y}.")
            return redirect("privacy:request", request_id=created.pk)
    return render(request, "privacy/request_new.html", {"form": form, "people": people, "query": query})


def _own_request(request, request_id):
    partnership = _dpo(request)
    return get_object_or_404(DataSubjectRequest, pk=request_id, partnership=partnership)


@login_required
def request_detail(request, request_id: int):
    dsr = _own_request(request, request_id)
    form = DataSubjectRequestUpdateForm(
        request.POST or None, initial=DataSubjectRequestUpdateForm.initial_for(dsr)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.data_subject_request_update(
                request=dsr, actor=request.user, read_version=form.read_version, **form.values
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Request updated.")
            return redirect("privacy:request", request_id=dsr.pk)
    return render(
        request, "privacy/request_detail.html", {"dsr": dsr, "form": form, "today": timezone.localdate()}
    )


def _export_for(request, dsr):
    if dsr.person is None:
        raise Http404("No person is linked to this request")
    access_event_record(
        action=Action.SUBJECT_ACCESS,
        request=request,
        obj=dsr.person,
        summary=f"Subject access export for request {dsr.pk}",
        purpose="Responding to a subject access request",
        lawful_basis="ukgdpr_art15_17",
    )
    return subject_access_export(dsr.person)


@login_required
def request_export_json(request, request_id: int):
    dsr = _own_request(request, request_id)
    data = _export_for(request, dsr)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{dsr.pk}.json"'
    return response


@login_required
def request_export_pdf(request, request_id: int):
    dsr = _own_request(request, request_id)
    data = _export_for(request, dsr)
    html = render_to_string(
        "privacy/subject_access_pdf.html",
        {"data": data, "sections": contributed_sections(data), "dsr": dsr, "today": timezone.localdate()},
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{dsr.pk}.pdf"'
    return response


@login_required
def request_erase(request, request_id: int):
    """Act on an erasure request: shows exactly what would be deleted, and deletes it only when
    the DPO confirms. Refused (with why) while a case is open or held."""
    dsr = _own_request(request, request_id)
    if dsr.kind != "erasure" or dsr.person is None or not dsr.is_open:
        raise Http404("Not an open erasure request linked to a person")
    cases, blockers = retention.erasure_plan(dsr.person)
    if request.method == "POST" and not blockers:
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Confirm that you want to delete these records")
        else:
            done = retention.erase_person(dsr.person, request_pk=dsr.pk, actor=request.user)
            services.data_subject_request_update(
                request=dsr, status="completed", outcome="Erased: " + "; ".join(done), actor=request.user
            )
            messages.success(request, "The records were erased and the request completed.")
            return redirect("privacy:request", request_id=dsr.pk)
    return render(request, "privacy/request_erase.html", {"dsr": dsr, "cases": cases, "blockers": blockers})


@login_required
def retention_dry_run(request):
    partnership = _dpo(request, "privacy.run_retention")
    today = timezone.localdate()
    plan = retention.plan(today=today, partnership=partnership)
    return render(
        request,
        "privacy/retention.html",
        {
            "plan": plan,
            "log_plan": retention.log_plan(today=today, partnership=partnership),
            "other_plans": retention.registered_plans(today=today, partnership=partnership),
            "today": today,
            "schedule": retention.schedule(),
        },
    )


@login_required
def my_cases_with_holds(request):
    """Legal holds on cases the user can see."""
    _dpo(request, "privacy.manage_legal_hold")
    visible = applications_visible_to(request.user)
    holds = LegalHold.objects.filter(application__in=visible, lifted_at__isnull=True).select_related(
        "application"
    )
    return render(request, "privacy/holds.html", {"holds": holds})


def _perpetrator_export(request, reference: str, perpetrator_id: int, *, form: str):
    """The alleged perpetrator and their export, for the data protection officer only, the export
    recorded in the access log (`form`: "JSON" or "PDF")."""
    _dpo(request)
    application = application_get_for_user(
        request.user, reference, purpose="Responding to a subject access request"
    )
    perpetrator = application.perpetrators.filter(pk=perpetrator_id).first()
    if perpetrator is None:
        raise Http404("No such alleged perpetrator on this case")
    access_event_record(
        action=Action.SUBJECT_ACCESS,
        request=request,
        obj=perpetrator,
        summary=f"Subject access export ({form}) for an alleged perpetrator of {application.reference}",
        purpose="Responding to a subject access request",
        lawful_basis="ukgdpr_art15_17",
    )
    return application, perpetrator, perpetrator_subject_access_export(perpetrator)


@login_required
def perpetrator_export_json(request, reference: str, perpetrator_id: int):
    """An alleged perpetrator's own subject access export, for the data protection officer: what
    the case holds about them, the victim's and the applicant's details withheld (subject_access)."""
    application, perpetrator, data = _perpetrator_export(request, reference, perpetrator_id, form="JSON")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{application.reference}-perpetrator-{perpetrator.pk}.json"'
    )
    return response


def perpetrator_export_html(data: dict, *, today: dt.date) -> str:
    """The readable export as the PDF lays it out: made from the JSON export only, so it holds
    exactly what the JSON holds, redacted the same way."""
    return render_to_string("privacy/perpetrator_subject_access_pdf.html", {"data": data, "today": today})


@login_required
def perpetrator_export_pdf(request, reference: str, perpetrator_id: int):
    """The same export as a readable PDF (as the victim's and the applicant's, `request_export_pdf`)."""
    application, perpetrator, data = _perpetrator_export(request, reference, perpetrator_id, form="PDF")
    response = HttpResponse(
        html_to_pdf(perpetrator_export_html(data, today=timezone.localdate())), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{application.reference}-perpetrator-{perpetrator.pk}.pdf"'
    )
    return response
