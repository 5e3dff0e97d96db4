"""Reads for the review. Every query about a case starts from `applications_visible_to(user)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from casereview.accounts.models import Role, User
from casereview.accounts.selectors import staff_in
from casereview.actions.selectors import open_actions_of_case
from casereview.applications.selectors import (
    Application,
    applications_visible_to,
    case_events_of,
    incident_reports_of,
    threshold_decisions_of,
)
from casereview.privacy.services import lost_access_q

from .models import (
    ContactAttempt,
    ContactOutcome,
    InformationRequest,
    RiskAssessment,
    RiskLevel,
    VictimContact,
)
from .permissions import can_see_review_record

# Reasonable efforts before a victim is treated as unreachable (seed 004 §11: "letter, phone,
# email, visit etc"). A partnership may change them in settings; docs/reviews.md explains.
UNREACHABLE_MIN_ATTEMPTS = getattr(settings, "CASEREVIEW_UNREACHABLE_MIN_ATTEMPTS", 3)
UNREACHABLE_MIN_METHODS = getattr(settings, "CASEREVIEW_UNREACHABLE_MIN_METHODS", 2)

# Reminders: a request due within this many days (or overdue) is reminded, at most once a week.
REMIND_DAYS_BEFORE_DUE = 3
REMIND_AT_MOST_EVERY_DAYS = 7


def spoc_prior_involvement(*, application: Application, user: User) -> list[str]:
    """Why `user` may not be independent of this case, one plain-English line per finding.

    Seed 004 §11: "The SPOC will have had no direct involvement in the case." The system knows who
    has touched it: who recorded events on it or decided its threshold, whose agency received the
    reports that are its evidence, who is named in its reports or incidents, and who was SPOC or
    handled an earlier application from the same victim. An empty list means nothing was found —
    not a guarantee; the manager still asks.
    """
    findings: list[str] = []
    kinds = sorted(
        set(
            case_events_of(application)
            .filter(actor=user)
            .exclude(kind__in=("spoc_appointed", "spoc_replaced"))
            .values_list("kind", flat=True)
        )
    )
    if kinds:
        steps = ", ".join(k.replace("_", " ") for k in kinds)
        findings.append(f"Recorded steps on this case ({steps}).")
    if threshold_decisions_of(application).filter(decided_by=user).exists():
        findings.append("Made the threshold decision on this case.")
    reports = incident_reports_of(application)
    if user.agency_id:
        refs = sorted({r.incident.ref for r in reports if r.agency_id == user.agency_id})
        if refs:
            findings.append(
                f"Works for {user.agency}, which received reports that are evidence in this case "
                f"(incident{'s' if len(refs) > 1 else ''} {', '.join(refs)})."
            )
    full_name = user.get_full_name().strip().lower()
    if full_name:
        named = sorted(
            {r.incident.ref for r in reports if full_name in (r.reporter or "").lower()}
            | {i.ref for i in application.incidents.all() if full_name in (i.description or "").lower()}
        )
        if named:
            findings.append(f"Named in the reports or incidents of this case ({', '.join(named)}).")
    if application.actions.filter(owner=user).exists():
        findings.append("Owns an action on this case.")
    earlier = application.previous_application
    seen = set()
    while earlier is not None and earlier.pk not in seen:
        seen.add(earlier.pk)
        if earlier.spoc_id == user.pk or case_events_of(earlier).filter(actor=user).exists():
            findings.append(f"Handled the earlier application {earlier.reference} from this victim.")
            break
        earlier = earlier.previous_application
    return findings


def spoc_candidates(*, application: Application) -> list[tuple[User, list[str]]]:
    """Staff of the partnership who can be SPOC, each with their prior-involvement findings,
    the independent ones first."""
    users = staff_in(application.partnership_id, roles=[Role.SPOC]).order_by("last_name", "first_name")
    candidates = [(u, spoc_prior_involvement(application=application, user=u)) for u in users]
    return sorted(candidates, key=lambda c: (bool(c[1]), c[0].last_name, c[0].first_name))


@dataclass(frozen=True)
class ContactEfforts:
    attempts: int
    methods: int
    reached: bool
    contacted: bool
    enough_for_unreachable: bool
    explanation: str


def contact_efforts(
    *, application: Application, attempts=None, contacted: bool | None = None
) -> ContactEfforts:
    """Have reasonable efforts been made to reach the victim? (configurable minimums above).
    `attempts` (the case's contact attempts) and `contacted` (whether a contact is recorded) when
    the caller has already read them (the case page's review section), so they are not read twice."""
    attempts = list(ContactAttempt.objects.filter(application=application)) if attempts is None else attempts
    if contacted is None:
        contacted = VictimContact.objects.filter(application=application).exists()
    return contact_efforts_counted(
        attempts=len(attempts),
        methods=len({a.method for a in attempts}),
        reached=any(a.outcome == ContactOutcome.REACHED for a in attempts),
        contacted=contacted,
    )


def contact_efforts_counted(*, attempts: int, methods: int, reached: bool, contacted: bool) -> ContactEfforts:
    """`contact_efforts` from the counts: how many attempts, by how many different methods, whether
    one reached the victim and whether a contact is recorded."""
    enough = (
        not reached
        and not contacted
        and attempts >= UNREACHABLE_MIN_ATTEMPTS
        and methods >= UNREACHABLE_MIN_METHODS
    )
    if contacted or reached:
        explanation = "The victim has been reached."
    elif enough:
        explanation = f"{attempts} attempts by {methods} methods: reasonable efforts have been made."
    else:
        explanation = (
            f"{attempts} attempt{'s' if attempts != 1 else ''} by {methods} "
            f"method{'s' if methods != 1 else ''} so far. Before a victim can be treated as "
            f"unreachable, make at least {UNREACHABLE_MIN_ATTEMPTS} attempts by at least "
            f"{UNREACHABLE_MIN_METHODS} different methods (letter, phone, email, visit)."
        )
    return ContactEfforts(
        attempts=attempts,
        methods=methods,
        reached=reached,
        contacted=contacted,
        enough_for_unreachable=enough,
        explanation=explanation,
    )


def information_requests_visible_to(user) -> QuerySet[InformationRequest]:
    """The requests this user may see. An agency officer sees only requests to their own agency,
    on cases they can see; the people running reviews see every request on their cases."""
    visible = applications_visible_to(user)
    requests = InformationRequest.objects.filter(application__in=visible).select_related(
        "application", "agency"
    )
    return _own_agency_only(user, requests)


def information_requests_of_case(user, application: Application) -> QuerySet[InformationRequest]:
    """`information_requests_visible_to(user)` on one case, for a caller that has the case from
    `application_get_for_user` (so the user may see it): the same rows, without asking again
    whether the case is visible."""
    return _own_agency_only(user, InformationRequest.objects.filter(application=application))


def _own_agency_only(user, requests: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    if (
        user.is_authenticated
        and user.has_role(Role.AGENCY_OFFICER)
        and not user.has_role(Role.COMMUNITY_SAFETY_MANAGER, Role.SPOC)
    ):
        return requests.filter(agency_id=user.agency_id) if user.agency_id else requests.none()
    return requests


def information_request_get_for_user(user, pk: int) -> InformationRequest:
    request = information_requests_visible_to(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such request")
    return request


def information_requests_search(user, *, q: str = "", status: str = "") -> QuerySet[InformationRequest]:
    requests = information_requests_visible_to(user)
    if status in InformationRequest.Status.values:
        requests = requests.filter(status=status)
    if q.strip():
        requests = requests.filter(
            Q(application__reference__icontains=q.strip()) | Q(agency__name__icontains=q.strip())
        )
    return requests.order_by("status", "due_on", "id")


def information_requests_due_for_reminder(
    *, today: dt.date, partnership=None
) -> QuerySet[InformationRequest]:
    """Open requests due within REMIND_DAYS_BEFORE_DUE days or overdue, not reminded in the last
    REMIND_AT_MOST_EVERY_DAYS days: what the daily sweep reminds (services.information_request_remind)."""
    requests = InformationRequest.objects.filter(
        status=InformationRequest.Status.OPEN,
        due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE_DUE),
    ).filter(
        Q(last_reminded_on__isnull=True)
        | Q(last_reminded_on__lte=today - dt.timedelta(days=REMIND_AT_MOST_EVERY_DAYS))
    )
    if partnership is not None:
        requests = requests.filter(application__partnership=partnership)
    # An agency that lost access when consent was withdrawn is not chased: the SPOC reassigns.
    requests = requests.exclude(lost_access_q())
    return requests.select_related("application", "agency").order_by("due_on", "id")


def duties_to_reassign(application: Application) -> dict:
    """Open actions and information requests owned by agencies that lost access to the case when
    consent was withdrawn: with the SPOC to reassign (privacy.services)."""
    return {
        "actions": open_actions_of_case(application)
        .filter(lost_access_q("owner_", case_field="case"))
        .select_related("owner_agency", "owner"),
        "requests": InformationRequest.objects.filter(
            application=application, status=InformationRequest.Status.OPEN
        )
        .filter(lost_access_q())
        .select_related("agency"),
    }


def review_summary(*, user, application: Application) -> dict:
    """What the review page shows this user of the review record (None parts are hidden); the
    review's section of the case reads `review_section_summary`."""
    full = can_see_review_record(user, application)
    requests = information_requests_visible_to(user).filter(application=application)
    # The attempts and contacts are read once, for the section's lists and for the efforts' verdict.
    attempts = list(application.contact_attempts.all()) if full else None
    contacts = list(application.victim_contacts.all()) if full else None
    return {
        "full": full,
        "appointments": application.spoc_appointments.select_related("spoc", "appointed_by")
        if full
        else None,
        "attempts": attempts,
        "contacts": contacts,
        "risk": application.risk_assessments.first() if full else None,
        "referrals": application.support_referrals.all() if full else None,
        "requests": requests.order_by("due_on", "id"),
        "efforts": contact_efforts(application=application, attempts=attempts, contacted=bool(contacts))
        if full
        else None,
    }


def review_section_summary(*, user, application: Application) -> dict:
    """What the review's section of the case (on its summary and its own page, ADR 0093) shows
    this user. The caller has the case from `application_get_for_user`.

    Someone who sees the whole review record: the latest contact with the victim, the latest risk
    assessment, the agencies' requests counted (all, and answered) and, for the efforts' verdict,
    the contact attempts counted — read in one statement of values, not four of rows. Anyone else
    (an agency officer): the requests they may see, for a table."""
    requests = information_requests_of_case(user, application)
    if not can_see_review_record(user, application):
        return {"full": False, "requests": list(requests.select_related("agency").order_by("due_on", "id"))}
    case = application.pk
    attempts = ContactAttempt.objects.filter(application_id=case)
    latest_risk = RiskAssessment.objects.filter(application_id=case).order_by("-assessed_on", "-id")
    facts = (
        Application.objects.filter(pk=case)
        .values(
            contacted_on=Subquery(
                VictimContact.objects.filter(application_id=case)
                .order_by("-contacted_on", "-id")
                .values("contacted_on")[:1]
            ),
            risk_level=Subquery(latest_risk.values("level")[:1]),
            risk_on=Subquery(latest_risk.values("assessed_on")[:1]),
            requests=_counted(requests, "pk"),
            answered=_counted(requests.exclude(status=InformationRequest.Status.OPEN), "pk"),
            attempts=_counted(attempts, "pk"),
            methods=_counted(attempts, "method"),
            reached=Exists(attempts.filter(outcome=ContactOutcome.REACHED)),
        )
        .get()
    )
    contacted = facts["contacted_on"] is not None
    return {
        "full": True,
        "contacted_on": facts["contacted_on"],
        "efforts": None
        if contacted
        else contact_efforts_counted(
            attempts=facts["attempts"], methods=facts["methods"], reached=facts["reached"], contacted=False
        ),
        # The level's label as `get_level_display` gives it.
        "risk": {
            "level": dict(RiskLevel.choices).get(facts["risk_level"], facts["risk_level"]),
            "on": facts["risk_on"],
        }
        if facts["risk_on"] is not None
        else None,
        "requests": facts["requests"],
        "answered": facts["answered"],
    }


def _counted(rows: QuerySet, field: str) -> Coalesce:
    """How many of one case's `rows` (or different values of `field` among them), as a column."""
    counted = rows.order_by().values("application").annotate(n=Count(field, distinct=field != "pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def next_steps_letter_extra(application) -> dict:
    """What the next-steps letter needs from the review, whoever issues it (the letters app's extra
    provider): whether the current SPOC was appointed despite findings of prior involvement."""
    appointment = (
        application.spoc_appointments.filter(spoc_id=application.spoc_id)
        .order_by("-appointed_on", "-id")
        .first()
    )
    return {"spoc_prior_involvement": bool(appointment and appointment.involvement)}
