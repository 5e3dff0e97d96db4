"""Pages for monitoring actions. Thin: access through the selectors, changes through the services.

Marking an action done or no longer viable closes it for good, so each goes form -> "check and
confirm" page -> done, without JavaScript: the confirmation page carries what was typed in hidden
fields and only a POST with `confirm` changes anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casereview.accounts.models import Agency
from casereview.applications.rules import can_run_review
from casereview.applications.selectors import PARTNERSHIP_WIDE_ROLES
from casereview.letters.checks import SAVE_ANYWAY_OFFERED, offer_save_anyway, shared_text_warning
from casereview.web.concurrency import StaleRecord
from casereview.web.csv_export import export_query
from casereview.web.forms import add_service_errors
from casereview.web.pagination import COUNT_CAP, CappedPaginator, counts_capped

from . import ladder, selectors, services
from .forms import ActionEditForm, CompleteForm, DateInput, DelayForm, NoteForm, NotViableForm

PAGE_SIZE = 25

SHOW_CHOICES = [
    ("open", "All open actions"),
    ("overdue", "Overdue"),
    ("due_soon", f"Due in the next {selectors.DUE_SOON_DAYS} days"),
    ("closed", "Done or no longer viable"),
    ("all", "All actions"),
]
SORT_CHOICES = [("due", "Due date"), ("escalation", "Escalation level"), ("case", "Case reference")]


def _list_filters(request):
    """The list's filters from the address, as the page and its CSV read them."""
    user = request.user
    wide = user.has_role(*PARTNERSHIP_WIDE_ROLES)
    show = request.GET.get("show", "open")
    show = show if show in dict(SHOW_CHOICES) else "open"
    sort = request.GET.get("sort", "due")
    sort = sort if sort in dict(SORT_CHOICES) else "due"
    agencies = (
        list(Agency.objects.filter(partnership_id=user.partnership_id).only("id", "name")) if wide else []
    )
    agency_id = None
    if wide and request.GET.get("agency", "").isdigit():
        agency_id = int(request.GET["agency"])
        if agency_id not in {a.pk for a in agencies}:
            agency_id = None
    case = request.GET.get("case", "").strip()[:20]
    filters = selectors.ActionFilters(show=show, agency=agency_id, case=case, sort=sort)
    return wide, agencies, filters


@login_required
def action_list_csv(request):
    """The action list as CSV: the page's filters and scope, every row; in the access log."""
    from casereview.audit.services import access_event_record
    from casereview.web.csv_export import csv_download

    today = timezone.localdate()
    _wide, _agencies, filters = _list_filters(request)
    actions = selectors.actions_list(request.user, filters=filters, today=today).prefetch_related(
        "escalations"
    )
    access_event_record(
        action="export",
        request=request,
        summary="Action list exported as CSV",
        purpose="Case management",
        details={"filters": {"show": filters.show, "agency": filters.agency, "case": filters.case}},
    )

    def rows():
        for action in actions.iterator(chunk_size=500):
            overdue = (today - action.effective_due_on).days if action.is_open else 0
            top = max(action.escalations.all(), key=lambda row: row.position, default=None)
            yield [
                action.case.reference,
                action.description,
                str(action.owner) if action.owner else "",
                str(action.owner_agency) if action.owner_agency else "",
                action.effective_due_on.isoformat(),
                max(overdue, 0),
                "Overdue" if overdue > 0 and action.is_open else action.get_status_display(),
                top.title if top else "Not escalated",
            ]

    header = ["case", "action", "owner", "agency", "due", "days overdue", "status", "escalation"]
    return csv_download("actions", header, rows())


@login_required
def action_list(request):
    today = timezone.localdate()
    user = request.user
    wide, agencies, filters = _list_filters(request)
    agency_id, case, show = filters.agency, filters.case, filters.show
    actions = selectors.actions_list(user, filters=filters, today=today)
    # The list's count and the open and overdue counts in one query. Unfiltered but for "show",
    # the list of open (or overdue) actions is the one the count above it counts: counted once.
    count_queries = selectors.action_open_count_queries(user, today=today)
    same = show if show in count_queries and not (agency_id or case) else None
    if same:
        del count_queries[same]
    counts = counts_capped({"list": actions, **count_queries}, COUNT_CAP, request=request)
    if same:
        counts[same] = counts["list"]
    paginator = CappedPaginator(selectors.with_top_escalation(actions), PAGE_SIZE, counted=counts.pop("list"))
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query = query.urlencode()
    return render(
        request,
        "actions/list.html",
        {
            "rows": _list_rows(page.object_list, today),
            "page": page,
            "query": query,
            "page_links": [
                (number, f"?{query + '&' if query else ''}page={number}") for number in paginator.page_range
            ]
            if page.has_other_pages()
            else [],
            "wide": wide,
            "agencies": agencies,
            "filters": filters,
            "show_choices": SHOW_CHOICES,
            "sort_choices": SORT_CHOICES,
            "counts": counts,
            "count_cap": COUNT_CAP,
            "today": today,
            "filtered": bool(agency_id or case or show != "open"),
            "export_query": export_query(request, ("show", "agency", "case", "sort")),
        },
    )


