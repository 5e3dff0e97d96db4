"""Reads of applications. Access is decided HERE and nowhere else: every list, page, export,
letter, file and search starts from `applications_visible_to(user)`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Replace, Upper
from django.http import Http404

from casereview.accounts.models import Agency, Role
from casereview.core.names import name_forms
from casereview.web.pagination import COUNT_CAP, counts_capped

from .access_grants import granted_ids
from .kinds import UnknownCaseKind, case_kind
from .models import SAFE_CONTACT_REFUSALS as SAFE_CONTACT_REFUSALS
from .models import (
    AllegedPerpetrator,
    Application,
    ApplicationAgency,
    Case,
    CaseClock,
    CaseEvent,
    CaseParty,
    Incident,
    IncidentReport,
    PartyRole,
    Person,
    Status,
    ThresholdDecision,
)
from .models import ContactMethod as ContactMethod
from .models import Decision as Decision
from .models import HateMotivation as HateMotivation

# `from .models import X as X`: the case's vocabulary, re-exported for the apps above, which read
# cases through this module and not through applications.models (issue 15, ADR 0037).

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


# What withholds a case from an agency officer although their agency is party to it, registered at
# ready() by the app that records it (privacy: the victim's consent to sharing withdrawn). Each
# gives a query of its rows about the case, correlated on OuterRef("pk"). The decision stays here,
# in the one selector; this app imports none of those apps (ADR 0037).
_withheld_from_agencies: dict[str, Callable[[], QuerySet]] = {}


def register_withheld_from_agencies(key: str, rows: Callable[[], QuerySet]) -> None:
    _withheld_from_agencies[key] = rows


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases of every kind this user may see (ADR 0048): those of the partnership they are
    working in (chosen after signing in when they work in several: `User.work_in`, ADR 0041; roles
    and agency are those granted there), and for an agency officer only those their agency is
    party to and whose victim has not withdrawn consent to sharing with partner agencies
    (casereview.privacy). Anyone else, and anyone signed out, sees none.

    A user object that came through a request carries `is_verified()` (django-otp): one who has
    not completed the second factor sees nothing here either, whatever the middleware did.

    The rules are the same for every kind: a kind adds no rule of its own, so a new kind of case
    is exactly as private as the review.
    """
    return _visible(Case.objects.all(), user)


def applications_visible_to(user) -> QuerySet[Application]:
    """The ASB Case Reviews this user may see: `cases_visible_to(user)` of the review kind only
    (as `Application` rows). The rules are the kernel's, applied to the review's manager; none is
    added or dropped here."""
    return _visible(Application.objects.all(), user)


