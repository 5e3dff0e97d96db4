"""Reads of actions. Every one starts from `cases_visible_to(user)` (every kind of case: the
review's and the standing panels' actions climb one ladder), and an agency officer
sees only the actions their own agency owns: another agency's action is a 404, as an unseen case is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from casereview.accounts.models import Role
from casereview.applications.selectors import PARTNERSHIP_WIDE_ROLES, cases_visible_to
from casereview.web.pagination import COUNT_CAP, counts_capped

from . import ladder
from .models import Action, ActionStatus, EscalationSent

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.DELAYED)

#: "Due soon": due within this many days from today (inclusive).
DUE_SOON_DAYS = 14


def actions_visible_to(user) -> QuerySet[Action]:
    visible = Action.objects.filter(case__in=cases_visible_to(user))
    if user.is_authenticated and user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return visible
    if user.is_authenticated and user.agency_id is not None:
        return visible.filter(owner_agency_id=user.agency_id)
    return Action.objects.none()


def action_get_for_user(user, pk: int) -> Action:
    action = (
        actions_visible_to(user)
        .select_related("case", "case__spoc", "owner", "owner__line_manager", "owner_agency")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def actions_for_letter(case, *, shared_only: bool) -> QuerySet[Action]:
    """The case's action plan as a letter lists it (letters.context.register_action_plan)."""
    actions = Action.objects.filter(case=case).select_related("owner_agency", "owner")
    if shared_only:
        actions = actions.filter(share_with_victim=True)
    return actions.order_by("due_on", "id")


def action_can_update(user, action: Action) -> bool:
    """Who may report progress on an action (seed 004 §13: owners tell the SPOC; the SPOC records
    it): the named owner, any officer of the owning agency, the case's SPOC, or a community safety
    manager. The action must already be visible to the user."""
    if not actions_visible_to(user).filter(pk=action.pk).exists():
        return False
    if action.owner_id == user.pk or action.owner_agency_id == user.agency_id:
        return True
    if action.case.spoc_id == user.pk:
        return True
    return user.has_role(Role.COMMUNITY_SAFETY_MANAGER)


@dataclass(frozen=True)
class ActionFilters:
    show: str = "open"  # open | overdue | due_soon | closed | all
    agency: int | None = None
    case: str = ""
    sort: str = "due"  # due | case | escalation


SORTS = {
    "due": ("effective_due", "id"),
    "case": ("case__reference", "effective_due", "id"),
    "escalation": ("-escalation_position", "effective_due", "id"),
}