def _list_rows(actions, today) -> list[dict]:
    """The actions list's rows as the template shows them: links, dates and words made here once
    (a template's `{% url %}`, `|date` and includes per row cost most of the page)."""
    from django.utils.text import Truncator

    from casereview.web.display import NUMBER_MARK, date_as, url_for_each

    detail = url_for_each("actions:detail", NUMBER_MARK)
    rows = []
    for action in actions:
        role = action.escalation_role
        overdue_days = (today - action.effective_due_on).days if action.is_open else 0
        if action.status == "done":
            status = ("govuk-tag--green", "Done")
        elif action.status == "not_viable":
            status = ("govuk-tag--grey", "No longer viable")
        elif overdue_days > 0:
            status = ("govuk-tag--red", "Overdue")
        elif action.status == "delayed":
            status = ("govuk-tag--yellow", "Delayed")
        else:
            status = ("govuk-tag--blue", "Open")
        rows.append(
            {
                "action": action,
                "url": detail(action.pk),
                "description": Truncator(action.description).chars(90),
                "due": date_as(action.effective_due_on, "j M Y"),
                "overdue_days": overdue_days,
                "status": status,
                "escalation": ladder.rung_title(action.escalation_position, role)
                if role is not None
                else "Not escalated",
            }
        )
    return rows