def _visible(cases: QuerySet, user) -> QuerySet:
    """The one set of access rules, applied to `cases` (every kind, or one kind's manager)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.partnership_id is None:
        return cases.none()
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and not is_verified():
        return cases.none()
    in_partnership = cases.filter(partnership_id=user.partnership_id)
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return in_partnership
    if user.has_role(Role.AGENCY_OFFICER) and user.agency_id is not None:
        for withheld in _withheld_from_agencies.values():
            in_partnership = in_partnership.exclude(Exists(withheld()))
        party = ApplicationAgency.objects.filter(application=OuterRef("pk"), agency_id=user.agency_id)
        # EXISTS rather than a join and DISTINCT: a list can then stop at its page (ADR 0020).
        reachable = Q(Exists(party))
        # Access granted case by case (access_grants: the people app's granted requests).
        for granted in granted_ids(user):
            reachable |= Q(pk__in=granted)
        return in_partnership.filter(reachable)
    return cases.none()


def case_get_for_user(user, reference: str, *, purpose: str = "Case record") -> Case:
    """One case of any kind by reference, or 404 when it does not exist *or* the user may not see
    it — the same rules, the same access log rows, as `application_get_for_user`."""
    return _get_for_user(cases_visible_to, user, reference, purpose=purpose)


def application_get_for_user(
    user, reference: str, *, purpose: str = "Case record", summary: bool = False
) -> Application:
    """One case by reference, or 404 when it does not exist *or* the user may not see it — the
    two are indistinguishable, so guessing references reveals nothing.

    Every successful call is a read of personal data and is recorded in the access log with
    `purpose`; a refused call for a case that exists is recorded too (the data protection officer
    looks for people trying references they should not).

    `summary`: the case's summary page (ADR 0093) reads, in the same statement, what it shows of
    the case besides — its SPOC (joined) and how many incidents it has (`incident_count`) — rather
    than two statements more. The rules are the same.
    """
    visible_to = _summary_visible_to if summary else applications_visible_to
    return _get_for_user(visible_to, user, reference, purpose=purpose)


def _summary_visible_to(user) -> QuerySet[Application]:
    incidents = (
        Incident.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        applications_visible_to(user)
        .select_related("spoc")
        .annotate(incident_count=Coalesce(Subquery(incidents), 0))
    )


def _get_for_user(visible_to, user, reference: str, *, purpose: str):
    from casereview.audit.services import access_event_record, audit_read

    # The partnership and the victim come with the case: every case page reads both.
    application = visible_to(user).select_related("partnership", "victim").filter(reference=reference).first()
    if application is None:
        if isinstance(reference, str) and Case.objects.filter(reference=reference).exists():
            access_event_record(
                action="denied",
                user=user,
                case_reference=reference,
                summary="Case outside the user's scope: 404 given",
            )
        raise Http404("No such case")
    audit_read(user=user, obj=application, purpose=purpose)
    return application


def case_parties(case: Case, *, current_only: bool = False) -> QuerySet[CaseParty]:
    """The people on a case in their roles (ADR 0048), the person or alleged perpetrator with each.

    The caller has the case from `cases_visible_to` (or `application_get_for_user`): this reads no
    further access rule. Alleged perpetrators are among them: anything that reaches a victim must
    leave the `alleged_perpetrator` rows out (core/disclosure.py checks what is sent).
    """
    parties = CaseParty.objects.filter(case_id=case.pk).select_related("person", "perpetrator")
    if current_only:
        parties = parties.filter(until__isnull=True)
    return parties.order_by("role", "since", "id")


def case_subject_party_ids(cases: QuerySet) -> QuerySet:
    """The people (party ids) `cases` are about in the `subject` role — a panel referral's person or
    household, an intervention's person — as a subquery. The caller passes cases from
    `cases_visible_to` (the people app: a profile is opened by an officer who may see a case about
    it); this reads no further access rule. Alleged perpetrators are never subjects."""
    return CaseParty.objects.filter(case__in=cases.values("pk"), role=PartyRole.SUBJECT).values("person_id")


# --- The workspace list: stored clocks, filters, search, sort, in the database ---------------------


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
    """The case's dangers (the safety banner on every page of the case): one query of values, and
    none for a closed case."""
    return dangers_for([application])[application.pk]


def dangers_for(applications: Iterable[Application]) -> dict[int, tuple[Danger, ...]]:
    """`application_dangers` for a page of cases in at most one query: the open cases' danger
    events (a closed case shows none), read as values, not model objects."""
    applications = list(applications)
    events: dict[int, list] = {a.pk: [] for a in applications if a.is_open}
    if events:
        rows = CaseEvent.objects.filter(application_id__in=events.keys(), kind__in=DANGER_EVENT_KINDS).values(
            "id", "application_id", "kind", "data", "occurred_on", "at"
        )
        for row in rows:
            events[row["application_id"]].append(SimpleNamespace(**row))
    return {a.pk: danger_from_events(events.get(a.pk, ()), is_open=a.is_open) for a in applications}


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


def _agency_names(rows: Iterable[CaseClock]) -> dict[str, str]:
    from casereview.accounts.models import Agency

    ids = {row.request for row in rows if row.party == "agency" and row.request.isdigit()}
    if not ids:
        return {}
    return {str(pk): name for pk, name in Agency.objects.filter(pk__in=ids).values_list("pk", "name")}


def case_clocks(application: Application, *, today: dt.date) -> list:
    """The case's clocks on ``today``, read from its stored clocks (CaseClock), in policy order."""
    from .clocks import clock_from_row

    rows = list(CaseClock.objects.filter(application=application).order_by("position"))
    names = _agency_names(rows)
    return [clock_from_row(row, today=today, agency_names=names) for row in rows]


