"""Panel pages. Thin: each finds the case or meeting through the access selectors (out of scope is
a 404), checks what the user may do, and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from casereview.applications.selectors import application_get_for_user
from casereview.letters.checks import (
    SAVE_ANYWAY_OFFERED,
    offer_save_anyway,
    perpetrator_details_in,
    shared_text_warning,
)
from casereview.privacy.services import SharingRefused
from casereview.referrals.selectors import panel_kinds_sat_on
from casereview.referrals.sittings import sitting_of
from casereview.reviews.permissions import can_run_review
from casereview.web.forms import add_service_errors
from casereview.web.pagination import CappedPaginator

from . import services
from .forms import (
    CancelForm,
    ConsultationForm,
    FinaliseForm,
    MemberForm,
    MinutesCorrectionForm,
    OutcomeForm,
    PanelActionForm,
    RecommendationEditForm,
    RecommendationForm,
    RecordForm,
    ScheduleForm,
)
from .models import MeetingStatus
from .selectors import (
    can_read_panel_papers,
    chair_independence,
    meeting_get_for_user,
    meeting_quorum,
    meetings_visible_to,
)

PAGE_SIZE = 25


def _meeting_url(meeting) -> str:
    return reverse("panels:meeting", args=[meeting.pk])


def _runner_meeting(request, pk):
    meeting = meeting_get_for_user(request.user, pk)
    if not can_run_review(request.user, meeting.case):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can do this.")
    return meeting


def _form_page(request, context, form, template="panels/form.html"):
    context = {**context, "form": form, "page_error": bool(form.errors)}
    return render(request, template, context, status=400 if form.errors else 200)


def _meetings_listed(request):
    """The meetings the list shows, with its filters (the page and its CSV)."""
    q = request.GET.get("q", "").strip()
    show = request.GET.get("show", "upcoming")
    meetings = meetings_visible_to(request.user)
    if show == "upcoming":
        meetings = meetings.filter(status=MeetingStatus.SCHEDULED).order_by("meeting_on", "starts_at")
    else:
        meetings = meetings.order_by("-meeting_on", "-id")
    if q:
        meetings = meetings.filter(case__reference__icontains=q)
    return meetings, q, show


@login_required
def meeting_list(request):
    meetings, q, show = _meetings_listed(request)
    page = CappedPaginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    from casereview.web.csv_export import export_query

    return render(
        request,
        "panels/list.html",
        {
            "page": page,
            "q": q,
            "show": show,
            "export_query": export_query(request, ("q", "show")),
            # Where the panels' other lists are: each review's meeting sits at the case review
            # panel's sitting of its day, and the standing panels have their own cases and
            # meetings — each named only for someone whose list it is (no link that is a 404).
            "standing_panels": panel_kinds_sat_on(request.user),
        },
    )


@login_required
def meeting_list_csv(request):
    """The panel meetings list as CSV: the page's filters and scope, every row; in the access log."""
    from casereview.audit.services import access_event_record
    from casereview.web.csv_export import csv_download

    meetings, q, show = _meetings_listed(request)
    access_event_record(
        action="export",
        request=request,
        summary="Panel meetings exported as CSV",
        purpose="Case management",
        details={"filters": {"q": q, "show": show}},
    )

    def rows():
        for m in meetings.select_related("case").iterator(chunk_size=500):
            where = ("Online" + (f" and {m.location}" if m.location else "")) if m.online else m.location
            yield [
                m.meeting_on.isoformat(),
                m.starts_at.strftime("%H:%M") if m.starts_at else "",
                m.case.reference,
                "yes" if m.round > 1 else "",
                where,
                m.get_status_display(),
                "yes" if m.is_held and m.inquorate else "",
            ]

    header = ["date", "starts", "case", "further review", "where", "status", "inquorate"]
    return csv_download("panel-meetings", header, rows())


