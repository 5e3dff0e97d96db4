"""Review pages. Thin: each finds the case through `application_get_for_user` (a case out of the
user's scope is a 404), checks what the user may do, and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from casereview.actions.services import ActionKind, action_reassign
from casereview.applications.selectors import (
    Status,
    application_get_for_user,
    applications_visible_to,
    dangers_for,
)
from casereview.letters.checks import SAVE_ANYWAY_OFFERED, offer_save_anyway, shared_text_warning
from casereview.web.concurrency import submission_token_from, submission_token_new
from casereview.web.forms import add_service_errors
from casereview.web.pagination import CappedPaginator

from . import risk, services
from .clocks import review_clocks
from .forms import (
    ActionReassignForm,
    AgencyResponseForm,
    ContactAttemptForm,
    InformationRequestForm,
    InterimActionForm,
    RequestReassignForm,
    RiskAssessmentForm,
    SpocAppointForm,
    SupportReferralForm,
    UnreachableForm,
    VictimContactForm,
)
from .models import InformationRequest
from .permissions import can_appoint_spoc, can_run_review, can_see_review_record
from .selectors import (
    contact_efforts,
    duties_to_reassign,
    information_request_get_for_user,
    information_requests_search,
    review_summary,
    spoc_candidates,
)

PAGE_SIZE = 25


def _case_url(application) -> str:
    return reverse("reviews:case", args=[application.reference])


def _runner_case(request, reference):
    application = application_get_for_user(request.user, reference)
    if not can_run_review(request.user, application):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can do this.")
    return application


def _form_page(request, template, context, form):
    context = {**context, "form": form, "page_error": bool(form.errors)}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def review_list(request):
    """Cases in review: the SPOC's own first; search by reference."""
    q = request.GET.get("q", "").strip()
    mine = request.GET.get("mine") == "1"
    cases = (
        applications_visible_to(request.user)
        .filter(status__in=(Status.ACCEPTED, Status.IN_REVIEW, Status.PANEL_HELD, Status.MONITORING))
        .select_related("spoc")
    )
    if q:
        cases = cases.filter(reference__icontains=q)
    if mine:
        cases = cases.filter(spoc=request.user)
    page = CappedPaginator(cases.order_by("received_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    dangers = dangers_for(page.object_list)
    for application in page.object_list:
        application.dangers = dangers[application.pk]
    return render(request, "reviews/list.html", {"page": page, "q": q, "mine": mine})


@login_required
def case_review(request, reference):
    application = application_get_for_user(request.user, reference)
    summary = review_summary(user=request.user, application=application)
    context = {
        "application": application,
        "summary": summary,
        "clocks": review_clocks(application) if summary["full"] else [],
        "can_run": can_run_review(request.user, application),
        "can_appoint": can_appoint_spoc(request.user)
        and application.status in (Status.ACCEPTED, Status.IN_REVIEW),
        "interim_actions": application.actions.filter(kind=ActionKind.INTERIM) if summary["full"] else [],
        "questions": risk.QUESTIONS,
        "to_reassign": duties_to_reassign(application) if can_run_review(request.user, application) else None,
    }
    return render(request, "reviews/case.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def spoc_appoint(request, reference):
    application = application_get_for_user(request.user, reference)
    if not can_appoint_spoc(request.user):
        raise PermissionDenied("Only a community safety manager can appoint the SPOC.")
    candidates = spoc_candidates(application=application)
    form = SpocAppointForm(
        (request.POST if request.method == "POST" else None),
        candidates=candidates,
        initial=SpocAppointForm.initial_for_history(application.spoc_appointments.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.spoc_appoint(
                application=application,
                spoc=form.cleaned_data["spoc"],
                actor=request.user,
                override_reason=form.cleaned_data["override_reason"],
                read_version=form.read_version,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['spoc']} is now the SPOC for {application.reference}."
            )
            return redirect(_case_url(application))
    return _form_page(
        request, "reviews/spoc.html", {"application": application, "candidates": candidates}, form
    )


def _simple_form_view(
    request,
    reference,
    *,
    form_class,
    template,
    title,
    call,
    success,
    extra=None,
    redirect_to=None,
    shared_text=None,
    history=None,
    record=None,
):
    """`shared_text(form)` gives (text, shared, where) of words that may reach the victim's outcome
    letter: naming an alleged perpetrator there is warned about before anything is saved. `history`
    (the case → its records of this kind) makes the form carry how many it was read with
    (web.concurrency.history_claim)."""
    application = _runner_case(request, reference)
    form_kwargs = (
        {"application": application} if "application" in form_class.__init__.__code__.co_varnames else {}
    )
    if history is not None:
        form_kwargs["initial"] = form_class.initial_for_history(history(application))
    if record is not None:
        form_kwargs["initial"] = form_class.initial_for(record)
    form = form_class((request.POST if request.method == "POST" else None), **form_kwargs)
    if request.POST.get(SAVE_ANYWAY_OFFERED):
        offer_save_anyway(form)
    named = []
    if request.method == "POST" and form.is_valid():
        if shared_text is not None:
            text, shared, where = shared_text(form)
            named = shared_text_warning(form, case=application, text=text, shared=shared, where=where)
        if not named:
            try:
                result = call(application, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success(application, result))
                return redirect(redirect_to or _case_url(application))
    context = {
        "application": application,
        "title": title,
        "named": named,
        **(extra(application) if extra else {}),
    }
    return _form_page(request, template, context, form)


@login_required
@require_http_methods(["GET", "POST"])
def contact_attempt(request, reference):
    return _simple_form_view(
        request,
        reference,
        form_class=ContactAttemptForm,
        template="reviews/form.html",
        title="Record an attempt to contact the victim",
        call=lambda app, form: services.contact_attempt_record(
            application=app, actor=request.user, **form.cleaned_data
        ),
        success=lambda app, attempt: "Contact attempt recorded.",
        extra=lambda app: {"efforts": contact_efforts(application=app)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def victim_contact(request, reference):
    return _simple_form_view(
        request,
        reference,
        form_class=VictimContactForm,
        template="reviews/form.html",
        title="Contact form: the victim's account",
        call=lambda app, form: services.victim_contact_record(
            application=app, actor=request.user, read_version=form.read_version, **form.values
        ),
        history=lambda app: app.victim_contacts.all(),
        success=lambda app, contact: "Contact form saved. Next: the vulnerability risk assessment.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def victim_unreachable(request, reference):
    application = _runner_case(request, reference)
    efforts = contact_efforts(application=application)
    form = UnreachableForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.victim_unreachable_record(
                application=application, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "The review is withdrawn and closed. Now send the closure letter to the victim."
            )
            return redirect(_case_url(application))
    return _form_page(
        request, "reviews/unreachable.html", {"application": application, "efforts": efforts}, form
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_assessment(request, reference):
    application = _runner_case(request, reference)
    form = RiskAssessmentForm(
        request.POST if request.method == "POST" else None,
        initial=RiskAssessmentForm.initial_for_history(application.risk_assessments.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.risk_assessment_record(
                application=application,
                read_version=form.read_version,
                answers=form.answers(),
                assessed_on=form.cleaned_data["assessed_on"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if assessment.level == "high":
                messages.warning(
                    request,
                    "High risk: there is an immediate risk of harm. Create an interim action now — "
                    "do not wait for the panel.",
                )
                return redirect(reverse("reviews:interim", args=[application.reference]))
            messages.success(
                request, f"Risk assessment saved: {assessment.get_level_display().lower()} risk."
            )
            return redirect(_case_url(application))
    return _form_page(request, "reviews/risk.html", {"application": application}, form)


@login_required
@require_http_methods(["GET", "POST"])
def support_referral(request, reference):
    return _simple_form_view(
        request,
        reference,
        form_class=SupportReferralForm,
        template="reviews/form.html",
        title="Victim support",
        call=lambda app, form: services.support_referral_record(
            application=app, actor=request.user, **form.cleaned_data
        ),
        success=lambda app, referral: "Victim support recorded.",
    )


@login_required
def reassign(request, reference):
    """The duties that moved to the SPOC when consent was withdrawn: actions and information
    requests owned by agencies that can no longer see the case, each with a way to reassign it."""
    application = _runner_case(request, reference)
    duties = duties_to_reassign(application)
    return render(
        request,
        "reviews/reassign.html",
        {"application": application, "actions": duties["actions"], "requests": duties["requests"]},
    )


def _no_longer_to_reassign(request, application, what: str):
    """A duty reassigned (or consent given again) since the page was opened: say so and go back to
    the list of what is left, never a dead end."""
    messages.info(
        request,
        f"This {what} no longer needs reassigning: someone reassigned it, or the victim gave consent "
        "again, since you opened the page. What is left to reassign is below.",
    )
    return redirect("reviews:reassign", reference=application.reference)


@login_required
@require_http_methods(["GET", "POST"])
def reassign_action(request, reference, pk):
    application = _runner_case(request, reference)
    action = duties_to_reassign(application)["actions"].filter(pk=pk).first()
    if action is None:
        return _no_longer_to_reassign(request, application, "action")
    return _simple_form_view(
        request,
        reference,
        form_class=ActionReassignForm,
        template="reviews/form.html",
        title=f"Reassign the action owned by {action.owner_agency}",
        call=lambda app, form: action_reassign(
            action=action,
            owner=form.cleaned_data["owner"],
            actor=request.user,
            read_version=form.read_version,
        ),
        record=action,
        success=lambda app, a: f"Action reassigned to {a.owner} ({a.owner_agency}).",
        redirect_to=reverse("reviews:reassign", args=[application.reference]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassign_request(request, reference, pk):
    application = _runner_case(request, reference)
    info_request = duties_to_reassign(application)["requests"].filter(pk=pk).first()
    if info_request is None:
        return _no_longer_to_reassign(request, application, "information request")
    return _simple_form_view(
        request,
        reference,
        form_class=RequestReassignForm,
        template="reviews/form.html",
        title=f"Reassign the information request to {info_request.agency}",
        call=lambda app, form: services.information_request_reassign(
            request=info_request,
            agency=form.cleaned_data["agency"],
            actor=request.user,
            read_version=form.read_version,
        ),
        record=info_request,
        success=lambda app, r: f"Information request moved to {r.agency}.",
        redirect_to=reverse("reviews:reassign", args=[application.reference]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def interim_action(request, reference):
    application = _runner_case(request, reference)
    latest = application.risk_assessments.first()
    return _simple_form_view(
        request,
        reference,
        form_class=InterimActionForm,
        template="reviews/form.html",
        title="Interim action: act on an immediate risk of harm now",
        call=lambda app, form: services.interim_action_create(
            application=app,
            actor=request.user,
            **{k: v for k, v in form.cleaned_data.items() if k != "save_anyway"},
        ),
        shared_text=lambda form: (
            form.cleaned_data["description"],
            form.cleaned_data["share_with_victim"],
            "the action",
        ),
        success=lambda app, action: (
            f"Interim action created for {action.owner_agency}, due {action.due_on:%-d %B %Y}."
        ),
        extra=lambda app: {"risk": latest},
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_request_new(request, reference):
    application = _runner_case(request, reference)
    due = services.deadline_due_on(
        application=application, name="agency_response", event_date=services._today()
    )
    form = InformationRequestForm(
        (request.POST if request.method == "POST" else None), application=application, initial={"due_on": due}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.information_requests_send(
                application=application,
                agencies=list(form.cleaned_data["agencies"]),
                due_on=form.cleaned_data["due_on"],
                message=form.cleaned_data["message"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Agency Response form sent to {len(sent)} agenc{'y' if len(sent) == 1 else 'ies'}."
            )
            return redirect(_case_url(application))
    return _form_page(
        request,
        "reviews/form.html",
        {"application": application, "title": "Ask agencies for information"},
        form,
    )


@login_required
def information_request_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    requests = information_requests_search(request.user, q=q, status=status)
    page = CappedPaginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/requests.html",
        {"page": page, "q": q, "status": status, "statuses": InformationRequest.Status.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_request_detail(request, pk):
    info_request = information_request_get_for_user(request.user, pk)
    application = info_request.application
    may_respond = info_request.is_open and (
        (request.user.agency_id == info_request.agency_id and request.user.has_role("agency_officer"))
        or can_run_review(request.user, application)
    )
    form = (
        AgencyResponseForm(
            request.POST if request.method == "POST" else None,
            initial=AgencyResponseForm.initial_for(info_request),
        )
        if may_respond
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("This request cannot be answered by you.")
        if form.is_valid():
            try:
                services.information_request_respond(
                    request=info_request, actor=request.user, read_version=form.read_version, **form.values
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, f"Response sent to the SPOC for {application.reference}. Thank you."
                )
                return redirect(reverse("reviews:requests"))
    context = {
        "info_request": info_request,
        "application": application,
        "form": form,
        "page_error": bool(form and form.errors),
        "full": can_see_review_record(request.user, application),
    }
    return render(request, "reviews/request.html", context, status=400 if form and form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def review_letter(request, reference, kind):
    """Preview, then issue, the next-steps or unreachable-closure letter through the letters app
    (which refuses a victim-facing letter carrying a perpetrator's details)."""
    application = _runner_case(request, reference)
    if kind not in services.REVIEW_LETTERS:
        raise PermissionDenied("No such letter.")
    error = None
    if request.method == "POST":
        try:
            letter = services.review_letter_issue(
                application=application,
                kind=kind,
                actor=request.user,
                submission_token=submission_token_from(request.POST),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            already = " already" if getattr(letter, "already_issued", False) else ""
            messages.success(request, f"{services.REVIEW_LETTERS[kind]}{already} issued.")
            return redirect(_case_url(application))
    try:
        preview = services.review_letter_preview(application=application, kind=kind, actor=request.user)
    except ValidationError as exc:
        preview, error = None, error or " ".join(exc.messages)
    if preview is not None and preview.findings and not error:
        error = " ".join(f.message() for f in preview.findings)
    return render(
        request,
        "reviews/letter.html",
        {
            "application": application,
            "kind": kind,
            "title": services.REVIEW_LETTERS[kind],
            "preview": preview,
            "error": error,
            "page_error": bool(error),
            "submission_token": submission_token_new(),
        },
        status=400 if error and request.method == "POST" else 200,
    )