def clocks_due_or_overdue(*, today: dt.date, closed_since: dt.date) -> list[tuple[Application, object]]:
    """Every outstanding clock due on or before ``today``, with its case (partnership and SPOC
    joined), read from the stored clocks by their partial index on the due date (ADR 0019): the
    reminder sweep's set. A clock of a case no longer open counts only when due on or after
    ``closed_since``. In case order, then the policy's order (as the core computes them)."""
    from .clocks import clock_from_row
    from .models import OPEN_STATUSES

    rows = list(
        CaseClock.objects.filter(done_on__isnull=True, window=False, due_on__lte=today)
        .filter(Q(due_on__gte=closed_since) | Q(application__status__in=OPEN_STATUSES))
        .select_related("application__partnership", "application__spoc")
        .order_by("application_id", "position")
    )
    names = _agency_names(rows)
    return [(row.application, clock_from_row(row, today=today, agency_names=names)) for row in rows]


def case_rows(applications: Iterable[Application], *, today: dt.date) -> list[CaseRow]:
    """Each case (of one page) with its outstanding clocks on ``today``: one query for them all."""
    from .clocks import clock_from_row, next_due

    applications = list(applications)
    stored: dict[int, list] = {a.pk: [] for a in applications}
    rows = list(
        CaseClock.objects.filter(
            application_id__in=stored.keys(), done_on__isnull=True, window=False
        ).order_by("application_id", "position")
    )
    names = _agency_names(rows)
    for row in rows:
        stored[row.application_id].append(clock_from_row(row, today=today, agency_names=names))
    dangers = dangers_for(applications)
    return [
        CaseRow(application=a, clocks=stored[a.pk], next_clock=next_due(stored[a.pk]), dangers=dangers[a.pk])
        for a in applications
    ]


def clock_count_queries(user, *, today: dt.date) -> dict[str, QuerySet]:
    """What `clock_counts_for_user` counts, as queries (for a page counting them with its list's
    in one query, `web.pagination.counts_capped`)."""
    visible = applications_visible_to(user)
    due_today = CaseClock.objects.filter(
        done_on__isnull=True, window=False, due_on=today, application__in=visible.values("pk")
    )
    return {
        "due_today": due_today.values("application_id").distinct(),
        # next_due_on is the earliest outstanding due date: before today means one is overdue.
        "overdue": visible.filter(next_due_on__lt=today),
    }


def clock_counts_for_user(user, *, today: dt.date, cap: int = COUNT_CAP) -> dict[str, int]:
    """How many of the user's visible cases have a clock due today, and how many one overdue, from
    the stored clocks' indexes; each count is capped (``cap + 1`` means "more than ``cap``")."""
    return counts_capped(clock_count_queries(user, today=today), cap)


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
) -> QuerySet[Application]:
    """The case list as a query: the user's visible cases, searched, filtered and sorted on indexed
    columns, for the caller to slice a page from (and `case_rows` to add that page's clocks).

    Search matches the reference, the victim's name (or organisation) and postcode. ``clock`` is
    "overdue" (the case's next due date is before today) or "due_today" (a clock due today).
    """
    cases = applications_visible_to(user).select_related("victim")
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
    if clock == "overdue":
        cases = cases.filter(next_due_on__lt=today)
    elif clock == "due_today":
        cases = cases.filter(
            Exists(
                CaseClock.objects.filter(
                    application=OuterRef("pk"), done_on__isnull=True, window=False, due_on=today
                )
            )
        )
    if sort == "due":
        return cases.order_by(F("next_due_on").asc(nulls_last=True), "-received_on", "-id")
    if sort == "received_oldest":
        return cases.order_by("received_on", "id")
    return cases.order_by("-received_on", "-id")


