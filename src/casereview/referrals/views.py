"""Referral pages: the form (criteria checked and explained before anything is stored) and the
referral's own page. Staff pages, in English."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casereview.applications.selectors import application_timeline, case_parties, case_party_agencies
from casereview.audit.services import access_event_record
from casereview.core.panel_kinds import CASE_REVIEW
from casereview.core.reasons import render as render_reason
from casereview.core.reasons import render_all
from casereview.web.concurrency import StaleRecord
from casereview.web.csv_export import csv_download
from casereview.web.forms import add_service_errors
from casereview.web.pagination import CappedPaginator

from . import arrivals, figures, meetings, selectors, services, sittings
from . import forms as f
from .forms import ReferralForm, vulnerability_words_en

PAGE_SIZE = 25

#: The referral form's fields about who or what is referred, laid out in their own groups.
SUBJECT_FIELDS = (
    "subject_kind",
    "person_profile",
    "person_name",
    "household_profiles",
    "household_names",
    "place_profile",
    "address",
    "postcode",
    "uprn",
    "triage",
    "hotspot_location",
)


def _errors(form) -> list[dict]:
    if not form.is_bound:
        return []
    return [
        {"text": error, "href": f"#id_{name}" if name != "__all__" else None}
        for name, errors in form.errors.items()
        for error in errors
    ]


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, kind_code: str):
    kind = selectors.panel_kind_for(request.user, kind_code)
    if not selectors.may_refer(request.user, kind):
        raise Http404("No such panel")
    # Arriving from the report log (issue 16): a repeat caller's triage or a hotspot fills the form.
    arrival = None if request.method == "POST" else arrivals.arrival_for(request, kind)
    form = ReferralForm(request.POST or None, kind=kind, initial=arrival.initial if arrival else None)
    not_met = None
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_make(
                partnership=request.user.partnership,
                kind=kind,
                data=form.referral_data(),
                actor=request.user,
            )
        except services.CriteriaNotMet as refusal:
            not_met = render_all(refusal.result.reasons)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The referral to {kind.name} is made.")
            return redirect("referrals:referral", referral.pk)
    errors = _errors(form)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "kind": kind,
            "errors": errors,
            "page_error": bool(errors or not_met),
            "not_met": not_met,
            "arrival": arrival,
            "subject_fields": SUBJECT_FIELDS,
        },
    )


def _page(request, template, context):
    forms_ = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "is_bound")]
    context.setdefault("errors", [e for form in forms_ for e in _errors(form)])
    context.setdefault("page_error", bool(context["errors"]))
    return render(request, template, context)


# --- The panel case ---------------------------------------------------------------------------


@login_required
def referral_detail(request, referral_id: int):
    """The panel case's page: the referral, its status, parties, agencies, actions and timeline."""
    referral = selectors.referral_get_for_user(request.user, referral_id)
    kind = selectors.panel_kind_for(request.user, referral.panel_kind)
    case = referral.case
    chair = meetings.may_chair(request.user, kind)
    return render(
        request,
        "referrals/referral.html",
        {
            "referral": referral,
            "kind": kind,
            "kind_name": kind.name if kind else referral.panel_kind,
            "case": case,
            "reasons": [render_reason(reason) for reason in referral.reason_codes],
            "vulnerabilities": [vulnerability_words_en(code) for code in referral.vulnerabilities],
            "household": list(referral.household.order_by("full_name", "pk")),
            "parties": case_parties(case).exclude(role="alleged_perpetrator") if case else [],
            "agencies": case_party_agencies(case) if case else [],
            "actions": case.actions.select_related("owner_agency").order_by("due_on", "id") if case else [],
            "timeline": application_timeline(case)[:50] if case else [],
            "heard": referral.meeting_items.filter(heard=True)
            .select_related("meeting")
            .order_by("-meeting__meeting_on"),
            "may_chair": chair,
            "close_form": f.CloseForm(initial={"version": case.version})
            if case and chair and case.status != "closed"
            else None,
            "agreement": meetings._agreement(referral) if case else None,
            "close_reason_words": meetings.CLOSE_REASON_WORDS.get(referral.closed_reason, ""),
        },
    )


def _chaired_referral(request, referral_id):
    referral = selectors.referral_get_for_user(request.user, referral_id)
    if referral.case is None or not meetings.may_chair(request.user, meetings._kind_of(referral)):
        raise Http404("No such page")
    return referral


