"""Demo cases for the published statistics: a spread of outcomes in the previous financial year
and the current one (to date), in each demo partnership, so /statistics/ shows meaningful figures.

Created through the services staff use (record, acknowledge, decide, withdraw, appoint the SPOC,
schedule and record the panel, add recommendations). The panel is scheduled for today and recorded
as held on its past date, the one way the panels app records a meeting after the event.
Idempotent: each case is keyed on its victim's email address; a case that exists is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Agency, Partnership, User
from casereview.applications.demo import DEMO_DOMAIN, POSTCODE_AREA, STREET, THREE_GOOD, TWO_ONLY, _incidents
from casereview.applications.models import Application, Channel, Person
from casereview.applications.services import (
    DecisionChoice,
    application_acknowledge,
    application_create,
    application_decide,
    application_withdraw,
)

from .periods import financial_year_of

# (days after the start of the financial year it was received, what happened to it)
PREVIOUS_YEAR = [
    (5, "declined"),
    (20, "reviewed", 2),
    (41, "reviewed", 1),
    (63, "reviewed", 0),
    (90, "declined"),
    (110, "withdrawn"),
    (135, "reviewed", 3),
    (160, "discretion", 1),
    (190, "ineligible"),
    (220, "reviewed", 1),
    (250, "appealed"),
    (280, "reviewed", 0),
    (330, "declined"),
]
CURRENT_YEAR = [
    (10, "reviewed", 2),
    (40, "declined"),
    (70, "withdrawn"),
    (100, "reviewed", 1),
    (130, "accepted"),
    (160, "received"),
]
NAMES = [
    "Olivia Grant",
    "Mohammed Iqbal",
    "Sophie Turner",
    "Kwame Mensah",
    "Ellen O'Brien",
    "Raj Patel",
    "Hannah Kowalski",
    "David Evans",
    "Fatima Begum",
    "Peter Lewis",
    "Grace Adebayo",
    "Liam Murphy",
    "Chloe Martin",
    "Yusuf Ali",
    "Ruth Campbell",
    "Ben Harris",
    "Amira Hassan",
    "Joe Whitfield",
]


def _case(partnership, users, key, received, outcome, recommendations, name, today):
    csm, senior = users["csm"], users["senior"]
    ineligible = outcome == "ineligible"
    met = outcome in ("reviewed", "accepted")
    application = application_create(
        partnership=partnership,
        channel=Channel.PHONE,
        received_on=received,
        victim=Person(
            full_name=name,
            address=f"{len(key) + 3} {STREET.get(partnership.slug, 'High Street')}",
            postcode=f"{POSTCODE_AREA.get(partnership.slug, 'AB1')} {len(name) % 9 + 1}ST",
            email=f"{key}@{DEMO_DOMAIN}",
        ),
        concerns=["service_provision_only"] if ineligible else [],
        summary="Persistent anti-social behaviour near the victim's home.",
        location=STREET.get(partnership.slug, ""),
        incidents=_incidents(partnership, received, THREE_GOOD if met else TWO_ONLY),
        actor=csm,
    )
    if outcome == "received":
        return application
    day = received + dt.timedelta(days=2)
    application_acknowledge(application=application, actor=csm, acknowledged_on=day)
    decided = received + dt.timedelta(days=9)
    if outcome == "withdrawn":
        application_withdraw(
            application=application, actor=csm, reason="The victim asked to withdraw.", withdrawn_on=decided
        )
        return application
    choice = {
        "declined": DecisionChoice.DECLINE,
        "appealed": DecisionChoice.DECLINE,
        "ineligible": DecisionChoice.DECLINE_INELIGIBLE,
        "discretion": DecisionChoice.ACCEPT_DISCRETION,
    }.get(outcome, DecisionChoice.ACCEPT)
    application_decide(
        application=application,
        actor=senior if choice == DecisionChoice.ACCEPT_DISCRETION else csm,
        choice=choice,
        decided_on=decided,
        reasons="Persistent, escalating behaviour and a vulnerable victim."
        if choice == DecisionChoice.ACCEPT_DISCRETION
        else "",
    )
    application.refresh_from_db()
    if outcome in ("reviewed", "discretion"):
        _review(application, users, decided, recommendations, today)
    if outcome == "appealed":
        _appeal_upheld(application, users, decided, today)
    return application


def _appeal_upheld(application, users, declined_on, today):
    """Appealed by phone, upheld by the senior manager (who did not decide it), then reviewed.
    Deciding sends the appeal decision letter: without the letters app the appeal stays lodged."""
    from importlib.util import find_spec

    from casereview.appeals.services import appeal_decide, appeal_lodge

    appeal = appeal_lodge(
        application=application,
        decision_appealed="threshold_not_met",
        lodged_on=declined_on + dt.timedelta(days=12),
        channel="phone",
        grounds=[
            g.code
            for g in application.partnership.policy.appeals.grounds
            if "threshold_not_met" in g.applies_to
        ][:1],
        explanation="The decision did not say why two of my reports to the police did not count.",
        actor=users["csm"],
    )
    if find_spec("casereview.letters.services") is None:
        return
    decided_on = declined_on + dt.timedelta(days=20)
    appeal_decide(
        appeal=appeal,
        actor=users["senior"],
        decided_on=decided_on,
        outcome="upheld",
        reasons="Two police reports were put against the wrong incident; with them the threshold is met.",
    )
    application.refresh_from_db()
    _review(application, users, decided_on, 1, today)


def seat_quorate_panel(meeting, actor) -> None:
    """Invite a panel that is quorate under any preset: a representative of each relevant body the
    partnership has, an independent chair and a minute taker (the SPOC is added when scheduled)."""
    from casereview.panels.services import panel_member_add

    agencies = {a.kind: a for a in Agency.objects.filter(partnership=meeting.case.partnership)}
    for kind in ("council", "police", "housing", "health"):
        if kind in agencies:
            panel_member_add(
                meeting=meeting,
                role="representative",
                name=f"{kind.title()} representative",
                agency=agencies[kind],
                actor=actor,
            )
    panel_member_add(meeting=meeting, role="independent_chair", name="Alex Chair", actor=actor)
    panel_member_add(meeting=meeting, role="minute_taker", name="Jess Minutes", actor=actor)


def _review(application, users, accepted_on, recommendations, today):
    from casereview.panels.services import panel_record, panel_schedule, recommendation_add
    from casereview.reviews.services import spoc_appoint

    csm, spoc = users["csm"], users["spoc"]
    spoc_appoint(
        application=application,
        spoc=spoc,
        actor=csm,
        appointed_on=accepted_on + dt.timedelta(days=3),
        override_reason="Demo data: the SPOC has had no direct involvement.",
    )
    meeting = panel_schedule(
        case=application,
        meeting_on=today,
        starts_at=dt.time(10, 0),
        actor=csm,
        location="Committee room 2",
    )
    seat_quorate_panel(meeting, csm)
    held_on = min(accepted_on + dt.timedelta(days=35), today)
    panel_record(
        meeting=meeting,
        held_on=held_on,
        attended_member_ids=list(meeting.members.values_list("id", flat=True)),
        victim_voice="spoc_presented",
        minutes="The panel reviewed the agencies' responses to the reports.",
        decisions="Joint visit by police and housing; recommendations below.",
        actor=csm,
    )
    bodies = list(
        Agency.objects.filter(partnership=application.partnership, kind__in=["police", "housing", "council"])
    )
    for number in range(recommendations):
        recommendation_add(
            meeting=meeting,
            body=bodies[number % len(bodies)],
            text="Share reports of incidents at this address between the agencies within one working day.",
            actor=csm,
        )


def load(stdout) -> None:
    today = timezone.localdate()
    current = financial_year_of(today)
    created = 0
    for partnership in Partnership.objects.filter(slug__in=POSTCODE_AREA).order_by("slug"):
        prefix = partnership.reference_prefix.lower()
        users = {s: User.objects.filter(username=f"{prefix}-{s}").first() for s in ("csm", "senior", "spoc")}
        if not all(users.values()):
            continue
        plan = [(current - 1, spec) for spec in PREVIOUS_YEAR] + [(current, spec) for spec in CURRENT_YEAR]
        for index, (year, spec) in enumerate(plan):
            days, outcome, *rest = spec
            received = dt.date(year, 4, 1) + dt.timedelta(days=days)
            if received > today - dt.timedelta(days=50):
                continue  # the current year to date only, leaving time for each step
            key = f"stats-{year}-{index:02d}"
            if Application.objects.filter(
                partnership=partnership, victim__email=f"{key}@{DEMO_DOMAIN}"
            ).exists():
                continue
            _case(
                partnership,
                users,
                key,
                received,
                outcome,
                rest[0] if rest else 0,
                NAMES[index % len(NAMES)],
                today,
            )
            created += 1
    stdout.write(f"Demo cases for the statistics: {created} created.")
