"""Demo: a West Northamptonshire case in monitoring whose action plan has actions at every rung of
the escalation ladder, dated relative to today, so `casereview sweep` shows the ladder at work.

Idempotent: the case is found by its demo victim and summary and left alone if it exists.
"""

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Agency, AgencyKind, Partnership
from casereview.accounts.selectors import staff_in
from casereview.applications.models import Application, Person, Status
from casereview.applications.services import (
    IncidentData,
    ReportData,
    application_create,
    application_set_status,
)

from .models import ActionKind
from .services import action_complete, action_create

SUMMARY = "Drug dealing and intimidation from a flat on the landing; the lift lobby is used at night."
VICTIM = "Leslie Carter"

# (owner username, days past due (negative: not due yet), what, shared with the victim)
ACTIONS = [
    ("wn-police", 10, "Targeted patrols of the block's lift lobby between 10pm and 2am.", True),
    ("wn-housing", 30, "Tenancy enforcement visit to the flat named in the minutes.", False),
    ("wn-csm", 70, "Fit a secure door entry system to the block.", True),
    ("wn-health", 100, "Refer the victim to the community mental health team.", False),
    ("wn-police", -7, "Community Protection Warning to the person named in the minutes.", False),
]


def load(stdout) -> None:
    partnership = Partnership.objects.filter(slug="west-northamptonshire").first()
    if partnership is None:
        return
    if Application.objects.filter(
        partnership=partnership, victim__full_name=VICTIM, summary=SUMMARY
    ).exists():
        return
    from casereview.reviews.services import spoc_appoint

    today = timezone.localdate()
    received = today - dt.timedelta(days=200)
    users = {u.username: u for u in staff_in(partnership.pk, active_only=False)}
    csm = users["wn-csm"]
    agencies = {a.kind: a for a in Agency.objects.filter(partnership=partnership).order_by("-id")}
    incidents = [
        IncidentData(
            occurred_on=received - dt.timedelta(days=days),
            description="Shouting and threats in the lift lobby late at night.",
            reports=[
                ReportData(
                    agency_kind=AgencyKind.POLICE,
                    agency=agencies.get(AgencyKind.POLICE),
                    reported_on=received - dt.timedelta(days=days - 1),
                )
            ],
        )
        for days in (90, 60, 20)
    ]
    application = application_create(
        partnership=partnership,
        channel="phone",
        received_on=received,
        victim=Person(
            full_name=VICTIM,
            address="Flat 12, Beacon House\nNorthampton",
            postcode="NN1 3AB",
            email="leslie.carter@example.com",
            preferred_contact="letter",
            format_needs="Large print",
        ),
        summary=SUMMARY,
        desired_outcome="To feel safe using the lift and the landing again.",
        location="Beacon House, Northampton",
        incidents=incidents,
        actor=csm,
    )
    steps = [
        (Status.ACKNOWLEDGED, "acknowledged", "Application acknowledged.", received + dt.timedelta(days=3)),
        (
            Status.ACCEPTED,
            "accepted",
            "Accepted for review: the threshold is met.",
            received + dt.timedelta(days=10),
        ),
    ]
    for status, kind, summary, day in steps:
        application_set_status(
            application=application, to=status, actor=csm, summary=summary, occurred_on=day, event_kind=kind
        )
    spoc_appoint(
        application=application,
        spoc=users["wn-spoc"],
        actor=csm,
        appointed_on=received + dt.timedelta(days=12),
    )
    application.refresh_from_db()
    panel_day = received + dt.timedelta(days=60)
    application_set_status(
        application=application,
        to=Status.PANEL_HELD,
        actor=csm,
        summary="Review panel held.",
        occurred_on=panel_day,
        event_kind="panel_held",
    )
    application_set_status(
        application=application,
        to=Status.MONITORING,
        actor=csm,
        summary="Action plan agreed; monitoring the actions.",
        occurred_on=panel_day,
    )
    for username, days_overdue, description, shared in ACTIONS:
        owner = users[username]
        action_create(
            case=application,
            kind=ActionKind.PANEL,
            description=description,
            owner_agency=owner.agency,
            owner=owner,
            due_on=today - dt.timedelta(days=days_overdue),
            actor=csm,
            share_with_victim=shared,
            created_on=panel_day,
        )
    done = action_create(
        case=application,
        kind=ActionKind.PANEL,
        description="Share the CCTV footage from the lobby with the police.",
        owner_agency=users["wn-housing"].agency,
        owner=users["wn-housing"],
        due_on=panel_day + dt.timedelta(days=14),
        actor=csm,
        created_on=panel_day,
    )
    action_complete(
        action=done,
        actor=users["wn-housing"],
        what_happened="Footage from three nights shared with Northamptonshire Police.",
        completed_on=panel_day + dt.timedelta(days=9),
        today=today,
    )
    stdout.write(
        f"Demo actions on {application.reference}: overdue at every rung of the ladder — "
        "run `casereview sweep` to send the escalations, then see /actions/ and /notices/."
    )