def actions_list(user, *, filters: ActionFilters, today: dt.date) -> QuerySet[Action]:
    """The actions list (/actions/): what the user may see, filtered and sorted."""
    from django.db.models.functions import Coalesce

    actions = (
        actions_visible_to(user)
        .select_related("case", "owner", "owner_agency")
        .annotate(
            effective_due=Coalesce("revised_due_on", "due_on"),
            # A subquery, not MAX() with GROUP BY: the database can then stop at the page's last
            # row instead of grouping every action first (ADR 0020).
            escalation_position=Coalesce(
                Subquery(
                    EscalationSent.objects.filter(action=OuterRef("pk"))
                    .order_by("-position")
                    .values("position")[:1]
                ),
                0,
            ),
        )
    )
    if filters.show == "open":
        actions = actions.filter(status__in=OPEN_STATUSES)
    elif filters.show == "overdue":
        actions = actions.filter(status__in=OPEN_STATUSES, effective_due__lt=today)
    elif filters.show == "due_soon":
        actions = actions.filter(
            status__in=OPEN_STATUSES,
            effective_due__gte=today,
            effective_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
    elif filters.show == "closed":
        actions = actions.exclude(status__in=OPEN_STATUSES)
    if filters.agency:
        actions = actions.filter(owner_agency_id=filters.agency)
    if filters.case:
        actions = actions.filter(case__reference__iexact=filters.case.strip())
    return actions.order_by(*SORTS.get(filters.sort, SORTS["due"]))


def with_top_escalation(actions: QuerySet[Action]) -> QuerySet[Action]:
    """`actions_list`'s actions with the recipient of each one's highest escalation sent, as
    `escalation_role` (None when none was sent; its position is `escalation_position`): the list's
    "Escalation" column in the page's own query, not a query of every escalation of the page. Of
    two escalations at the same position, the earlier row, as `max()` over them in their order."""
    return actions.annotate(
        escalation_role=Subquery(
            EscalationSent.objects.filter(action=OuterRef("pk"))
            .order_by("-position", "id")
            .values("recipient_role")[:1]
        )
    )


def action_open_count_queries(user, *, today: dt.date) -> dict[str, QuerySet[Action]]:
    """What `action_open_counts` counts, as queries (for a page counting them with its list's in
    one query, `web.pagination.counts_capped`)."""
    open_actions = actions_visible_to(user).filter(status__in=OPEN_STATUSES)
    overdue = Q(revised_due_on__lt=today) | Q(revised_due_on__isnull=True, due_on__lt=today)
    return {"open": open_actions, "overdue": open_actions.filter(overdue)}


def action_open_counts(user, *, today: dt.date, cap: int = COUNT_CAP) -> dict[str, int]:
    """Open and overdue actions, each count capped (``cap + 1`` means "more than ``cap``": ADR 0020)."""
    return counts_capped(action_open_count_queries(user, today=today), cap)


@dataclass(frozen=True)
class EscalationState:
    """Where an action stands on the ladder: what has been sent, and what comes next."""

    sent: list[EscalationSent]
    level: str  # plain words: "Not escalated", "Escalated to the owner's line manager" …
    position: int
    next_rung: ladder.Rung | None
    days_overdue: int


def line_manager_is_head_of_service(action: Action) -> bool:
    manager = action.owner.line_manager if action.owner_id else None
    return bool(manager and manager.has_role(Role.HEAD_OF_SERVICE))


def action_rungs(action: Action) -> list[ladder.Rung]:
    partnership = action.case.partnership
    return ladder.ladder(
        partnership.policy,
        due_on=action.effective_due_on,
        line_manager_is_head_of_service=line_manager_is_head_of_service(action),
        calendar=partnership.calendar,
    )


def action_escalation_state(action: Action, *, today: dt.date) -> EscalationState:
    sent = list(action.escalations.all())
    sent_names = {row.step for row in sent}
    top = max(sent, key=lambda row: row.position, default=None)
    level = top.title if top else "Not escalated"
    next_rung = None
    if action.is_open:
        rungs = action_rungs(action)
        last_sent = max((r.position for r in rungs if r.name in sent_names), default=0)
        next_rung = next((r for r in rungs if r.position > last_sent and r.name not in sent_names), None)
    days = (today - action.effective_due_on).days if action.is_open else 0
    return EscalationState(
        sent=sent,
        level=level,
        position=top.position if top else 0,
        next_rung=next_rung,
        days_overdue=max(days, 0),
    )


def overdue_by_agency(user, *, today: dt.date) -> dict[str, int]:
    """Open actions past their (revised) due date that the user may see, counted by the agency
    that owns them (the dashboards, issue 20)."""
    from django.db.models import Count

    rows = (
        actions_list(user, filters=ActionFilters(show="overdue"), today=today)
        .order_by()
        .values_list("owner_agency__name")
        .annotate(n=Count("id"))
    )
    return dict(sorted(rows, key=lambda row: (-row[1], row[0])))


def actions_escalated_to(user, *, today: dt.date) -> QuerySet[Action]:
    """Overdue open actions the user may see that the escalation ladder has sent to them."""
    return (
        actions_list(user, filters=ActionFilters(show="overdue"), today=today)
        .filter(Exists(EscalationSent.objects.filter(action=OuterRef("pk"), recipients=user)))
        .order_by("effective_due", "id")
    )


def action_owner_agency_id(pk: int) -> int | None:
    """The agency an action is given to, by the action's id (casereview.api's webhooks)."""
    return Action.objects.filter(pk=pk).values_list("owner_agency_id", flat=True).first()


def open_actions_of_case(case) -> QuerySet[Action]:
    """The case's actions still open (open or delayed), not scoped to a user: for the case's own
    pages and services, which have already decided access (the review's duties to reassign)."""
    return Action.objects.filter(case=case, status__in=OPEN_STATUSES)
