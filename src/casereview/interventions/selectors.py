"""Reads of interventions. Who may see one: the partnership's community safety team and senior
roles (applications.selectors.PARTNERSHIP_WIDE_ROLES) see every intervention of the partnership;
an agency officer sees those their agency leads or has issued a step in. Every read of one
intervention goes to the access log (it holds criminal-offence data)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from casereview.accounts.models import Role
from casereview.applications.selectors import (
    PARTNERSHIP_WIDE_ROLES,
    case_parties,
    case_party_agencies,
    cases_visible_to,
)
from casereview.audit.services import audit_read
from casereview.core import enforcement
from casereview.core.enforcement_reasons import render
from casereview.law.selectors import commencement_register

from .models import BreachFlag, BreachStatus, Intervention, Status, Step

WIDE_ROLES = (*PARTNERSHIP_WIDE_ROLES, Role.ANALYST)
#: The steps that count as escalation after a first warning (everything above it on the ladder).
ESCALATION_KINDS = frozenset(set(enforcement.DEFAULT_LADDER) - {"warning_letter"})


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.partnership_id)


def may_record(user) -> bool:
    return _signed_in(user) and user.has_role(*PARTNERSHIP_WIDE_ROLES, Role.AGENCY_OFFICER)


def may_see_list(user) -> bool:
    """Who is shown the menu link: anyone who could see an intervention (the staff menu's check)."""
    return _signed_in(user) and user.has_role(*WIDE_ROLES, Role.AGENCY_OFFICER)


def interventions_visible_to(user) -> QuerySet[Intervention]:
    """The interventions whose case the one access selector lets the user see (ADR 0066): the
    partnership-wide roles see all of the partnership's; an agency officer those whose case their
    agency is party to (the lead agency, an agency that issued a step, an agency involved). Analysts
    see the figures, never one person's intervention."""
    if not _signed_in(user):
        return Intervention.objects.none()
    return Intervention.objects.filter(casework__in=cases_visible_to(user))


def intervention_get_for_user(user, pk: int, *, purpose: str = "Intervention") -> Intervention:
    intervention = (
        interventions_visible_to(user)
        .select_related("person", "premises", "lead_agency", "officer")
        .filter(pk=pk)
        .first()
    )
    if intervention is None:
        raise Http404("No such intervention")
    audit_read(user=user, obj=intervention, purpose=purpose)
    return intervention


@dataclass(frozen=True)
class ListFilters:
    status: str = "open"
    subject: str = ""
    agency: int | None = None
    kind: str = ""


def intervention_list(user, filters: ListFilters) -> QuerySet[Intervention]:
    rows = interventions_visible_to(user).select_related("person", "premises", "lead_agency", "officer")
    if filters.status in Status.values:
        rows = rows.filter(status=filters.status)
    if filters.subject == "person":
        rows = rows.filter(person__isnull=False)
    elif filters.subject == "premises":
        rows = rows.filter(premises__isnull=False)
    if filters.agency:
        rows = rows.filter(lead_agency_id=filters.agency)
    if filters.kind:
        rows = rows.filter(steps__kind=filters.kind).distinct()
    return rows.order_by("-opened_on", "-id")


def intervention_list_export(user, filters: ListFilters):
    """The list's rows as CSV rows, in the database and streamed (`iterator`): references, kinds,
    dates and counts, never a name. Same scope and filters as the page."""
    latest = Step.objects.filter(intervention=OuterRef("pk")).order_by("-served_on", "-id")
    rows = (
        intervention_list(user, filters)
        .annotate(
            step_count=Count("steps", distinct=True),
            last_kind=Subquery(latest.values("kind")[:1]),
            last_served=Subquery(latest.values("served_on")[:1]),
            support_count=Count("referrals", distinct=True),
            open_flags=Count("breach_flags", filter=Q(breach_flags__status=BreachStatus.OPEN), distinct=True),
        )
        .values_list(
            "id",
            "casework__reference",
            "programme",
            "person_id",
            "lead_agency__name",
            "opened_on",
            "status",
            "step_count",
            "last_kind",
            "last_served",
            "support_count",
            "open_flags",
        )
    )
    for (
        pk,
        case_ref,
        programme,
        person_id,
        agency,
        opened_on,
        status,
        steps,
        last_kind,
        last_served,
        support,
        flags,
    ) in rows.iterator(chunk_size=500):
        yield [
            f"INT-{pk}",
            case_ref or "",
            programme,
            "person" if person_id else "premises",
            agency,
            opened_on.isoformat(),
            status,
            steps,
            last_kind or "",
            last_served.isoformat() if last_served else "",
            support,
            flags,
        ]


def casework_agency_ids(intervention: Intervention) -> list[int]:
    """The agencies party to the intervention's case (the lead, those that issued a step, those involved)."""
    if not intervention.casework_id:
        return [intervention.lead_agency_id]
    return [agency.pk for agency in case_party_agencies(intervention.casework)]


def casework_protected_parties(intervention: Intervention):
    """The victims, reporters and witnesses on the intervention's case (whom no served document names)."""
    if not intervention.casework_id:
        return []
    return list(
        case_parties(intervention.casework).filter(
            role__in=("victim", "reporter", "witness"), until__isnull=True
        )
    )


def step_get(intervention: Intervention, pk: int) -> Step:
    step = intervention.steps.filter(pk=pk).first()
    if step is None:
        raise Http404("No such step")
    return step


def breach_flag_get(intervention: Intervention, pk: int) -> BreachFlag:
    flag = intervention.breach_flags.filter(pk=pk).first()
    if flag is None:
        raise Http404("No such flag")
    return flag


@dataclass(frozen=True)
class HearingWarning:
    step: Step
    status: str  # pending, due_soon, overdue
    deadline: dt.datetime
    hours: int
    text: str


def hearing_warnings(intervention: Intervention, *, now: dt.datetime | None = None) -> list[HearingWarning]:
    """Each closure notice whose application the court has not yet heard, with how near its deadline is."""
    now = now or timezone.now()
    register = commencement_register()
    out = []
    for step in intervention.steps.filter(
        kind="closure_notice", hearing_at__isnull=True, served_at__isnull=False
    ):
        hearing = enforcement.closure_hearing(step.served_at, nation=intervention.nation, register=register)
        status = hearing.status(now)
        local = timezone.localtime(hearing.deadline)
        params = {
            "deadline_text": f"{local:%H:%M} on {local.day} {local:%B %Y}",
            "hours": hearing.hours,
            "_source": hearing.source,
            "_in_force_from": hearing.in_force_from.isoformat() if hearing.in_force_from else None,
        }
        code = "hearing_overdue" if status == "overdue" else "hearing_due_soon"
        out.append(HearingWarning(step, status, hearing.deadline, hearing.hours, render((code, params))))
    return out


def next_suggested(intervention: Intervention) -> str | None:
    policy = intervention.partnership.policy
    ladder = policy.interventions_premises_ladder if intervention.premises_id else policy.interventions_ladder
    return enforcement.next_rung(ladder, intervention.steps.values_list("kind", flat=True))


def open_breach_flags(user) -> QuerySet[BreachFlag]:
    return BreachFlag.objects.filter(
        owner=user, status=BreachStatus.OPEN, intervention__in=interventions_visible_to(user)
    ).select_related("intervention", "step", "report")


# --- Figures ---------------------------------------------------------------------------------------


def _year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass
class FigureRow:
    year: int
    agency: str
    warnings: int = 0
    escalated: int = 0
    notices_orders: Counter | None = None
    breaches: int = 0
    appeals: int = 0
    appeals_by_outcome: Counter | None = None

    @property
    def escalated_share(self) -> str:
        return f"{round(100 * self.escalated / self.warnings)}%" if self.warnings else "–"


NOTICE_ORDER_KINDS = (
    "cpw",
    "cpn",
    "fpn",
    "civil_injunction",
    "respect_order",
    "youth_injunction",
    "housing_injunction",
    "cbo",
    "closure_notice",
    "closure_order",
    "dispersal_direction",
    "pspo",
)


def figures(partnership_id: int) -> list[FigureRow]:
    """Derived from the steps themselves, per calendar year and issuing agency:

    - warnings: first warning letters issued (one per intervention: the earliest);
    - escalated: of those, how many were followed within 12 months (the same day a year on
      included) by a second warning or any step higher on the ladder, by any agency;
    - notices and orders by kind; breaches (steps whose outcome is breached, and possible breaches
      an officer confirmed); appeals (steps appealed)."""
    steps = list(
        Step.objects.filter(intervention__partnership_id=partnership_id)
        .select_related("issuing_agency")
        .order_by("served_on", "id")
        .values(
            "id", "intervention_id", "kind", "served_on", "outcome", "appealed_on", "issuing_agency__name"
        )
    )
    confirmed = Counter(
        BreachFlag.objects.filter(
            intervention__partnership_id=partnership_id, status=BreachStatus.CONFIRMED
        ).values_list("step_id", flat=True)
    )
    by_intervention = defaultdict(list)
    for step in steps:
        by_intervention[step["intervention_id"]].append(step)
    rows: dict[tuple[int, str], FigureRow] = {}

    def row(step) -> FigureRow:
        key = (step["served_on"].year, step["issuing_agency__name"])
        if key not in rows:
            rows[key] = FigureRow(key[0], key[1], notices_orders=Counter(), appeals_by_outcome=Counter())
        return rows[key]

    for items in by_intervention.values():
        first = next((s for s in items if s["kind"] == "warning_letter"), None)
        if first is not None:
            r = row(first)
            r.warnings += 1
            until = _year_later(first["served_on"])
            if any(
                s["id"] != first["id"]
                and s["kind"] in ESCALATION_KINDS
                and first["served_on"] <= s["served_on"] <= until
                for s in items
            ):
                r.escalated += 1
    for step in steps:
        r = row(step)
        if step["kind"] in NOTICE_ORDER_KINDS:
            r.notices_orders[step["kind"]] += 1
        if step["outcome"] == "breached" or confirmed.get(step["id"]):
            r.breaches += 1
        if step["appealed_on"]:
            r.appeals += 1
            r.appeals_by_outcome["pending" if step["outcome"] == "appealed" else step["outcome"]] += 1
    return sorted(rows.values(), key=lambda r: (-r.year, r.agency))


# --- Closure notices and orders at a place (for the cuckooing tracker, issue 16) -------------------

CLOSURE_KINDS = ("closure_notice", "closure_order")


@dataclass(frozen=True)
class ClosureAtPlace:
    """A closure notice or order recorded on an intervention against premises, as the tracker shows
    it: dates and status only, and whether this reader may open the intervention itself."""

    step: Step
    intervention_id: int
    ends: dt.datetime | dt.date | None  # the notice's end (served_at + hours), the order's expiry
    in_force: bool
    status: str
    hearing_by: dt.datetime | None  # a notice whose order application the court has not heard
    hearing_status: str  # "", "pending", "due_soon", "overdue"
    may_open: bool

    @property
    def kind_label(self) -> str:
        return self.step.get_kind_display()


def _closure_state(step: Step, now: dt.datetime) -> tuple[bool, str, object]:
    """(in force, status words, its end) of one closure notice or order, as recorded: a notice for
    its hours from its time of service; an order from the day it was made to its expiry (to the
    court's word when none is recorded); either ended early when discharged."""
    if step.outcome == "discharged":
        return False, f"Discharged{f' on {step.outcome_on:%-d %B %Y}' if step.outcome_on else ''}", None
    if step.kind == "closure_notice":
        if step.served_at is None or not step.duration_hours:
            return False, "Served; its time or length is not recorded", None
        ends = enforcement.closure_notice_ends(step.served_at, step.duration_hours)
        local = timezone.localtime(ends)
        when = f"{local:%H:%M} on {local.day} {local:%B %Y}"
        if step.served_at <= now < ends:
            return True, f"In force until {when}", ends
        return False, f"Ended {when}" if now >= ends else f"In force from {when}", ends
    today = timezone.localdate(now)
    if step.served_on > today:
        return False, f"Made for {step.served_on:%-d %B %Y}", step.expires_on
    if step.expires_on is None:
        return True, "In force (no end date recorded: see the court's decision)", None
    if today <= step.expires_on:
        return True, f"In force until {step.expires_on:%-d %B %Y}", step.expires_on
    return False, f"Ended {step.expires_on:%-d %B %Y}", step.expires_on


def _closure_steps(partnership_id: int, place_ids) -> QuerySet[Step]:
    return Step.objects.filter(
        kind__in=CLOSURE_KINDS,
        intervention__partnership_id=partnership_id,
        intervention__premises_id__in=list(place_ids),
    ).select_related("intervention")


def closures_at_place(user, place, *, now: dt.datetime | None = None) -> list[ClosureAtPlace]:
    """The closure notices and orders recorded for `place` in the user's partnership, newest first,
    with their status, end and (a notice not yet heard) the hearing deadline. A closure notice is
    fixed to the premises and an order made in open court, so their dates and status are shown to
    whoever may see the place on the tracker (the caller's check); the intervention itself only
    opens for those the one access selector lets see it (`may_open`). No person is named here."""
    now = now or timezone.now()
    register = commencement_register()
    visible = set(interventions_visible_to(user).values_list("pk", flat=True))
    out = []
    for step in _closure_steps(user.partnership_id, [place.pk]).order_by("-served_on", "-id"):
        in_force, status, ends = _closure_state(step, now)
        hearing_by, hearing_status = None, ""
        if step.kind == "closure_notice" and step.hearing_at is None and step.served_at is not None:
            hearing = enforcement.closure_hearing(
                step.served_at, nation=step.intervention.nation, register=register
            )
            hearing_by, hearing_status = hearing.deadline, hearing.status(now)
        out.append(
            ClosureAtPlace(
                step=step,
                intervention_id=step.intervention_id,
                ends=ends,
                in_force=in_force,
                status=status,
                hearing_by=hearing_by,
                hearing_status=hearing_status,
                may_open=step.intervention_id in visible,
            )
        )
    return out


def places_with_closure_in_force(
    partnership_id: int, place_ids, *, now: dt.datetime | None = None
) -> set[int]:
    """Which of these places have a closure notice or order in force now (for the tracker's list)."""
    now = now or timezone.now()
    return {
        step.intervention.premises_id
        for step in _closure_steps(partnership_id, place_ids)
        if _closure_state(step, now)[0]
    }