def application_timeline(application: Application):
    """The case's events, newest first, with who recorded them (and their agency in the case's
    partnership)."""
    from casereview.accounts.selectors import memberships_in

    return (
        application.events.select_related("actor")
        .prefetch_related(memberships_in(application.partnership_id, through="actor__"))
        .order_by("-at", "-id")
    )


def application_current_decision(application: Application) -> ThresholdDecision | None:
    return application.decisions.select_related("decided_by").order_by("-decided_at", "-id").first()


# --- For the access log (audit.selectors.register_case_lookup, from apps.py) ---------------------------


def case_references_of_partnership(partnership) -> QuerySet:
    return Application.objects.filter(partnership=partnership).values("reference")


def access_events_about_person(*, partnership, person: str) -> Q:
    """The access log's rows about the partnership's people whose name contains `person`. A
    person's record is read through the cases they are in, and directly (a subject access export,
    a page about them): both count."""
    people = Person.objects.filter(partnership=partnership).filter(
        Q(full_name__icontains=person) | Q(organisation_name__icontains=person)
    )
    cases = Application.objects.filter(partnership=partnership).filter(
        Q(victim__in=people) | Q(applicant__in=people)
    )
    perpetrator_cases = AllegedPerpetrator.objects.filter(
        application__partnership=partnership, name__icontains=person
    ).values("application__reference")
    return (
        Q(case_reference__in=cases.values("reference"))
        | Q(case_reference__in=perpetrator_cases)
        | Q(
            object_type="applications.person",
            object_id__in=[str(p) for p in people.values_list("pk", flat=True)],
        )
    )


# --- For search and signpost (casereview.people): which agencies work on a person's cases ----------


def case_agencies_of_parties(*, partnership_id: int, party_ids) -> dict[int, set[int]]:
    """For each case of this partnership whose victim or applicant is one of `party_ids`, the ids
    of the agencies party to it. Not scoped to a user: search and signpost shows only the agencies'
    names (never the case), and a case whose victim withdrew consent to sharing is left out."""
    cases = Application.objects.filter(partnership_id=partnership_id).filter(
        Q(victim_id__in=party_ids) | Q(applicant_id__in=party_ids)
    )
    for withheld in _withheld_from_agencies.values():
        cases = cases.exclude(Exists(withheld()))
    found: dict[int, set[int]] = {pk: set() for pk in cases.values_list("pk", flat=True)}
    for application_id, agency_id in ApplicationAgency.objects.filter(application_id__in=found).values_list(
        "application_id", "agency_id"
    ):
        found[application_id].add(agency_id)
    return found


def applications_of_partnership(*, partnership_id: int, pks) -> QuerySet[Application]:
    """The partnership's cases among `pks`, not scoped to a user: for asking access to a case the
    officer cannot see (casereview.people's access requests), never for showing one."""
    return Application.objects.filter(partnership_id=partnership_id, pk__in=pks)


def application_lead_agency_id(application: Application) -> int | None:
    """The agency that leads a case: its SPOC's agency; before a SPOC is appointed, the council
    party to it (the council administers the ASB Case Review). None if neither."""
    if application.spoc_id and application.spoc.agency_id:
        return application.spoc.agency_id
    council = (
        ApplicationAgency.objects.filter(application=application, agency__kind="council")
        .order_by("added_at", "id")
        .values_list("agency_id", flat=True)
        .first()
    )
    if council is not None:
        return council
    return (
        Agency.objects.filter(partnership_id=application.partnership_id, kind="council")
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )


