"""The data migration that gives every review panel meeting its sitting (panels 0009, ADR 0088):
run backwards, the sittings go and the reviews' meetings stay; run forwards over those meetings,
each meeting not cancelled is an item of the case review sitting of its partnership and date —
one sitting for the reviews of one day — heard if the meeting was held, with the attendance of
its members' agencies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.panels.helpers import FUTURE, full_panel, hold, schedule
from tests.reviews.helpers import in_review_application

BEFORE = [("panels", "0007_victimview"), ("referrals", "0004_referral_subjects")]

pytestmark = pytest.mark.django_db(transaction=True)


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def test_every_review_meeting_gets_its_sitting_backwards_and_forwards(demo):
    from casereview.panels import services
    from casereview.panels.models import PanelMeeting

    cases = [in_review_application(demo, victim_name=f"Person {n}") for n in range(5)]
    held = full_panel(demo, schedule(demo, cases[0]))
    hold(demo, held)  # held today
    same_day = [schedule(demo, cases[1]), schedule(demo, cases[2])]
    later = schedule(demo, cases[3], meeting_on=FUTURE + dt.timedelta(days=7))
    cancelled = schedule(demo, cases[4], meeting_on=FUTURE + dt.timedelta(days=21))
    services.panel_cancel(meeting=cancelled, actor=demo.user("wn-spoc"), reason="Postponed.")
    meetings_before = sorted(PanelMeeting.objects.values_list("pk", "status", "meeting_on"))

    latest = _executor().loader.graph.leaf_nodes()
    try:
        executor = _executor()
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        assert (
            not old.get_model("referrals", "StandingMeeting")
            .objects.filter(panel_kind="case_review")
            .exists()
        )
        assert not old.get_model("referrals", "MeetingItem").objects.exists()
        OldMeeting = old.get_model("panels", "PanelMeeting")
        assert sorted(OldMeeting.objects.values_list("pk", "status", "meeting_on")) == meetings_before
    finally:
        _executor().migrate(latest)

    from casereview.referrals.models import AgencyAttendance, StandingMeeting

    assert sorted(PanelMeeting.objects.values_list("pk", "status", "meeting_on")) == meetings_before
    sittings = {
        s.meeting_on: s
        for s in StandingMeeting.objects.filter(panel_kind="case_review", partnership=cases[0].partnership)
    }
    assert set(sittings) == {dt.date.today(), FUTURE, FUTURE + dt.timedelta(days=7)}
    today = sittings[dt.date.today()]
    assert (today.status, today.held_on) == ("held", dt.date.today())
    assert [(i.case_id, i.heard, i.referral_id) for i in today.items.all()] == [(cases[0].pk, True, None)]
    assert PanelMeeting.objects.get(pk=held.pk).item.meeting_id == today.pk
    present = set(
        AgencyAttendance.objects.filter(meeting=today, present=True).values_list("agency__kind", flat=True)
    )
    assert {"police", "housing", "health", "council"} <= present
    assert sittings[FUTURE].status == "scheduled"
    assert sorted(sittings[FUTURE].items.values_list("case_id", "heard")) == sorted(
        [(cases[1].pk, False), (cases[2].pk, False)]
    )
    for meeting in [*same_day, later]:
        assert PanelMeeting.objects.get(pk=meeting.pk).item.case_id == meeting.case_id
    assert PanelMeeting.objects.get(pk=cancelled.pk).item is None
