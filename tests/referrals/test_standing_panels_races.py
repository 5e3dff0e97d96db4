"""The standing panels' add forms and the minutes' issue, fifty at once on PostgreSQL (real threads,
each with its own connection, released together): from pages read together, one add and one issue
land, the rest are refused as stale and write nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection

from casereview.referrals import meetings
from casereview.referrals.models import AgencyShare, MeetingItem, MinutesDocument, StandingMeeting
from tests.referrals.test_standing_panels_more import DISCUSSIONS, MEETING_ON, agency, held, refer, schedule
from tests.web.test_races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need row locks and concurrent writers: PostgreSQL only (SQLite serialises writers)",
    ),
]


def test_fifty_actions_added_from_pages_read_together_add_one(demo):
    islington = demo.partnership("islington")
    cmarac = islington.policy.panel_kind("cmarac")
    refer(demo, islington, cmarac)
    meeting = schedule(demo, islington, cmarac)
    item_pk = meeting.items.get().pk
    csm, housing = demo.user("is-csm"), agency(islington, "housing")

    def add(i: int) -> None:
        meetings.item_action_add(
            item=MeetingItem.objects.select_related("meeting", "referral__case").get(pk=item_pk),
            description=f"writer {i}",
            owner_agency=housing,
            due_on=MEETING_ON + dt.timedelta(days=14),
            actor=csm,
            read_version=0,
        )

    assert race(50, add) == Counter({"ok": 1, "stale": 49})
    assert MeetingItem.objects.get(pk=item_pk).actions.count() == 1


def test_fifty_shares_from_pages_read_together_add_one(demo):
    islington = demo.partnership("islington")
    cmarac = islington.policy.panel_kind("cmarac")
    refer(demo, islington, cmarac)
    meeting = schedule(demo, islington, cmarac)
    item_pk = meeting.items.get().pk
    officer = demo.user("is-housing")

    def share(i: int) -> None:
        meetings.agency_share_add(
            item=MeetingItem.objects.select_related("meeting", "referral__case").get(pk=item_pk),
            text=f"writer {i}",
            actor=officer,
            read_version=0,
        )

    assert race(50, share) == Counter({"ok": 1, "stale": 49})
    assert AgencyShare.objects.filter(item_id=item_pk).count() == 1


def test_twenty_issues_of_the_minutes_from_pages_read_together_issue_once(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    islington = demo.partnership("islington")
    cmarac = islington.policy.panel_kind("cmarac")
    for kind in ("council", "police", "housing", "health"):
        islington.agencies.filter(kind=kind).update(email=f"panels@{kind}.example.org")
    refer(demo, islington, cmarac, name="Jo Bloggs")
    meeting = held(demo, islington, cmarac, DISCUSSIONS)
    csm = demo.user("is-csm")

    def issue(i: int) -> None:
        meetings.minutes_issue(meeting=StandingMeeting.objects.get(pk=meeting.pk), actor=csm, read_issues=0)

    assert race(20, issue) == Counter({"ok": 1, "refused": 19})
    assert set(MinutesDocument.objects.filter(meeting=meeting).values_list("issue", flat=True)) == {1}
    assert MinutesDocument.objects.filter(meeting=meeting).count() == 2  # council and housing
