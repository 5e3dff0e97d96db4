"""Drive cases through the workflow for the figures' tests, with the real services of the apps that
own each step: record, acknowledge, decide and withdraw (applications), appoint the SPOC (reviews),
schedule and record the panel and its recommendations (panels).

Two steps are recorded as the owning app records them on the timeline, because its service cannot
be asked to do them on a past date: the panel is scheduled for today and recorded as held on its
(past) date, which is the panels app's own way; and letters are "letter_issued" case events with
data {"letter_kind", "appeal_window_starts"}, as the letters app records them.
"""

from __future__ import annotations

import datetime as dt

from casereview.accounts.models import Agency, User
from casereview.applications.models import Status
from casereview.applications.services import (
    DecisionChoice,
    IncidentData,
    ReportData,
    application_acknowledge,
    application_decide,
    application_withdraw,
    case_event_record,
    incident_add,
)
from tests.factories import make_application


def received(partnership, on: dt.date, *, name: str = "Jo Bloggs", **extra):
    """An application with no incidents yet: the threshold is not met until some are added."""
    extra.setdefault("incidents", [])
    return make_application(partnership, received_on=on, victim_name=name, **extra)


def _fresh(application):
    application.refresh_from_db()
    return application


def acknowledge(application, on: dt.date, actor=None):
    actor = actor or User.objects.get(username=f"{application.partnership.reference_prefix.lower()}-csm")
    application_acknowledge(application=application, actor=actor, acknowledged_on=on)
    return _fresh(application)


def _decide(application, on, actor, choice, reasons=""):
    if application.status == Status.RECEIVED:
        acknowledge(application, on, actor)
    application_decide(application=application, actor=actor, choice=choice, decided_on=on, reasons=reasons)
    return _fresh(application)


def _three_qualifying_incidents(application, actor):
    agencies = {a.kind: a for a in Agency.objects.filter(partnership=application.partnership).order_by("-id")}
    for days_before, kind in ((60, "police"), (40, "council"), (20, "housing")):
        occurred = application.received_on - dt.timedelta(days=days_before)
        incident_add(
            application=application,
            data=IncidentData(
                occurred_on=occurred,
                description="Shouting and threats on the stairwell.",
                reports=[
                    ReportData(
                        agency_kind=kind,
                        agency=agencies.get(kind),
                        reported_on=occurred + dt.timedelta(days=1),
                    )
                ],
            ),
            actor=actor,
        )


def decline(application, on: dt.date, actor, *, ineligible=False, letter_on: dt.date | None = None):
    if ineligible:
        application.concerns = ["court_decision"]
        application.save(update_fields=["concerns"])  # as recorded when the application came in
    choice = DecisionChoice.DECLINE_INELIGIBLE if ineligible else DecisionChoice.DECLINE
    application = _decide(application, on, actor, choice)
    if letter_on is not None:
        letter(application, "ineligible" if ineligible else "threshold_not_met", letter_on, actor)
    return application


def accept(application, on: dt.date, actor, *, discretionary=False):
    if discretionary:
        return _decide(
            application, on, actor, DecisionChoice.ACCEPT_DISCRETION, reasons="Persistent and escalating."
        )
    _three_qualifying_incidents(application, actor)
    return _decide(application, on, actor, DecisionChoice.ACCEPT)


def withdraw(application, on: dt.date, actor=None):
    actor = actor or User.objects.get(username=f"{application.partnership.reference_prefix.lower()}-csm")
    application_withdraw(
        application=application, actor=actor, reason="The victim asked to withdraw.", withdrawn_on=on
    )
    return _fresh(application)


def start_review(application, on: dt.date, actor):
    from casereview.reviews.services import spoc_appoint

    spoc = User.objects.get(username=f"{application.partnership.reference_prefix.lower()}-spoc")
    spoc_appoint(
        application=application, spoc=spoc, actor=actor, appointed_on=on, override_reason="Test case."
    )
    return _fresh(application)


def panel(
    application,
    on: dt.date,
    actor,
    *,
    recommendations: int = 0,
    outcome_letter_on: dt.date | None = None,
    inquorate_reason: str = "",
):
    """Hold the panel: quorate, unless `inquorate_reason` is given (then only the SPOC sits, and
    the chair's reason is recorded)."""
    from casereview.panels.services import panel_record, panel_schedule, recommendation_add
    from casereview.statistics.demo import seat_quorate_panel

    if application.status == Status.ACCEPTED:
        start_review(application, on, actor)
    meeting = panel_schedule(
        case=application,
        meeting_on=dt.date.today(),
        starts_at=dt.time(10),
        actor=actor,
        location="Room 2",
    )
    if not inquorate_reason:
        seat_quorate_panel(meeting, actor)
    panel_record(
        meeting=meeting,
        held_on=on,
        attended_member_ids=list(meeting.members.values_list("id", flat=True)),
        victim_voice="spoc_presented",
        minutes="The panel reviewed the agencies' responses.",
        decisions="A joint visit.",
        actor=actor,
        inquorate_reason=inquorate_reason,
    )
    body = Agency.objects.filter(partnership=application.partnership, kind="police").first()
    for _ in range(recommendations):
        recommendation_add(
            meeting=meeting, body=body, text="Share incident reports within a day.", actor=actor
        )
    if outcome_letter_on is not None:
        letter(application, "outcome", outcome_letter_on, actor)
    return _fresh(application)


def letter(application, kind: str, on: dt.date, actor=None):
    """A letter as the letters app records it on the timeline."""
    return case_event_record(
        application=application,
        kind="letter_issued",
        summary="Letter issued.",
        actor=actor,
        occurred_on=on,
        data={
            "letter_kind": kind,
            "appeal_window_starts": kind in ("threshold_not_met", "ineligible", "outcome"),
        },
    )


def letters_available() -> bool:
    """The appeal decision letter needs the letters app's service (branch letters until it lands)."""
    from importlib.util import find_spec

    return find_spec("casereview.letters.services") is not None