def case_by_reference(reference: str) -> Application | None:
    """The case with this reference (any letter case, spaces trimmed), its victim, applicant and
    partnership joined; None when there is none. For the victim's own view (casereview.portal)
    and the online appeal (casereview.appeals), which decide what the person may see: never an
    access decision for staff."""
    return (
        Application.objects.select_related("victim", "applicant", "partnership", "spoc")
        .filter(reference__iexact=(reference or "").strip())
        .first()
    )


def case_lock(case: Case) -> Application:
    """The case's row, locked for the rest of the transaction (select_for_update), with its
    partnership: for another app's service that must check and write under the lock (two requests
    at once: the second waits, then sees the first's rows)."""
    return Application.objects.select_for_update().select_related("partnership").get(pk=case.pk)


def case_by_pk(pk: int) -> Application | None:
    """The case with this primary key (the victim's own view and the online appeal keep it in the
    person's session)."""
    return (
        Application.objects.select_related("victim", "applicant", "partnership", "spoc").filter(pk=pk).first()
    )


# --- Counts for the dashboards (issue 20): the user's visible cases only -----------------------------


def status_counts_for_user(user) -> dict[str, int]:
    """How many of the cases the user may see are at each status."""
    from django.db.models import Count

    rows = applications_visible_to(user).order_by().values_list("status").annotate(n=Count("id"))
    return dict(rows)


def clock_week_counts_for_user(user, *, today: dt.date) -> list[tuple[str, int, int]]:
    """(deadline name, overdue, due from today to the end of this week) over the outstanding clocks
    of the cases the user may see, by the policy's order of first appearance."""
    from django.db.models import Count

    sunday = today + dt.timedelta(days=6 - today.weekday())
    outstanding = CaseClock.objects.filter(
        done_on__isnull=True, window=False, application__in=applications_visible_to(user).values("pk")
    )
    overdue = dict(
        outstanding.filter(due_on__lt=today).order_by().values_list("name").annotate(n=Count("id"))
    )
    due = dict(
        outstanding.filter(due_on__gte=today, due_on__lte=sunday)
        .order_by()
        .values_list("name")
        .annotate(n=Count("id"))
    )
    return [(name, overdue.get(name, 0), due.get(name, 0)) for name in sorted(set(overdue) | set(due))]


def status_choices() -> list[tuple[str, str]]:
    """The case's statuses, in the workflow's order, with their labels."""
    return list(Status.choices)


def case_party_agencies(application: Application) -> list[Agency]:
    """The agencies party to a case (ApplicationAgency), in the order they joined: what a partner's
    system is shown as the case's parties (casereview.api)."""
    ids = ApplicationAgency.objects.filter(application=application).order_by("added_at", "id")
    return list(Agency.objects.filter(pk__in=ids.values("agency_id")).order_by("name"))


# --- For the apps above that read this app's records without its models (issue 15, ADR 0037) -----
# The online form (apply), data protection (privacy) and repeat applications (repeats).


def people_of_partnership(partnership) -> QuerySet[Person]:
    """The partnership's people (victims and applicants of its cases), not scoped to a user: for
    the data protection officer's register of requests, never for showing a case."""
    return Person.objects.filter(partnership=partnership)


def people_matching(*, partnership, query: str) -> QuerySet[Person]:
    """The partnership's people whose name or organisation contains `query`, or whose postcode is
    it, by name: the data protection officer's search for whose records a request is about."""
    return (
        people_of_partnership(partnership)
        .filter(
            Q(full_name__icontains=query) | Q(organisation_name__icontains=query) | Q(postcode__iexact=query)
        )
        .order_by("full_name")
    )


def person_exists(pk: int) -> bool:
    return Person.objects.filter(pk=pk).exists()


def applications_at_statuses(statuses, *, partnership=None) -> QuerySet[Application]:
    """The review's cases at any of `statuses` (of `partnership` when given), not scoped to a user:
    for the retention schedule (privacy.retention), never for showing a case."""
    cases = Application.objects.filter(status__in=statuses)
    if partnership is not None:
        cases = cases.filter(partnership=partnership)
    return cases


