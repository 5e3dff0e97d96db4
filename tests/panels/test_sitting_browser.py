"""A case review sitting in Chromium with axe-core (WCAG 2.2 AA, ADR 0088): the community safety
manager opens the review's panel page, follows it to the sitting, sees both reviews of the day and
their attendance by agency, and goes back to a review's own page; a police officer on one review
sees only that one."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import assert_accessible, sign_in
from tests.panels.helpers import full_panel, hold, schedule
from tests.panels.test_sittings import NOT_POLICE
from tests.reviews.helpers import in_review_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sitting_page_lists_its_reviews_and_attendance(page, demo):
    first = in_review_application(demo)
    second = in_review_application(demo, incidents=NOT_POLICE, victim_name="Ann Other")
    one = full_panel(demo, schedule(demo, first, meeting_on=dt.date.today()))
    two = schedule(demo, second, meeting_on=dt.date.today())
    hold(demo, one)
    sitting = one.item.meeting
    assert two.item.meeting_id == sitting.pk

    sign_in(page, "wn-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"/panels/{one.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="ASB Case Review panel's sitting").click()
    main = page.locator("main").inner_text()
    assert first.reference in main and second.reference in main
    assert "Attendance by agency" in main and "attended" in main
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"The review's panel page for {second.reference}").click()
    assert page.url.endswith(f"/panels/{two.pk}/")
    page.goto("/referrals/case_review/meetings/")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "wn-police")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"/referrals/meetings/{sitting.pk}/")
    main = page.locator("main").inner_text()
    assert first.reference in main and second.reference not in main
    assert_accessible(page)
