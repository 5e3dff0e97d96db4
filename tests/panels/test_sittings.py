"""The review panel on the standing-panel machinery (ADR 0088): every review panel meeting sits at
the case review panel's sitting on its date (a `referrals.StandingMeeting` of the kind
`case_review`, an item per review); cancelling takes the review off the sitting; recording it
marks the item heard, the agencies' attendance and, once every review is heard, the sitting held.
The sitting's page shows each reader only the reviews they may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casereview.applications.selectors import cases_visible_to
from casereview.core.panel_kinds import CASE_REVIEW
from casereview.panels import services
from casereview.referrals import figures, meetings
from casereview.referrals.models import AgencyAttendance, MeetingItem, StandingMeeting
from tests.panels.helpers import FUTURE, full_panel, hold, schedule
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db

NOT_POLICE = [
    (dt.date(2025, 1, 10), "council", dt.date(2025, 1, 12)),
    (dt.date(2025, 3, 1), "housing", dt.date(2025, 3, 20)),
]


def _two_reviews(demo):
    """Two reviews in West Northamptonshire whose panels meet on the same day; the police are on
    the first (its incidents were reported to them) and not on the second."""
    first = in_review_application(demo)
    second = in_review_application(demo, incidents=NOT_POLICE, victim_name="Ann Other")
    police = demo.user("wn-police")
    assert first in cases_visible_to(police) and second not in cases_visible_to(police)
    return first, second


def test_two_reviews_on_one_day_sit_at_one_sitting(demo):
    first, second = _two_reviews(demo)
    one, two = schedule(demo, first), schedule(demo, second)

    sittings = StandingMeeting.objects.filter(panel_kind=CASE_REVIEW)
    assert sittings.count() == 1
    sitting = sittings.get()
    assert (sitting.meeting_on, sitting.status, sitting.partnership_id) == (
        FUTURE,
        "scheduled",
        first.partnership_id,
    )
    assert [(i.case_id, i.referral_id, i.why) for i in sitting.items.order_by("position")] == [
        (first.pk, None, "case_review"),
        (second.pk, None, "case_review"),
    ]
    assert one.item.meeting_id == two.item.meeting_id == sitting.pk
    assert (one.item.case_id, two.item.case_id) == (first.pk, second.pk)
    # Another day is another sitting.
    third = in_review_application(demo, victim_name="Third Person")
    schedule(demo, third, meeting_on=FUTURE + dt.timedelta(days=7))
    assert sittings.count() == 2


def test_cancelling_takes_the_review_off_the_sitting_and_an_empty_sitting_goes(demo):
    first, second = _two_reviews(demo)
    one, two = schedule(demo, first), schedule(demo, second)
    sitting = one.item.meeting
    spoc = demo.user("wn-spoc")

    services.panel_cancel(meeting=one, actor=spoc, reason="The victim is in hospital.")
    one.refresh_from_db()
    assert one.item is None and one.status == "cancelled"
    assert list(sitting.items.values_list("case_id", flat=True)) == [second.pk]

    services.panel_cancel(meeting=two, actor=spoc, reason="Moved to next month.")
    assert not StandingMeeting.objects.filter(pk=sitting.pk).exists()
    assert not MeetingItem.objects.exists()


def test_recording_hears_the_review_and_the_sitting_is_held_when_all_are(demo):
    first, second = _two_reviews(demo)
    one = full_panel(demo, schedule(demo, first))
    two = schedule(demo, second)
    sitting = one.item.meeting
    # Absent: the health representative (their agency sends apologies).
    health = one.members.get(user=demo.user("wn-health"))
    attended = list(one.members.exclude(pk=health.pk).values_list("id", flat=True))

    hold(demo, one, attended_member_ids=attended, inquorate_reason="The NHS sent its report in writing.")
    one.refresh_from_db()
    sitting.refresh_from_db()
    assert one.item.heard is True
    assert sitting.status == "scheduled"  # the second review is not heard yet
    attendance = {row.agency.kind: row.present for row in AgencyAttendance.objects.filter(meeting=sitting)}
    assert attendance["police"] is True and attendance["housing"] is True
    assert attendance["health"] is False
    police_row = AgencyAttendance.objects.get(meeting=sitting, agency__kind="police")
    assert police_row.names == str(demo.user("wn-police"))

    full_panel(demo, two)
    hold(demo, two)
    sitting.refresh_from_db()
    assert (sitting.status, sitting.held_on) == ("held", dt.date.today())
    # Present for the second review: the health agency is present after all.
    assert AgencyAttendance.objects.get(meeting=sitting, agency__kind="health").present is True


def test_a_sitting_takes_none_of_the_standing_panels_writes(demo):
    first, _ = _two_reviews(demo)
    meeting = schedule(demo, first)
    csm = demo.user("wn-csm")
    sitting = meeting.item.meeting
    with pytest.raises(ValidationError, match="recorded on its own panel page"):
        meetings.meeting_hold(meeting=sitting, actor=csm, version=sitting.version)
    with pytest.raises(ValidationError, match="recorded on its own panel page"):
        meetings.item_record(
            item=meeting.item,
            discussion="x",
            risk_answers={},
            next_review_on=FUTURE + dt.timedelta(days=30),
            close_agreed=False,
            close_reason="",
            actor=csm,
        )
    sitting.refresh_from_db()
    assert sitting.status == "scheduled" and meeting.item.heard is False
    kind = first.partnership.policy.case_review_panel
    with pytest.raises(ValidationError, match="scheduling a review's panel meeting"):
        meetings.meeting_schedule(partnership=first.partnership, kind=kind, meeting_on=FUTURE, actor=csm)
    assert StandingMeeting.objects.count() == 1


def test_the_sitting_page_shows_each_reader_only_the_reviews_they_may_see(demo, client):
    first, second = _two_reviews(demo)
    one, two = schedule(demo, first), schedule(demo, second)
    sitting = one.item.meeting

    client.force_login(demo.user("wn-csm"))
    page = client.get(f"/referrals/meetings/{sitting.pk}/").content.decode()
    assert first.reference in page and second.reference in page
    assert f'href="/panels/{one.pk}/"' in page and f'href="/panels/{two.pk}/"' in page
    listed = client.get(f"/referrals/{CASE_REVIEW}/meetings/").content.decode()
    assert f'href="/referrals/meetings/{sitting.pk}/"' in listed
    # The review's page names its sitting and links to it.
    review_page = client.get(f"/panels/{one.pk}/").content.decode()
    assert f'href="/referrals/meetings/{sitting.pk}/"' in review_page

    # A police officer on the first review only: the second is not on the page, not even its link.
    client.force_login(demo.user("wn-police"))
    page = client.get(f"/referrals/meetings/{sitting.pk}/").content.decode()
    assert first.reference in page
    assert second.reference not in page and f"/panels/{two.pk}/" not in page
    assert "1 other review at this sitting is not shown" in page
    # The standing panels' own pages for a meeting are not a sitting's.
    assert client.get(f"/referrals/meetings/{sitting.pk}/minutes/").status_code == 404
    assert client.get(f"/referrals/meetings/{sitting.pk}/items/{one.item_id}/share/").status_code == 404

    # A police officer on neither review does not see the sitting at all.
    services.panel_cancel(meeting=one, actor=demo.user("wn-spoc"), reason="Postponed.")
    assert client.get(f"/referrals/meetings/{sitting.pk}/").status_code == 404
    listed = client.get(f"/referrals/{CASE_REVIEW}/meetings/").content.decode()
    assert f"/referrals/meetings/{sitting.pk}/" not in listed


def test_no_one_refers_to_the_case_review_panel(demo, client):
    client.force_login(demo.user("wn-police"))
    assert client.get(f"/referrals/{CASE_REVIEW}/new/").status_code == 404
    client.force_login(demo.user("wn-csm"))
    assert client.get(f"/referrals/{CASE_REVIEW}/meetings/new/").status_code == 404


def test_the_yearly_figures_count_reviews_heard_at_sittings(demo):
    first, second = _two_reviews(demo)
    partnership = first.partnership
    year = figures.year_of(dt.date.today())

    def heard():
        row = {r.code: r for r in figures.panel_figures(partnership, year=year)}[CASE_REVIEW]
        assert (row.actions, row.closed, row.open) == (None, None, None)
        return row.heard

    one, two = full_panel(demo, schedule(demo, first)), full_panel(demo, schedule(demo, second))
    assert heard() == 0
    hold(demo, one)
    assert heard() == 0  # the sitting is not held until both reviews are
    hold(demo, two)
    assert heard() == 2
