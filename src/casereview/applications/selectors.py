"""Reads of applications. Access is decided HERE and nowhere else: every list, page, export,
letter, file and search starts from `applications_visible_to(user)`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.http import Http404

from casereview.accounts.models import Role
from casereview.core.names import name_forms

from .models import Application, CaseEvent, ThresholdDecision

# Roles that see every case of their own partnership. An agency officer sees only the cases their
# agency is party to (ApplicationAgency); a user with no role sees nothing.
PARTNERSHIP_WIDE_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SPOC,
    Role.SENIOR_MANAGER,
    Role.PANEL_CHAIR,
    Role.HEAD_OF_SERVICE,
    Role.CHIEF_EXECUTIVE,
    Role.DATA_PROTECTION_OFFICER,
    Role.ADMINISTRATOR,
)


def applications_visible_to(user) -> QuerySet[Application]:
    """The cases this user may see: their partnership's, and for an agency officer only those
    their agency is party to and whose victim has not withdrawn consent to sharing with partner
    agencies (casereview.privacy). Anyone else, and anyone signed out, sees none.

    A user object that came through a request carries `is_verified()` (django-otp): one who has
    not completed the second factor sees nothing here either, whatever the middleware did.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.partnership_id is None:
        return Application.objects.none()
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and not is_verified():
        return Application.objects.none()
    in_partnership = Application.objects.filter(partnership_id=user.partnership_id)
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return in_partnership
    if user.has_role(Role.AGENCY_OFFICER) and user.agency_id is not None:
        from casereview.privacy.models import ConsentWithdrawal

        withdrawn = ConsentWithdrawal.objects.filter(application=OuterRef("pk"), reinstated_at__isnull=True)
        shared = in_partnership.exclude(Exists(withdrawn))
        return shared.filter(agencies__agency_id=user.agency_id).distinct()
    return Application.objects.none()


def application_get_for_user(user, reference: str, *, purpose: str = "Case record") -> Application:
    """One case by reference, or 404 when it does not exist *or* the user may not see it — the
    two are indistinguishable, so guessing references reveals nothing.

    Every successful call is a read of personal data and is recorded in the access log with
    `purpose`; a refused call for a case that exists is recorded too (the data protection officer
    looks for people trying references they should not).
    """
    from casereview.audit.services import access_event_record, audit_read

    application = applications_visible_to(user).filter(reference=reference).first()
    if application is None:
        if isinstance(reference, str) and Application.objects.filter(reference=reference).exists():
            access_event_record(
                action="denied",
                user=user,
                case_reference=reference,
                summary="Case outside the user's scope: 404 given",
            )
        raise Http404("No such case")
    audit_read(user=user, obj=application, purpose=purpose)
    return application


# --- The workspace list: clocks, filters, search, sort ---------------------------------------------


@dataclass(frozen=True)
class Danger:
    """Why a case must be looked at first: shown as a banner at the top of the case page and a tag
    (text, not colour alone) in the case lists. `tag` is the tag's words, `text` the banner's."""

    tag: str
    text: str


def danger_from_events(events: Iterable, *, is_open: bool) -> tuple[Danger, ...]:
    """The dangers a case's timeline records, while the case is open: someone said to be in
    immediate danger when applying ("danger_reported", the apply app), and a latest vulnerability
    risk assessment that is high ("risk_assessed" with data level "high", the reviews app). A
    later assessment that is not high clears the risk marker; a danger report stays while the
    case is open, because nothing in the system records that the person is now safe."""
    if not is_open:
        return ()
    events = list(events)
    dangers = []
    reported = sorted((e for e in events if e.kind == "danger_reported"), key=lambda e: (e.occurred_on, e.id))
    if reported:
        dangers.append(
            Danger(
                tag="Immediate danger reported",
                text=f"Someone was said to be in immediate danger on {reported[0].occurred_on:%-d %B %Y}, "
                "when the application was made. Check with the victim that they are safe now.",
            )
        )
    assessments = sorted(
        (e for e in events if e.kind == "risk_assessed"), key=lambda e: (e.occurred_on, e.at, e.id)
    )
    if assessments and (assessments[-1].data or {}).get("level") == "high":
        dangers.append(
            Danger(
                tag="High risk",
                text=f"The vulnerability risk assessment of {assessments[-1].occurred_on:%-d %B %Y} is high: "
                "consider an interim action now, without waiting for the panel.",
            )
        )
    return tuple(dangers)


DANGER_EVENT_KINDS = ("danger_reported", "risk_assessed")


def application_dangers(application: Application) -> tuple[Danger, ...]:
    events = application.events.filter(kind__in=DANGER_EVENT_KINDS).only(
        "id", "kind", "data", "occurred_on", "at"
    )
    return danger_from_events(events, is_open=application.is_open)