@login_required
def case_panels(request, reference):
    application = application_get_for_user(request.user, reference)
    meetings = list(application.panel_meetings.all())
    held = any(m.status == MeetingStatus.HELD for m in meetings)
    scheduled = any(m.status == MeetingStatus.SCHEDULED for m in meetings)
    return render(
        request,
        "panels/case.html",
        {
            "application": application,
            "meetings": meetings,
            "can_run": can_run_review(request.user, application),
            "can_schedule": not scheduled and (application.status == "in_review" or held),
            "further": held,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request, reference):
    application = application_get_for_user(request.user, reference)
    if not can_run_review(request.user, application):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can do this.")
    further = application.panel_meetings.filter(status=MeetingStatus.HELD).exists()
    form = ScheduleForm((request.POST if request.method == "POST" else None), further_review=further)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.panel_schedule(case=application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Meeting scheduled. Now invite the members.")
            return redirect(_meeting_url(meeting))
    title = "Schedule a further review" if further else "Schedule the panel meeting"
    return _form_page(request, {"application": application, "title": title, "submit": "Schedule"}, form)


@login_required
def meeting_detail(request, pk):
    meeting = meeting_get_for_user(request.user, pk)
    application = meeting.case
    papers = can_read_panel_papers(request.user, meeting)
    context = {
        "meeting": meeting,
        "application": application,
        "members": meeting.members.select_related("agency", "user"),
        "quorum": meeting_quorum(meeting) if meeting.status != MeetingStatus.CANCELLED else None,
        "chair_findings": chair_independence(meeting) if papers else [],
        "can_run": can_run_review(request.user, application),
        "papers": papers,
        "recommendations": meeting.recommendations.select_related("body"),
        "actions": meeting.actions.select_related("owner_agency", "owner"),
        "consultations": meeting.consultations.all(),
        # The case review panel's sitting the review is heard at (ADR 0088).
        "sitting": sitting_of(meeting.item_id),
    }
    return render(request, "panels/meeting.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    meeting = _runner_meeting(request, pk)
    form = MemberForm(
        (request.POST if request.method == "POST" else None),
        case=meeting.case,
        initial=MemberForm.initial_for_history(meeting.members.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.panel_member_add(
                meeting=meeting, actor=request.user, read_version=form.read_version, **form.values
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{member.name} added to the panel.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        {
            "application": meeting.case,
            "meeting": meeting,
            "title": "Invite a panel member",
            "submit": "Add",
        },
        form,
    )


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    meeting = _runner_meeting(request, pk)
    member = get_object_or_404(meeting.members, pk=member_pk)
    try:
        services.panel_member_remove(member=member, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.name} removed from the panel.")
    return redirect(_meeting_url(meeting))


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    meeting = _runner_meeting(request, pk)
    form = CancelForm(
        request.POST if request.method == "POST" else None, initial=CancelForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_cancel(
                meeting=meeting,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                read_version=form.read_version,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Meeting cancelled.")
            return redirect(reverse("panels:case", args=[meeting.case.reference]))
    return _form_page(
        request,
        {
            "application": meeting.case,
            "meeting": meeting,
            "title": "Cancel the meeting",
            "submit": "Cancel the meeting",
            "warning": "Members will need to be told. A new meeting can then be scheduled.",
            "danger": True,
        },
        form,
    )


@login_required
def chairs_pack(request, pk):
    meeting = meeting_get_for_user(request.user, pk)
    if not can_read_panel_papers(request.user, meeting):
        raise PermissionDenied("The chair's pack is for panel members only.")
    application = meeting.case
    try:
        pdf = services.chairs_pack_release(meeting=meeting, actor=request.user)
    except SharingRefused as exc:
        return render(
            request,
            "panels/refused.html",
            {"application": application, "meeting": meeting, "message": " ".join(exc.messages)},
            status=403,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    # The reference only: no personal data in a file name.
    response["Content-Disposition"] = f'attachment; filename="{application.reference}-chairs-pack.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record(request, pk):
    meeting = _runner_meeting(request, pk)
    initial = {
        **RecordForm.initial_for(meeting),
        "held_on": meeting.meeting_on if meeting.meeting_on <= timezone.localdate() else None,
    }
    form = RecordForm((request.POST if request.method == "POST" else None), meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.values)
        attended = [int(v) for v in data.pop("attended")]
        try:
            services.panel_record(
                meeting=meeting,
                actor=request.user,
                attended_member_ids=attended,
                read_version=form.read_version,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Meeting recorded. Now add the recommendations and the action plan.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        {
            "application": meeting.case,
            "meeting": meeting,
            "title": "Record the meeting",
            "submit": "Save the record",
            "quorum": meeting_quorum(meeting),
        },
        form,
    )


def _meeting_form(
    request,
    pk,
    *,
    form_class,
    title,
    submit,
    call,
    success,
    form_kwargs=None,
    warning="",
    available=None,
    shared_text=None,
):
    """A form page on one meeting: `call(meeting, form)` does the work, `success(result)` is the
    message. `available(meeting)` false: the page does not exist for this meeting (404).
    `shared_text(form)` gives (text, shared, where) of words that will go into the victim's outcome
    letter: if they name an alleged perpetrator (the letters' own check) the page warns and asks
    the officer to change them or confirm, before anything is saved."""
    meeting = _runner_meeting(request, pk)
    if available is not None and not available(meeting):
        raise Http404("Not available for this meeting")
    form = form_class(
        (request.POST if request.method == "POST" else None), **(form_kwargs(meeting) if form_kwargs else {})
    )
    if request.POST.get(SAVE_ANYWAY_OFFERED):
        offer_save_anyway(form)
    named = []
    if request.method == "POST" and form.is_valid():
        if shared_text is not None:
            text, shared, where = shared_text(form)
            named = shared_text_warning(form, case=meeting.case, text=text, shared=shared, where=where)
        if not named:
            try:
                result = call(meeting, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success(result))
                return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        {
            "application": meeting.case,
            "meeting": meeting,
            "title": title,
            "submit": submit,
            "warning": warning,
            "named": named,
        },
        form,
    )


def _recommendation_text(form):
    return form.cleaned_data["text"], form.cleaned_data["share_with_victim"], "the recommendation"


def _action_text(form):
    return form.cleaned_data["description"], form.cleaned_data["share_with_victim"], "the action"


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request, pk):
    return _meeting_form(
        request,
        pk,
        form_class=RecommendationForm,
        title="Add a recommendation",
        submit="Add the recommendation",
        form_kwargs=lambda m: {
            "case": m.case,
            "initial": RecommendationForm.initial_for_history(
                m.recommendations.all(), share_with_victim=True
            ),
        },
        call=lambda m, f: services.recommendation_add(
            meeting=m,
            actor=request.user,
            body=f.cleaned_data["body"],
            text=f.cleaned_data["text"],
            share_with_victim=f.cleaned_data["share_with_victim"],
            read_version=f.read_version,
        ),
        success=lambda r: f"Recommendation to {r.body} added.",
        shared_text=_recommendation_text,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk, recommendation_pk):
    """Change a recommendation's words or stop sharing it with the victim, until the outcome
    letter is issued: where the outcome letter's refusal links to."""
    meeting = _runner_meeting(request, pk)
    recommendation = get_object_or_404(meeting.recommendations.select_related("body"), pk=recommendation_pk)
    return _meeting_form(
        request,
        pk,
        form_class=RecommendationEditForm,
        title=f"Change the recommendation to {recommendation.body}",
        submit="Save the recommendation",
        form_kwargs=lambda m: {"initial": RecommendationEditForm.initial_for(recommendation)},
        call=lambda m, f: services.recommendation_edit(
            recommendation=recommendation,
            actor=request.user,
            text=f.cleaned_data["text"],
            share_with_victim=f.cleaned_data["share_with_victim"],
            read_version=f.read_version,
        ),
        success=lambda r: f"Recommendation to {r.body} saved.",
        available=lambda m: not m.outcome_issued_on,
        shared_text=_recommendation_text,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    def call(meeting, form):
        owner = form.cleaned_data["owner"]
        return services.panel_action_add(
            meeting=meeting,
            actor=request.user,
            description=form.cleaned_data["description"],
            owner=owner,
            owner_agency=owner.agency,
            due_on=form.cleaned_data["due_on"],
            share_with_victim=form.cleaned_data["share_with_victim"],
            read_version=form.read_version,
        )

    return _meeting_form(
        request,
        pk,
        form_class=PanelActionForm,
        title="Add an action to the plan",
        submit="Add the action",
        form_kwargs=lambda m: {
            "case": m.case,
            "initial": PanelActionForm.initial_for_history(m.actions.all(), share_with_victim=True),
        },
        call=call,
        success=lambda a: f"Action for {a.owner_agency} added, due {a.due_on:%-d %B %Y}.",
        shared_text=_action_text,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request, pk):
    return _meeting_form(
        request,
        pk,
        form_class=ConsultationForm,
        title="Consult the victim on the action plan",
        submit="Save the victim's view",
        form_kwargs=lambda m: {"initial": ConsultationForm.initial_for_history(m.consultations.all())},
        call=lambda m, f: services.victim_consultation_record(
            meeting=m, actor=request.user, read_version=f.read_version, **f.values
        ),
        success=lambda c: "The victim's view of the plan is recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def finalise(request, pk):
    meeting = _runner_meeting(request, pk)
    form = FinaliseForm(
        request.POST if request.method == "POST" else None, initial=FinaliseForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_finalise(
                meeting=meeting,
                actor=request.user,
                read_version=form.read_version,
                without_consultation_reason=form.cleaned_data["without_consultation_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The recommendations and action plan are final.")
            return redirect(_meeting_url(meeting))
    consulted = meeting.consultations.exists()
    return _form_page(
        request,
        {
            "application": meeting.case,
            "meeting": meeting,
            "title": "Make the action plan final",
            "submit": "Make the plan final",
            "warning": None
            if consulted
            else "The victim has not been consulted on this plan. Consult them first, unless they cannot be.",
            "summary_plan": True,
            "recommendations": meeting.recommendations.select_related("body"),
            "actions": meeting.actions.select_related("owner_agency", "owner"),
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def circulate(request, pk):
    meeting = _runner_meeting(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.minutes_circulate(meeting=meeting, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Minutes and action plan circulated to the panel members.")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "panels/confirm.html",
        {
            "application": meeting.case,
            "meeting": meeting,
            "title": "Circulate the minutes and action plan",
            "body": "The minutes and the action plan go to every panel member as a partners' document. "
            "They may name the alleged perpetrators: they are never sent to the victim.",
            "members": meeting.members.select_related("agency"),
            "submit": "Circulate to panel members",
            "error": error,
            "page_error": bool(error),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_correct(request, pk):
    """Correct minutes already circulated: the corrected minutes go to every member again."""
    return _meeting_form(
        request,
        pk,
        form_class=MinutesCorrectionForm,
        title="Correct the circulated minutes",
        submit="Circulate the corrected minutes",
        warning="The corrected minutes and action plan go to every panel member, as the first version did. "
        "The first version is kept, marked as corrected.",
        available=lambda m: m.minutes_circulated_on is not None,
        form_kwargs=lambda m: {"initial": MinutesCorrectionForm.initial_for(m)},
        call=lambda m, f: services.minutes_correct(
            meeting=m, actor=request.user, read_version=f.read_version, **f.values
        ),
        success=lambda _: "Corrected minutes circulated to the panel members.",
    )


def _named_in_plan(meeting) -> list[dict]:
    """Each recommendation and action shared with the victim that names an alleged perpetrator
    (the letters' own check), with what matched and the page that changes or un-shares it: what
    the outcome letter's refusal links to, so the officer is never left without a way on."""
    application = meeting.case
    items = []
    for recommendation in meeting.recommendations.filter(share_with_victim=True).select_related("body"):
        where = f"the recommendation to {recommendation.body}"
        found = perpetrator_details_in(case=application, text=recommendation.text, where=where)
        if found:
            items.append(
                {
                    "findings": [f.message() for f in found],
                    "url": reverse("panels:recommendation_edit", args=[meeting.pk, recommendation.pk]),
                    "link": f"Change or stop sharing the recommendation to {recommendation.body}",
                }
            )
    for action in application.actions.filter(share_with_victim=True).select_related("owner_agency"):
        where = f"the action for {action.owner_agency}"
        found = perpetrator_details_in(case=application, text=action.description, where=where)
        if found:
            items.append(
                {
                    "findings": [f.message() for f in found],
                    "url": reverse("actions:edit", args=[action.pk]),
                    "link": f"Change or stop sharing the action for {action.owner_agency}",
                }
            )
    return items


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, pk):
    """Preview and issue the outcome letter. The letters app refuses a letter carrying a
    perpetrator's details and says where; the refusal is shown here and nothing changes."""
    meeting = _runner_meeting(request, pk)
    form = OutcomeForm(
        (request.POST if request.method == "POST" else None),
        initial=OutcomeForm.initial_for(meeting),
    )
    refusal = None
    preview = None
    if request.method == "POST" and form.is_valid():
        summary = form.cleaned_data["outcome_summary"]
        if request.POST.get("action") == "issue":
            try:
                services.outcome_letter_issue(
                    meeting=meeting,
                    actor=request.user,
                    outcome_summary=summary,
                    read_version=form.read_version,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    add_service_errors(form, exc)
                else:
                    refusal = " ".join(exc.messages)
            else:
                messages.success(request, "Outcome letter issued to the victim.")
                return redirect(_meeting_url(meeting))
        try:
            preview = services.outcome_letter_preview(
                meeting=meeting, actor=request.user, outcome_summary=summary
            )
        except ValidationError as exc:
            refusal = refusal or " ".join(exc.messages)
    findings = [f.message() for f in preview.findings] if preview is not None else []
    to_fix = _named_in_plan(meeting) if (refusal or findings) else []
    return render(
        request,
        "panels/outcome.html",
        {
            "application": meeting.case,
            "meeting": meeting,
            "form": form,
            "preview": preview,
            "findings": findings,
            "to_fix": to_fix,
            "refusal": refusal,
            "page_error": bool(refusal or findings or form.errors),
            "recommendations": meeting.recommendations.select_related("body"),
            "actions": meeting.case.actions.filter(share_with_victim=True).select_related("owner_agency"),
        },
        status=400 if (refusal or form.errors) else 200,
    )