def cases_closed(*, partnership=None, exclude_kinds: Iterable[str] = ()) -> QuerySet[Case]:
    """Cases of every kind (but `exclude_kinds`) at a status their kind's table does not count as
    open (applications.kinds) — a standing panel's case closed, say — of `partnership` when given,
    not scoped to a user: for the retention schedule (privacy.retention), never for showing a case.
    A kind no app registered is left out: which of its statuses are open is not known."""
    cases = Case.objects.exclude(kind__in=list(exclude_kinds))
    if partnership is not None:
        cases = cases.filter(partnership=partnership)
    closed = []
    for kind in cases.order_by().values_list("kind", flat=True).distinct():
        try:
            table = case_kind(kind)
        except UnknownCaseKind:
            continue
        statuses = [status for status in table.statuses if not table.is_open(status)]
        closed.append(Q(kind=kind, status__in=statuses))
    if not closed:
        return cases.none()
    any_closed = closed[0]
    for more in closed[1:]:
        any_closed |= more
    return cases.filter(any_closed)


def applications_of_person(person) -> QuerySet[Application]:
    """The review's cases the person is the victim or the applicant in, not scoped to a user: for
    their subject access export and an erasure request (privacy), never for showing a case."""
    return Application.objects.filter(Q(victim=person) | Q(applicant=person))


def case_perpetrators(application) -> QuerySet[AllegedPerpetrator]:
    """The case's alleged perpetrators, in the order they were recorded."""
    return AllegedPerpetrator.objects.filter(application=application).order_by("id")


def applications_earlier_than(application) -> QuerySet[Application]:
    """The cases of the application's partnership received before it (on the same day: recorded
    before it), not scoped to a user: for finding the earlier applications it repeats (repeats)."""
    return (
        Application.objects.filter(partnership_id=application.partnership_id)
        .filter(
            Q(received_on__lt=application.received_on)
            | Q(received_on=application.received_on, pk__lt=application.pk)
        )
        .exclude(pk=application.pk)
    )


def application_lock(pk: int) -> Application:
    """The case's row alone (nothing joined, so nothing else locked), locked for the rest of the
    transaction: for another app's service that re-reads the case under the lock before it writes
    (an appeal lodged or decided)."""
    return Application.objects.select_for_update().get(pk=pk)


# --- A case's own rows, for the apps above that have already decided access (issue 15) -----------


def case_events_of(application: Application) -> QuerySet[CaseEvent]:
    """The case's timeline events, unordered and not scoped to a user (the review's SPOC
    independence check: who recorded steps on the case)."""
    return CaseEvent.objects.filter(application=application)


def threshold_decisions_of(application: Application) -> QuerySet[ThresholdDecision]:
    """The case's threshold decisions, the superseded ones too, unordered."""
    return ThresholdDecision.objects.filter(application=application)


def incident_reports_of(application: Application) -> QuerySet[IncidentReport]:
    """The reports that are the case's evidence, each with its incident joined."""
    return IncidentReport.objects.filter(incident__application=application).select_related("incident")


def applications_received(*, partnership, start: dt.date, end: dt.date) -> QuerySet[Application]:
    """The partnership's cases received from `start` to `end` (both days included), oldest first,
    not scoped to a user, with their timeline (in the order things happened) and threshold
    decisions prefetched: the cohort the published figures count (casereview.statistics)."""
    return (
        Application.objects.filter(partnership=partnership, received_on__gte=start, received_on__lte=end)
        .order_by("received_on", "id")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.order_by("occurred_on", "at", "id")),
            "decisions",
        )
    )


def first_received_on() -> dt.date | None:
    """The day the first case of any partnership was received, or None when there is none (the
    published figures' list of years)."""
    return Application.objects.order_by("received_on").values_list("received_on", flat=True).first()
