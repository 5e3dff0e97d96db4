"""Demo applications for each demo partnership, one or more in every state, dated relative to today
so the clocks show something due, something overdue and something done.

Created through the services, as staff would create them. Idempotent: each demo case is keyed on
its victim's email address (``<key>@demo.example.com``); a case that exists is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Agency, Partnership, User

from .models import Application, Channel, Person, PersonKind
from .services import (
    DecisionChoice,
    IncidentData,
    PerpetratorData,
    ReportData,
    application_acknowledge,
    application_create,
    application_decide,
    application_withdraw,
    perpetrator_save,
)

DEMO_DOMAIN = "demo.example.com"

# Incidents as (days before the application, description, [(agency kind, days after it happened
# that it was reported, reporter)]). "other" is the partnership's non-relevant body.
THREE_GOOD = [
    (70, "Loud music and shouting from the flat above until 3am.", [("police", 1, "victim")]),
    (40, "Rubbish thrown from the balcony onto the victim's car.", [("housing", 2, "victim")]),
    (12, "Threats made on the stairwell; the victim's door kicked.", [("council", 1, "victim")]),
]
MIXED = [
    # One incident told to two agencies: counts once.
    (
        80,
        "Group gathering in the stairwell, drug use, door to the block wedged open.",
        [
            ("police", 1, "victim"),
            ("housing", 3, "victim"),
        ],
    ),
    (55, "Car tyres slashed outside the house.", [("council", 2, "victim")]),
    # Reported too late: more than 30 days (or a month) after it happened.
    (50, "Eggs thrown at the front window.", [("council", 45, "victim")]),
    # Told only to an organisation that is not a relevant body.
    (30, "Verbal abuse in the street; the victim told the support charity.", [("other", 1, "victim")]),
    (
        9,
        "Fireworks pushed through the letterbox.",
        [("police", 0, "victim"), ("council", 1, "neighbour at 14")],
    ),
]
TWO_ONLY = [
    (60, "Dog left barking in the garden all day, every day.", [("council", 3, "victim")]),
    (75, "Bins set on fire behind the shops.", [("police", 40, "victim")]),
    (10, "Shouting and swearing at the victim's children.", [("council", 1, "victim")]),
]

# key, channel, victim name, postcode, received days ago, what happens to it, incidents
CASES = [
    ("overdue-ack", Channel.PHONE, "Margaret Okonkwo", "1AA", 12, "received", THREE_GOOD),
    ("new", Channel.ONLINE, "Daniel Price", "2BB", 1, "received", MIXED),
    ("acknowledged", Channel.EMAIL, "Aisha Rahman", "3CC", 9, "acknowledged", MIXED),
    ("consent", Channel.LETTER, "George Whitaker", "4DD", 20, "awaiting_consent", THREE_GOOD),
    ("declined", Channel.IN_PERSON, "Priya Shah", "5EE", 40, "declined", TWO_ONLY),
    ("discretion", Channel.PHONE, "Tomasz Nowak", "6FF", 35, "discretion", TWO_ONLY),
    ("accepted", Channel.ONLINE, "Lucy Brennan", "7GG", 30, "accepted", THREE_GOOD),
    ("withdrawn", Channel.EMAIL, "Samuel Adeyemi", "8HH", 25, "withdrawn", THREE_GOOD),
]

POSTCODE_AREA = {"west-northamptonshire": "NN1", "islington": "N1"}
STREET = {"west-northamptonshire": "Wellingborough Road, Northampton", "islington": "Caledonian Road, London"}


def _incidents(partnership: Partnership, received: dt.date, specs) -> list[IncidentData]:
    agencies = {}
    for agency in Agency.objects.filter(partnership=partnership).order_by("id"):
        agencies.setdefault(agency.kind, agency)
    incidents = []
    for days_before, description, reports in specs:
        occurred = received - dt.timedelta(days=days_before)
        incidents.append(
            IncidentData(
                occurred_on=occurred,
                description=description,
                location=STREET.get(partnership.slug, ""),
                reports=[
                    ReportData(
                        agency=agencies.get(kind),
                        agency_kind=kind,
                        reported_on=min(occurred + dt.timedelta(days=lag), received),
                        agency_reference=f"{kind[:3].upper()}/{occurred:%y%m%d}/{index + 1:02d}",
                        reporter=reporter,
                    )
                    for index, (kind, lag, reporter) in enumerate(reports)
                ],
            )
        )
    return incidents


def _create(partnership: Partnership, spec, today: dt.date, users: dict) -> Application:
    key, channel, name, postcode_tail, days_ago, state, incident_specs = spec
    received = today - dt.timedelta(days=days_ago)
    third_party = state == "awaiting_consent"
    street = STREET.get(partnership.slug, "High Street")
    application = application_create(
        partnership=partnership,
        channel=channel,
        received_on=received,
        victim=Person(
            kind=PersonKind.INDIVIDUAL,
            full_name=name,
            address=f"{10 + days_ago} {street}",
            postcode=f"{POSTCODE_AREA.get(partnership.slug, 'AB1')} {postcode_tail}",
            email=f"{key}@{DEMO_DOMAIN}",
            phone="07700 900" + f"{days_ago:03d}",
            safe_contact_times="Weekdays after 5pm",
        ),
        applicant=Person(full_name="Cllr Jean Morris", email=f"cllr-{key}@{DEMO_DOMAIN}")
        if third_party
        else None,
        applicant_relationship="Ward councillor" if third_party else "",
        victim_consent=None,
        summary="Persistent anti-social behaviour from neighbours over several months; the victim "
        "feels unsafe in their home and says reports to the agencies have not stopped it.",
        desired_outcome="For the behaviour to stop and the agencies to work together.",
        location=street,
        incidents=_incidents(partnership, received, incident_specs),
        actor=users["csm"] if channel != Channel.ONLINE else None,
    )
    if state == "received":
        return application
    csm, senior = users["csm"], users["senior"]
    application_acknowledge(
        application=application, actor=csm, acknowledged_on=received + dt.timedelta(days=2)
    )
    perpetrator_save(
        application=application,
        actor=csm,
        data=PerpetratorData(name="Not known", description="Young man, about 20, lives in the flat above."),
    )
    decided_on = received + dt.timedelta(days=min(9, days_ago - 1))
    if state == "awaiting_consent":
        application_decide(
            application=application, actor=csm, choice=DecisionChoice.AWAITING_CONSENT, decided_on=decided_on
        )
    elif state == "declined":
        application_decide(
            application=application, actor=csm, choice=DecisionChoice.DECLINE, decided_on=decided_on
        )
    elif state == "discretion":
        application_decide(
            application=application,
            actor=senior,
            choice=DecisionChoice.ACCEPT_DISCRETION,
            reasons="Two incidents only, but the behaviour is persistent and escalating, the victim's "
            "children are targeted, and the response so far has been reports logged without action.",
            decided_on=decided_on,
        )
    elif state == "accepted":
        application_decide(
            application=application, actor=csm, choice=DecisionChoice.ACCEPT, decided_on=decided_on
        )
    elif state == "withdrawn":
        application_withdraw(
            application=application,
            actor=csm,
            reason="The victim has moved away and asked to withdraw the application.",
            withdrawn_on=today - dt.timedelta(days=10),
        )
    return application


def load(stdout) -> None:
    today = timezone.localdate()
    created = 0
    for partnership in Partnership.objects.filter(slug__in=POSTCODE_AREA).order_by("slug"):
        prefix = partnership.reference_prefix.lower()
        users = {s: User.objects.filter(username=f"{prefix}-{s}").first() for s in ("csm", "senior")}
        if not all(users.values()):
            continue
        for spec in CASES:
            key = spec[0]
            if Application.objects.filter(
                partnership=partnership, victim__email=f"{key}@{DEMO_DOMAIN}"
            ).exists():
                continue
            # Islington counts reports within a month ending with the application date; the same
            # stories suit both partnerships.
            _create(partnership, spec, today, users)
            created += 1
    stdout.write(f"Demo applications: {created} created.")