@login_required
@require_http_methods(["POST"])
def referral_close(request, referral_id: int):
    referral = _chaired_referral(request, referral_id)
    form = f.CloseForm(request.POST, initial={"version": referral.case.version})
    if form.is_valid():
        try:
            meetings.panel_case_close(referral=referral, actor=request.user, version=form.read_version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Case {referral.case.reference} is closed.")
    else:
        messages.error(request, "This page is out of date: open the case again and close it from there.")
    return redirect("referrals:referral", referral.pk)


@login_required
@require_http_methods(["GET", "POST"])
def referral_reopen(request, referral_id: int):
    referral = _chaired_referral(request, referral_id)
    if referral.case.status != "closed":
        messages.error(request, "The case is open already: there is nothing to re-open.")
        return redirect("referrals:referral", referral.pk)
    form = f.ReopenForm(request.POST or None, initial={"version": referral.case.version})
    if request.method == "POST" and form.is_valid():
        try:
            meetings.panel_case_reopen(
                referral=referral,
                reason=form.cleaned_data["reason"],
                next_review_on=form.cleaned_data["next_review_on"],
                actor=request.user,
                version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {referral.case.reference} is re-opened.")
            return redirect("referrals:referral", referral.pk)
    return _page(request, "referrals/reopen.html", {"form": form, "referral": referral})


def _kind_or_404(request, kind_code):
    """The panel whose lists these are, for someone who sits on it (its chairs, the officers who
    may refer to it; the case review panel's members: ADR 0088): the same rule names the panels
    the panel meetings list links to (`selectors.panel_kinds_sat_on`)."""
    kind = selectors.panel_kind_for(request.user, kind_code)
    if not selectors.sits_on(request.user, kind):
        raise Http404("No such panel")
    return kind


def _cases_listed(request, kind):
    return (
        selectors.referrals_visible_to(request.user)
        .filter(panel_kind=kind.code)
        .select_related("case", "agency")
        .annotate(household_size=Count("household"))
        .order_by("-referred_on", "-id")
    )


@login_required
def case_list(request, kind_code: str):
    """The panel's cases this user may see (the one access selector), newest first, paged in the
    database."""
    kind = _kind_or_404(request, kind_code)
    referrals = _cases_listed(request, kind)
    page = CappedPaginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/case_list.html",
        {"kind": kind, "page": page, "query": "", "may_chair": meetings.may_chair(request.user, kind)},
    )


@login_required
def case_list_csv(request, kind_code: str):
    """The panel's cases as CSV: the list's scope, every row, references and dates only (no name:
    the case page is where a person is read, and logged); the export is in the access log."""
    kind = _kind_or_404(request, kind_code)
    referrals = _cases_listed(request, kind)
    access_event_record(
        action="export",
        request=request,
        summary=f"{kind.name} cases exported as CSV",
        purpose="Case management",
        details={"panel": kind.code, "rows": referrals.count()},
    )

    def rows():
        for referral in referrals.iterator(chunk_size=500):
            yield [
                referral.case.reference,
                referral.referred_on.isoformat(),
                referral.agency.name,
                referral.case.status_label,
                referral.current_risk_level,
                referral.next_review_on.isoformat() if referral.next_review_on else "",
            ]

    header = ["case", "referred_on", "referred_by", "status", "risk", "next_review_on"]
    return csv_download(f"{kind.code}-cases", header, rows())


# --- Meetings -------------------------------------------------------------------------------------


def _meetings_listed(request, kind):
    return (
        selectors.meetings_visible_to(request.user)
        .filter(panel_kind=kind.code)
        .order_by("-meeting_on", "-id")
    )


@login_required
def meeting_list(request, kind_code: str):
    kind = _kind_or_404(request, kind_code)
    listed = _meetings_listed(request, kind)
    page = CappedPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    # A case review sitting is made by scheduling a review's panel meeting, not from this list.
    may_schedule = kind.code != CASE_REVIEW and meetings.may_chair(request.user, kind)
    return render(
        request,
        "referrals/meeting_list.html",
        {"kind": kind, "page": page, "query": "", "may_chair": may_schedule},
    )


@login_required
def meeting_list_csv(request, kind_code: str):
    """The panel's meetings as CSV: the list's scope (the meetings this user may see), every row,
    dates, status and counts only — how many of the agenda's cases this user may see, never a
    name or a case of another agency; the export is in the access log."""
    kind = _kind_or_404(request, kind_code)
    listed = selectors.meetings_with_visible_counts(request.user, _meetings_listed(request, kind))
    access_event_record(
        action="export",
        request=request,
        summary=f"{kind.name} meetings exported as CSV",
        purpose="Case management",
        details={"panel": kind.code, "rows": listed.count()},
    )

    def rows():
        for meeting in listed.iterator(chunk_size=500):
            yield [
                meeting.pk,
                meeting.meeting_on.isoformat(),
                meeting.get_status_display(),
                meeting.held_on.isoformat() if meeting.held_on else "",
                meeting.cases_seen,
                meeting.minutes_circulated_on.isoformat() if meeting.minutes_circulated_on else "",
            ]

    header = ["meeting", "meeting_on", "status", "held_on", "your_cases", "minutes_circulated_on"]
    return csv_download(f"{kind.code}-meetings", header, rows())


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, kind_code: str):
    kind = selectors.panel_kind_for(request.user, kind_code)
    if not meetings.may_chair(request.user, kind) or kind.code == CASE_REVIEW:
        raise Http404("No such panel")
    form = f.ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.meeting_schedule(
                partnership=request.user.partnership,
                kind=kind,
                meeting_on=form.cleaned_data["meeting_on"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The meeting is scheduled with {meeting.items.count()} case(s) on its agenda."
            )
            return redirect("referrals:meeting", meeting.pk)
    return _page(request, "referrals/meeting_new.html", {"form": form, "kind": kind})


def _meeting(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    return meeting, meetings._kind_of(meeting)


def _chaired_meeting(request, pk):
    meeting, kind = _meeting(request, pk)
    # A sitting's reviews are recorded on their own panel pages (ADR 0088).
    if not meetings.may_chair(request.user, kind) or sittings.is_sitting(meeting):
        raise Http404("No such page")
    return meeting, kind


def _sitting_detail(request, meeting, kind):
    """A sitting of the case review panel: the reviews heard at it that this user may see, each
    linking to its own panel page (where the statutory record is kept), and attendance by agency."""
    items = meetings.minutes_sections_for(request.user, meeting)
    return render(
        request,
        "referrals/sitting.html",
        {
            "meeting": meeting,
            "kind": kind,
            "items": items,
            "links": sittings.review_links(i.pk for i in items),
            "hidden": meeting.items.count() - len(items),
            "attendance": meeting.attendance.select_related("agency"),
        },
    )


@login_required
def meeting_detail(request, pk: int):
    """The meeting: the agenda (only the cases this user may see), who came, and the next steps."""
    meeting, kind = _meeting(request, pk)
    if sittings.is_sitting(meeting):
        return _sitting_detail(request, meeting, kind)
    items = meetings.minutes_sections_for(request.user, meeting)
    return render(
        request,
        "referrals/meeting.html",
        {
            "meeting": meeting,
            "kind": kind,
            "items": items,
            "hidden": meeting.items.count() - len(items),
            "attendance": meeting.attendance.select_related("agency"),
            "may_chair": meetings.may_chair(request.user, kind),
            "minutes_documents": meeting.minutes_documents.select_related("agency", "letter")
            if meetings.may_chair(request.user, kind)
            else [],
            "why": meetings.AGENDA_WHY,
            "close_reason_words": meetings.CLOSE_REASON_WORDS,
        },
    )


def _panel_agencies(meeting, kind):
    return selectors.agencies_of_kinds(meeting.partnership, kind.member_agency_kinds)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk: int):
    meeting, kind = _chaired_meeting(request, pk)
    agencies = _panel_agencies(meeting, kind)
    initial = {"version": meeting.version}
    for row in meeting.attendance.all():
        initial[f"agency_{row.agency_id}"] = "present" if row.present else "apologies"
        initial[f"names_{row.agency_id}"] = row.names
    form = f.AttendanceForm(request.POST or None, initial=initial, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        present, apologies = form.attendance()
        try:
            meetings.attendance_record(
                meeting=meeting,
                present=present,
                apologies=apologies,
                actor=request.user,
                version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Attendance and apologies are recorded.")
            return redirect("referrals:meeting", meeting.pk)
    return _page(request, "referrals/attendance.html", {"form": form, "meeting": meeting, "kind": kind})


def _item(meeting, item_pk, user):
    item = next((i for i in meetings.minutes_sections_for(user, meeting) if i.pk == item_pk), None)
    if item is None:
        raise Http404("No such case on this agenda")
    return item


@login_required
@require_http_methods(["GET", "POST"])
def item_record(request, pk: int, item_pk: int):
    meeting, kind = _chaired_meeting(request, pk)
    item = _item(meeting, item_pk, request.user)
    form = f.ItemForm(
        request.POST or None,
        initial=_item_initial(item),
        kind=kind,
        close_reasons=meetings.CLOSE_REASON_WORDS,
    )
    action_form = _action_form(None, item, meeting, kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings.item_record(
                item=item,
                discussion=data["discussion"],
                risk_answers=dict.fromkeys(data.get("risk_answers", []), True),
                next_review_on=data["next_review_on"],
                close_agreed=data["close_agreed"],
                close_reason=data["close_reason"],
                actor=request.user,
                version=form.read_version,
            )
        except StaleRecord as error:
            form.show_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The panel's discussion of {item.case.reference} is recorded.")
            return redirect("referrals:item", meeting.pk, item.pk)
    return _item_page(
        request, meeting=meeting, kind=kind, item=item, form=form, action_form=action_form, posted=form
    )


def _item_initial(item) -> dict:
    """The discussion form as the panel last saved it (its risk answers, next review and closing
    too), for the item's page however it is reached: after a refused action as after a GET."""
    initial = {
        "discussion": item.discussion,
        "risk_answers": list(item.risk_answers),
        "close_agreed": item.close_agreed,
        "close_reason": item.close_reason,
        "version": meetings.item_version(item),
    }
    if item.next_review_on:
        d = item.next_review_on
        initial["next_review_on"] = {"day": d.day, "month": d.month, "year": d.year}
    return initial


def _item_page(request, *, meeting, kind, item, form, action_form, posted):
    """A case's page at the meeting: the discussion form and the add-an-action form, with the
    errors of the one that was sent (`posted`) in the summary."""
    return _page(
        request,
        "referrals/item.html",
        {
            "form": form,
            "action_form": action_form,
            "meeting": meeting,
            "kind": kind,
            "item": item,
            "errors": _errors(posted),
        },
    )


def _action_form(data, item, meeting, kind):
    """The add-an-action form, carrying how many actions the plan had when it was read."""
    return f.ActionForm(
        data,
        agencies=_panel_agencies(meeting, kind),
        initial=f.ActionForm.initial_for_history(item.actions.all()),
    )


@login_required
@require_http_methods(["POST"])
def item_action_add(request, pk: int, item_pk: int):
    meeting, kind = _chaired_meeting(request, pk)
    item = _item(meeting, item_pk, request.user)
    action_form = _action_form(request.POST, item, meeting, kind)
    if action_form.is_valid():
        data = action_form.cleaned_data
        try:
            meetings.item_action_add(
                item=item,
                description=data["description"],
                owner_agency=action_form.agencies[data["owner_agency"]],
                due_on=data["due_on"],
                actor=request.user,
                read_version=action_form.read_version,
            )
        except StaleRecord as error:
            action_form.show_stale(error)
        except ValidationError as error:
            add_service_errors(action_form, error)
        else:
            messages.success(request, "The action is added to the plan and its owner is asked to act.")
            return redirect("referrals:item", meeting.pk, item.pk)
    form = f.ItemForm(initial=_item_initial(item), kind=kind, close_reasons=meetings.CLOSE_REASON_WORDS)
    return _item_page(
        request, meeting=meeting, kind=kind, item=item, form=form, action_form=action_form, posted=action_form
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_share(request, pk: int, item_pk: int):
    meeting, kind = _meeting(request, pk)
    if sittings.is_sitting(meeting):
        raise Http404("No such page")
    item = _item(meeting, item_pk, request.user)
    form = f.ShareForm(request.POST or None, initial=f.ShareForm.initial_for_history(item.shares.all()))
    if request.method == "POST" and form.is_valid():
        try:
            meetings.agency_share_add(
                item=item,
                text=form.cleaned_data["text"],
                actor=request.user,
                read_version=form.read_version,
            )
        except StaleRecord as error:
            form.show_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404("No such page") from None
        else:
            messages.success(request, "What your agency knows is shared with the panel.")
            return redirect("referrals:meeting", meeting.pk)
    return _page(
        request, "referrals/share.html", {"form": form, "meeting": meeting, "kind": kind, "item": item}
    )


@login_required
@require_http_methods(["POST"])
def meeting_hold(request, pk: int):
    meeting, kind = _chaired_meeting(request, pk)
    try:
        meetings.meeting_hold(
            meeting=meeting, actor=request.user, version=int(request.POST.get("version") or 0)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The meeting is recorded as held.")
    return redirect("referrals:meeting", meeting.pk)


@login_required
@require_http_methods(["POST"])
def meeting_circulate(request, pk: int):
    meeting, kind = _chaired_meeting(request, pk)
    try:
        sent = meetings.minutes_circulate(meeting=meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The minutes are circulated: {sent['agencies']} agency(ies), each told of its own cases only.",
        )
    return redirect("referrals:meeting", meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_issue(request, pk: int):
    """The chair issues the minutes: one document per agency, only its own cases (ADR 0086)."""
    meeting, kind = _chaired_meeting(request, pk)
    issued = meetings.minutes_issues(meeting)
    form = f.MinutesIssueForm(request.POST or None, initial={"version": issued}, issued=issued)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            documents = meetings.minutes_issue(
                meeting=meeting,
                actor=request.user,
                read_issues=form.read_version,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                refusal = " ".join(error.messages)
        else:
            messages.success(
                request,
                f"The minutes are issued to {len(documents)} agency(ies), each with only its own cases, "
                "and emailed to each agency's contact address.",
            )
            return redirect("referrals:meeting", meeting.pk)
    recipients = meetings._minutes_recipients(meeting) if meeting.status == "held" else []
    errors = _errors(form) + ([{"text": refusal, "href": None}] if refusal else [])
    return render(
        request,
        "referrals/minutes_issue.html",
        {
            "form": form,
            "meeting": meeting,
            "kind": kind,
            "issued": issued,
            "recipients": [(agency, [i.case.reference for i in items]) for agency, items in recipients],
            "errors": errors,
            "page_error": bool(errors),
        },
    )


@login_required
def meeting_minutes(request, pk: int):
    """The minutes as this reader may read them: who came, and the sections of the cases they see.
    A sitting's minutes are each review's own (on its panel page)."""
    meeting, kind = _meeting(request, pk)
    if sittings.is_sitting(meeting):
        raise Http404("No such page")
    return render(
        request,
        "referrals/minutes.html",
        {
            "meeting": meeting,
            "kind": kind,
            "items": [i for i in meetings.minutes_sections_for(request.user, meeting) if i.heard],
            "attendance": meeting.attendance.select_related("agency"),
            "close_reason_words": meetings.CLOSE_REASON_WORDS,
        },
    )


# --- Figures --------------------------------------------------------------------------------------


def _figures(request):
    if not selectors.may_see_figures(request.user):
        raise Http404("No such page")
    today = timezone.localdate()
    form = f.FiguresForm(request.GET or None)
    year = figures.year_of(today)
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    partnership = request.user.partnership
    return (
        form,
        year,
        figures.panel_figures(partnership, year=year),
        figures.tracker_counts(partnership, today=today),
    )


@login_required
def figures_page(request):
    form, year, rows, tracker = _figures(request)
    start, end = figures.financial_year(year)
    return _page(
        request,
        "referrals/figures.html",
        {"form": form, "year": year, "start": start, "end": end, "rows": rows, "tracker": tracker},
    )


@login_required
def figures_csv(request):
    form, year, rows, tracker = _figures(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="panel-figures-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "year",
            "panel",
            "cases_heard",
            "actions_set",
            "closed_risk_reduced",
            "closed",
            "open",
            "referred",
            "referred_by_partner",
            "referred_from_repeat_caller_triage",
            "referred_from_hotspot",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                year,
                row.code,
                row.heard,
                row.actions,
                row.closed_risk_reduced,
                row.closed,
                row.open,
                row.referred,
                row.referred_by_partner,
                row.referred_from_triage,
                row.referred_from_hotspot,
            ]
        )
    if tracker is not None:
        writer.writerow([])
        writer.writerow(["tracker_addresses_on", "count"])
        writer.writerow([tracker["year_ago"].isoformat(), tracker["then"]])
        writer.writerow([tracker["today"].isoformat(), tracker["now"]])
    return response