def dangers_for(applications: Iterable[Application]) -> dict[int, tuple[Danger, ...]]:
    """`application_dangers` for a page of cases in one query."""
    applications = list(applications)
    events: dict[int, list] = {a.pk: [] for a in applications}
    for event in CaseEvent.objects.filter(application_id__in=events.keys(), kind__in=DANGER_EVENT_KINDS).only(
        "id", "application_id", "kind", "data", "occurred_on", "at"
    ):
        events[event.application_id].append(event)
    return {a.pk: danger_from_events(events[a.pk], is_open=a.is_open) for a in applications}


@dataclass
class CaseRow:
    """One row of the case list: the case and its clocks on the day, and its dangers."""

    application: Application
    clocks: list
    next_clock: object | None
    dangers: tuple[Danger, ...] = ()

    @property
    def overdue(self) -> list:
        return [c for c in self.clocks if c.is_overdue]

    @property
    def due_today(self) -> list:
        return [c for c in self.clocks if c.is_due_today]


def _policies() -> dict:
    """Policy and calendar per partnership, parsed once per request rather than once per row."""
    cache: dict = {}

    def get(partnership):
        if partnership.pk not in cache:
            cache[partnership.pk] = (partnership.policy, partnership.calendar)
        return cache[partnership.pk]

    return get


def case_rows(applications: Iterable[Application], *, today: dt.date) -> list[CaseRow]:
    """Each case with its clocks on ``today``. Loads the events of all the cases in one query."""
    from .clocks import agency_names_for, clocks_compute, next_due

    applications = list(applications)
    events: dict[int, list] = {a.pk: [] for a in applications}
    for event in CaseEvent.objects.filter(application_id__in=events.keys()).only(
        "id", "application_id", "kind", "data", "occurred_on", "at"
    ):
        events[event.application_id].append(event)
    policy_for = _policies()
    names = agency_names_for(e for case_events in events.values() for e in case_events)
    rows = []
    for application in applications:
        policy, calendar = policy_for(application.partnership)
        clocks = clocks_compute(
            policy=policy,
            calendar=calendar,
            status=application.status,
            events=events[application.pk],
            today=today,
            agency_names=names,
        )
        rows.append(
            CaseRow(
                application=application,
                clocks=clocks,
                next_clock=next_due(clocks),
                dangers=danger_from_events(events[application.pk], is_open=application.is_open),
            )
        )
    return rows


def clock_counts_for_user(user, *, today: dt.date) -> dict[str, int]:
    """How many of the user's visible cases have a clock due today, and how many one overdue."""
    rows = case_rows(applications_visible_to(user).select_related("partnership"), today=today)
    return {
        "due_today": sum(1 for row in rows if row.due_today),
        "overdue": sum(1 for row in rows if row.overdue),
    }


SORTS = {
    "received": "Received (newest first)",
    "received_oldest": "Received (oldest first)",
    "due": "Next due date (soonest first)",
}


def case_list_for_user(
    user,
    *,
    today: dt.date,
    search: str = "",
    status: str = "",
    channel: str = "",
    clock: str = "",
    sort: str = "received",
) -> list[CaseRow]:
    """The case list: the user's visible cases, searched, filtered and sorted.

    Search matches the reference, the victim's name (or organisation) and postcode. ``clock`` is
    "overdue" or "due_today". Clocks are derived from the timeline in Python, so the list is built
    in memory: ASB Case Reviews are tens a year per partnership (domain.md §7).
    """
    cases = applications_visible_to(user).select_related("partnership", "victim")
    if search:
        words = search.strip()
        compact = words.replace(" ", "").upper()
        cases = cases.annotate(postcode_compact=Replace(Upper("victim__postcode"), Value(" "), Value("")))
        # The victim's name accent- and case-insensitively, with common variants of the first name
        # ("Llyr" finds "Llŷr", "Bill Jones" finds "William Jones"): core.names, on the stored
        # Person.name_key, so it behaves the same on SQLite and PostgreSQL.
        by_name = Q(victim__full_name__icontains=words)
        for form in name_forms(words):
            by_name |= Q(victim__name_key__contains=form)
        cases = cases.filter(
            Q(reference__icontains=words)
            | by_name
            | Q(victim__organisation_name__icontains=words)
            | (Q(postcode_compact__startswith=compact) if len(compact) >= 2 else Q(pk__in=[]))
        )
    if status:
        cases = cases.filter(status=status)
    if channel:
        cases = cases.filter(channel=channel)
    rows = case_rows(cases, today=today)
    if clock == "overdue":
        rows = [row for row in rows if row.overdue]
    elif clock == "due_today":
        rows = [row for row in rows if row.due_today]
    if sort == "due":
        rows.sort(key=lambda r: (r.next_clock is None, r.next_clock.due_on if r.next_clock else dt.date.max))
    elif sort == "received_oldest":
        rows.sort(key=lambda r: (r.application.received_on, r.application.pk))
    else:
        rows.sort(key=lambda r: (r.application.received_on, r.application.pk), reverse=True)
    return rows


def application_timeline(application: Application):
    """The case's events, newest first, with who recorded them."""
    return application.events.select_related("actor", "actor__agency").order_by("-at", "-id")


def application_current_decision(application: Application) -> ThresholdDecision | None:
    return application.decisions.select_related("decided_by").order_by("-decided_at", "-id").first()
