"""Demo panels for the demo reviews (reviews/demo.py): a scheduled panel short of its quorum, a
held panel with its plan agreed and minutes circulated (outcome letter still to send), and a
completed review being monitored. Idempotent: a case that already has a meeting is left alone.

The held meetings are back-dated: scheduling refuses a date in the past (a meeting is scheduled
before it happens), so the demo schedules for today and then moves the date, as data.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Partnership
from casereview.letters.demo import send_demo_letters
from casereview.reviews.demo import _agency, _users, demo_case

from . import services
from .models import PanelMeeting


def _members(meeting, users, partnership, *, full: bool) -> None:
    spoc = users["spoc"]
    seats = [("representative", users["police"]), ("independent_chair", users["chair"])]
    if full:
        seats += [
            ("representative", users["csm"]),
            ("representative", users["housing"]),
            ("representative", users["health"]),
        ]
    for role, user in seats:
        services.panel_member_add(meeting=meeting, role=role, user=user, actor=spoc)
    if full:
        services.panel_member_add(
            meeting=meeting,
            role="minute_taker",
            name="Jess Cooper",
            job_title="Business support officer",
            agency=_agency(partnership, "council"),
            actor=spoc,
        )


def _held(partnership, application, users, *, days_ago: int, today: dt.date) -> PanelMeeting:
    spoc = users["spoc"]
    meeting = services.panel_schedule(
        case=application,
        meeting_on=today,
        starts_at=dt.time(10, 0),
        location="Meeting room 2, One Angel Square",
        actor=spoc,
    )
    _members(meeting, users, partnership, full=True)
    held_on = today - dt.timedelta(days=days_ago)
    PanelMeeting.objects.filter(pk=meeting.pk).update(meeting_on=held_on)
    meeting.refresh_from_db()
    services.panel_record(
        meeting=meeting,
        held_on=held_on,
        attended_member_ids=list(meeting.members.values_list("id", flat=True)),
        victim_voice="impact_statement",
        impact_statement="I dread the evenings. I have stopped having my family round. "
        "I just want it to stop.",
        minutes="The SPOC presented the case and read the victim's impact statement. The police and the "
        "housing provider described their responses. The panel agreed the response so far had been "
        "reports logged separately without a joint plan.",
        decisions="A joint visit by the police and the housing provider; a Community Protection Warning "
        "to be considered; support for the victim to continue.",
        actor=spoc,
    )
    housing, police = _agency(partnership, "housing"), _agency(partnership, "police")
    services.recommendation_add(
        meeting=meeting,
        body=housing,
        actor=spoc,
        text="Hold a tenancy enforcement review of the flat below and agree a management plan.",
    )
    services.recommendation_add(
        meeting=meeting,
        body=police,
        actor=spoc,
        text="Treat future calls from the victim's address as linked, so officers see the history.",
    )
    services.panel_action_add(
        meeting=meeting,
        description="Joint visit by the neighbourhood team and the tenancy officer.",
        owner_agency=police,
        owner=users["police"],
        due_on=today + dt.timedelta(days=14),
        actor=spoc,
    )
    services.panel_action_add(
        meeting=meeting,
        description="Consider a Community Protection Warning for the tenant of the flat below.",
        owner_agency=housing,
        owner=users["housing"],
        due_on=today + dt.timedelta(days=21),
        actor=spoc,
        share_with_victim=False,
    )
    services.panel_action_add(
        meeting=meeting,
        description="Call the victim every two weeks to update them on progress.",
        owner_agency=_agency(partnership, "council"),
        owner=users["csm"],
        due_on=today + dt.timedelta(days=28),
        actor=spoc,
    )
    services.victim_consultation_record(
        meeting=meeting,
        consulted_on=held_on + dt.timedelta(days=1),
        method="phone",
        view="agrees",
        victim_comments="Pleased the agencies are working together at last.",
        actor=spoc,
    )
    services.action_plan_finalise(meeting=meeting, actor=spoc, finalised_on=held_on + dt.timedelta(days=1))
    services.minutes_circulate(meeting=meeting, actor=spoc, circulated_on=held_on + dt.timedelta(days=2))
    meeting.refresh_from_db()
    return meeting


def load(stdout) -> None:
    today = timezone.localdate()
    created = 0
    for partnership in Partnership.objects.filter(slug__in=("west-northamptonshire", "islington")).order_by(
        "slug"
    ):
        users = _users(partnership)
        if not all(users.values()):
            continue
        in_progress = demo_case(partnership, "review-in-progress")
        if in_progress is not None and not in_progress.panel_meetings.exists():
            meeting = services.panel_schedule(
                case=in_progress,
                meeting_on=today + dt.timedelta(days=10),
                starts_at=dt.time(14, 0),
                online=True,
                joining_details="Microsoft Teams: link sent with the invitation",
                actor=users["spoc"],
            )
            _members(meeting, users, partnership, full=False)  # short of its quorum, on purpose
            created += 1
        outcome_due = demo_case(partnership, "review-outcome-due")
        if outcome_due is not None and not outcome_due.panel_meetings.exists():
            _held(partnership, outcome_due, users, days_ago=3, today=today)
            created += 1
        complete = demo_case(partnership, "review-complete")
        if complete is not None and not complete.panel_meetings.exists():
            meeting = _held(partnership, complete, users, days_ago=20, today=today)
            services.outcome_letter_issue(
                meeting=meeting,
                actor=users["spoc"],
                outcome_summary="The panel found that the agencies had each responded to your reports "
                "but had not worked together. They have agreed a joint plan, set out below.",
            )
            send_demo_letters(complete, users["spoc"])
            created += 1
    stdout.write(f"Demo panels: {created} created.")