@login_required
def action_detail(request, pk: int):
    action = selectors.action_get_for_user(request.user, pk)
    today = timezone.localdate()
    escalation = selectors.action_escalation_state(action, today=today)
    sent = {row.step: row for row in escalation.sent}
    all_rungs = selectors.action_rungs(action)
    passed = ladder.passed_over(all_rungs, sent=sent)
    rungs = [
        {"rung": rung, "label": rung.who, "sent": sent.get(rung.name), "passed_over": rung.name in passed}
        for rung in all_rungs
    ]
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("by"),
            "escalation": escalation,
            "rungs": rungs,
            "can_update": action.is_open and selectors.action_can_update(request.user, action),
            "can_edit": can_run_review(request.user, action.case)
            and not action.panel_meetings.filter(outcome_issued_on__isnull=False).exists(),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    """Change an action's words, or stop sharing it with the victim, before the outcome letter:
    where the outcome letter's refusal links to. Words shared with the victim that name an alleged
    perpetrator (the letters' own check) are warned about before anything is saved."""
    action = selectors.action_get_for_user(request.user, pk)
    if not can_run_review(request.user, action.case):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can change an action.")
    form = ActionEditForm(
        request.POST if request.method == "POST" else None, initial=ActionEditForm.initial_for(action)
    )
    if request.POST.get(SAVE_ANYWAY_OFFERED):
        offer_save_anyway(form)
    named = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        named = shared_text_warning(
            form,
            case=action.case,
            text=data["description"],
            shared=data["share_with_victim"],
            where="the action",
        )
        if not named:
            try:
                services.action_edit(
                    action=action,
                    description=data["description"],
                    share_with_victim=data["share_with_victim"],
                    actor=request.user,
                    read_version=form.read_version,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The action is saved.")
                return redirect("actions:detail", pk=action.pk)
    return render(
        request,
        "actions/edit.html",
        {"action": action, "form": form, "named": named, "page_error": bool(form.errors)},
        status=400 if form.errors else 200,
    )


def _updatable(request, pk: int):
    action = selectors.action_get_for_user(request.user, pk)
    if not selectors.action_can_update(request.user, action):
        raise PermissionDenied(
            "Only the action's owner, their agency, the SPOC or a community safety manager can update it."
        )
    if not action.is_open:
        messages.info(request, "This action is already closed.")
        return action, redirect("actions:detail", pk=action.pk)
    return action, None


def _errors_from(exc: ValidationError, form=None) -> dict[str, list[str]]:
    """A service's refusal as the page's errors; a stale page also shows the action as it is now."""
    if isinstance(exc, StaleRecord) and form is not None:
        form.show_stale(exc)
        form.errors.pop("__all__", None)  # said once, in `errors`
    if hasattr(exc, "error_dict"):
        return {field: [m for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {"__all__": exc.messages}


@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request, pk: int):
    action, closed = _updatable(request, pk)
    if closed:
        return closed
    today = timezone.localdate()
    if request.method == "GET":
        form = CompleteForm(initial=CompleteForm.initial_for(action))
        date = DateInput.showing("completed_on", today)
        return _render_complete(request, action, form, date, {})
    form = CompleteForm(request.POST, initial=CompleteForm.initial_for(action))
    # Whether the date is past is said once what was done is there (one thing to put right at a time).
    date, completed_on = DateInput.read(
        request.POST, "completed_on", words="the date it was done", today=today, past_only=form.is_valid()
    )
    errors = {"completed_on": [date.error]} if date.error else {}
    if not form.is_valid() or errors:
        return _render_complete(request, action, form, date, errors)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "actions/confirm_complete.html",
            {"action": action, "form": form, "date": date, "completed_on": completed_on},
        )
    try:
        services.action_complete(
            action=action,
            actor=request.user,
            what_happened=form.cleaned_data["what_happened"],
            completed_on=completed_on,
            today=today,
            tell_victim=form.cleaned_data["tell_victim"],
            read_version=form.read_version,
        )
    except ValidationError as exc:
        return _render_complete(request, action, form, date, _errors_from(exc, form))
    messages.success(request, "Action marked as done.")
    return redirect("actions:detail", pk=action.pk)


def _render_complete(request, action, form, date, errors):
    return render(
        request,
        "actions/complete.html",
        {
            "action": action,
            "form": form,
            "date": date,
            "errors": errors,
            "page_error": bool(form.errors or errors),
        },
        status=400 if (form.errors or errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_delay(request, pk: int):
    action, closed = _updatable(request, pk)
    if closed:
        return closed
    today = timezone.localdate()
    if request.method == "GET":
        form = DelayForm(initial=DelayForm.initial_for(action))
        return _render_delay(request, action, form, DateInput.showing("revised_due_on", None), {})
    form = DelayForm(request.POST, initial=DelayForm.initial_for(action))
    date, revised = DateInput.read(
        request.POST, "revised_due_on", words="the new date", today=today, future_only=True
    )
    errors = {"revised_due_on": [date.error]} if date.error else {}
    if not form.is_valid() or errors:
        return _render_delay(request, action, form, date, errors)
    try:
        services.action_delay(
            action=action,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            revised_due_on=revised,
            today=today,
            read_version=form.read_version,
            tell_victim=form.cleaned_data["tell_victim"],
        )
    except ValidationError as exc:
        return _render_delay(request, action, form, date, _errors_from(exc, form))
    messages.success(request, f"Action delayed: now due {revised:%-d %B %Y}.")
    return redirect("actions:detail", pk=action.pk)


@login_required
@require_http_methods(["GET", "POST"])
def action_note(request, pk: int):
    """A progress note on an open action, which the owner may share with the victim."""
    action, closed = _updatable(request, pk)
    if closed:
        return closed
    form = NoteForm(request.POST if request.method == "POST" else None, initial=NoteForm.initial_for(action))
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.action_note_record(
                action=action,
                actor=request.user,
                note=form.cleaned_data["note"],
                today=timezone.localdate(),
                read_version=form.read_version,
                tell_victim=form.cleaned_data["tell_victim"],
            )
        except ValidationError as exc:
            errors = _errors_from(exc, form)
        else:
            shared = form.cleaned_data["tell_victim"]
            messages.success(request, "Progress note added" + (" and sent to the victim." if shared else "."))
            return redirect("actions:detail", pk=action.pk)
    return render(
        request,
        "actions/note.html",
        {"action": action, "form": form, "errors": errors, "page_error": bool(form.errors or errors)},
        status=400 if (form.errors or errors) else 200,
    )


def _render_delay(request, action, form, date, errors):
    return render(
        request,
        "actions/delay.html",
        {
            "action": action,
            "form": form,
            "date": date,
            "errors": errors,
            "page_error": bool(form.errors or errors),
        },
        status=400 if (form.errors or errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_not_viable(request, pk: int):
    action, closed = _updatable(request, pk)
    if closed:
        return closed
    if request.method == "GET":
        return _render_not_viable(
            request, action, NotViableForm(initial=NotViableForm.initial_for(action)), {}
        )
    form = NotViableForm(request.POST, initial=NotViableForm.initial_for(action))
    if not form.is_valid():
        return _render_not_viable(request, action, form, {})
    if request.POST.get("confirm") != "yes":
        return render(request, "actions/confirm_not_viable.html", {"action": action, "form": form})
    try:
        services.action_mark_not_viable(
            action=action,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
            read_version=form.read_version,
            tell_victim=form.cleaned_data["tell_victim"],
        )
    except ValidationError as exc:
        return _render_not_viable(request, action, form, _errors_from(exc, form))
    messages.success(request, "Action marked as no longer viable.")
    return redirect("actions:detail", pk=action.pk)


def _render_not_viable(request, action, form, errors):
    return render(
        request,
        "actions/not_viable.html",
        {"action": action, "form": form, "errors": errors, "page_error": bool(form.errors or errors)},
        status=400 if (form.errors or errors) else 200,
    )


def case_section_context(request, application):
    """The Actions section of the case page: the case's actions this user may see."""
    today = timezone.localdate()
    actions = (
        selectors.actions_visible_to(request.user)
        .filter(case=application)
        .select_related("owner", "owner_agency")
        .prefetch_related("escalations")
    )
    rows = [
        {
            "action": action,
            "overdue_days": (today - action.effective_due_on).days if action.is_open else 0,
            "escalation": max(action.escalations.all(), key=lambda row: row.position, default=None),
        }
        for action in actions
    ]
    return {"action_rows": rows, "today": today}
