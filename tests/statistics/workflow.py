"""Drive cases through the workflow for the figures' tests, with the services other apps provide.

Each step is the applications app's own write path (application_set_status, case_event_record) with
the event kinds and data the owning apps record: "accepted"/"declined" for the threshold decision
(with its ThresholdDecision), "withdrawn", "panel_held", "recommendation_made", and "letter_issued"
with data {"letter_kind", "appeal_window_starts"} as the letters app records it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.applications.models import Decision, Status, ThresholdDecision
from casereview.applications.services import application_set_status, case_event_record
from tests.factories import make_application


def received(partnership, on: dt.date, *, name: str = "Jo Bloggs", **extra):
    return make_application(partnership, received_on=on, victim_name=name, **extra)


def acknowledge(application, on: dt.date, actor=None):
    return application_set_status(
        application=application,
        to=Status.ACKNOWLEDGED,
        actor=actor,
        summary="Acknowledged.",
        occurred_on=on,
        event_kind="acknowledged",
    )


def _decision(application, on, actor, decision, *, discretionary=False, outcome="not_met"):
    return ThresholdDecision.objects.create(
        application=application,
        policy_id=application.partnership.policy.id,
        policy_version=application.partnership.policy.version,
        engine_outcome=outcome,
        engine_result={"outcome": outcome, "incidents": [], "explanation": "Test."},
        decision=decision,
        discretionary=discretionary,
        explanation="Test.",
        decided_by=actor,
        decided_at=timezone.now(),
        decided_on=on,
    )


def decline(application, on: dt.date, actor, *, ineligible=False, letter_on: dt.date | None = None):
    if application.status == Status.RECEIVED:
        acknowledge(application, on, actor)
    decision = _decision(
        application,
        on,
        actor,
        Decision.INELIGIBLE if ineligible else Decision.DECLINED,
        outcome="ineligible" if ineligible else "not_met",
    )
    application_set_status(
        application=application,
        to=Status.DECLINED,
        actor=actor,
        summary="Declined.",
        occurred_on=on,
        event_kind="declined",
        data={"decision": decision.pk},
    )
    if letter_on is not None:
        letter(application, "ineligible" if ineligible else "threshold_not_met", letter_on, actor)
    return application


def accept(application, on: dt.date, actor, *, discretionary=False):
    if application.status == Status.RECEIVED:
        acknowledge(application, on, actor)
    decision = _decision(
        application,
        on,
        actor,
        Decision.ACCEPTED,
        discretionary=discretionary,
        outcome="not_met" if discretionary else "met",
    )
    return application_set_status(
        application=application,
        to=Status.ACCEPTED,
        actor=actor,
        summary="Accepted.",
        occurred_on=on,
        event_kind="accepted",
        data={"decision": decision.pk},
    )


def withdraw(application, on: dt.date, actor=None):
    return application_set_status(
        application=application,
        to=Status.WITHDRAWN,
        actor=actor,
        summary="Withdrawn.",
        occurred_on=on,
        event_kind="withdrawn",
        data={"reason": "The victim asked to withdraw."},
    )


def start_review(application, on: dt.date, actor):
    return application_set_status(
        application=application,
        to=Status.IN_REVIEW,
        actor=actor,
        summary="SPOC appointed.",
        occurred_on=on,
        event_kind="spoc_appointed",
    )


def panel(
    application, on: dt.date, actor, *, recommendations: int = 0, outcome_letter_on: dt.date | None = None
):
    if application.status == Status.ACCEPTED:
        start_review(application, on, actor)
    application_set_status(
        application=application,
        to=Status.PANEL_HELD,
        actor=actor,
        summary="The review panel met.",
        occurred_on=on,
        event_kind="panel_held",
    )
    for number in range(recommendations):
        case_event_record(
            application=application,
            kind="recommendation_made",
            summary="The panel made a recommendation.",
            actor=actor,
            occurred_on=on,
            data={"recommendation": number + 1},
        )
    if outcome_letter_on is not None:
        letter(application, "outcome", outcome_letter_on, actor)
    return application


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
