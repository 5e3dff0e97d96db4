import datetime as dt
import io

import pytest

from casereview.applications.clocks import OVERDUE, application_clocks
from casereview.applications.models import Status
from casereview.panels import demo as panels_demo
from casereview.panels.models import MeetingStatus
from casereview.panels.selectors import meeting_quorum
from casereview.reviews import demo as reviews_demo
from casereview.reviews.models import InformationRequest

pytestmark = pytest.mark.django_db


def test_the_demo_reviews_are_at_each_step_and_loading_twice_changes_nothing(demo):
    for _ in range(2):
        reviews_demo.load(io.StringIO())
        panels_demo.load(io.StringIO())
    partnership = demo.partnership()
    in_progress = reviews_demo.demo_case(partnership, "review-in-progress")
    outcome_due = reviews_demo.demo_case(partnership, "review-outcome-due")
    complete = reviews_demo.demo_case(partnership, "review-complete")

    assert in_progress.status == Status.IN_REVIEW
    statuses = sorted(in_progress.information_requests.values_list("status", flat=True))
    assert statuses == [InformationRequest.Status.ANSWERED, InformationRequest.Status.OPEN]
    (scheduled,) = in_progress.panel_meetings.all()
    assert scheduled.status == MeetingStatus.SCHEDULED
    assert not meeting_quorum(scheduled).ok  # the quorum warning shows

    assert outcome_due.status == Status.PANEL_HELD
    (held,) = outcome_due.panel_meetings.all()
    assert held.plan_is_final and held.recommendations.count() == 2 and held.actions.count() == 3
    assert outcome_due.actions.filter(kind="interim").count() == 1
    assert outcome_due.perpetrators.exists()

    assert complete.panel_meetings.get().is_held
    assert complete.status == Status.MONITORING
    assert set(complete.letters.values_list("kind", flat=True)) >= {"next_steps", "panel_minutes", "outcome"}
    assert held.minutes_circulated_on is not None
    for partnership_slug in ("west-northamptonshire", "islington"):
        assert reviews_demo.demo_case(demo.partnership(partnership_slug), "review-complete") is not None

    # Each review was accepted by letter: the threshold-decision clock is met, not shown overdue.
    for case in (in_progress, outcome_due, complete):
        assert case.letters.filter(kind="accepted").exists()
        clocks = {c.name: c for c in application_clocks(case, today=dt.date.today())}
        assert clocks["threshold_decision"].state != OVERDUE, case.reference
