"""The outcome letter in Chromium: the redaction refusal seen on screen, then the letter issued;
the next-steps letter; axe-core on each page."""

import re

import pytest

from casereview.applications.models import Status
from tests.conftest import assert_accessible
from tests.panels.test_outcome import agreed_plan
from tests.reviews.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_outcome_letter_refuses_a_perpetrators_name_then_is_issued(page, demo):
    application, meeting = agreed_plan(demo)
    sign_in(page, "wn-spoc")
    page.goto(f"/panels/{meeting.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Send the outcome letter to the victim").click()
    assert_accessible(page)
    summary = page.get_by_label("What to tell the victim about the outcome")
    summary.fill("The police will speak to darren KETTERING about his behaviour.")
    page.get_by_role("button", name="Preview the letter").click()
    refusal = page.locator(".app-redaction-refusal").inner_text()
    assert "This letter cannot be issued" in refusal
    assert "alleged perpetrator 1" in refusal
    assert page.get_by_role("button", name="Issue the outcome letter").count() == 0
    assert "darren KETTERING" in summary.input_value()  # what the SPOC wrote is kept
    assert_accessible(page)

    summary.fill("The agencies have agreed to work together on a joint plan, set out below.")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the letter").click()
    assert page.locator(".app-redaction-refusal").count() == 0
    assert "Agree a tenancy management plan." in page.locator(".app-letter-preview").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the outcome letter").click()
    assert "Outcome letter issued" in page.locator(".govuk-notification-banner").inner_text()
    application.refresh_from_db()
    assert application.status == Status.MONITORING


def test_the_next_steps_letter_is_previewed_and_issued(page, demo):
    from tests.reviews.helpers import in_review_application

    application = in_review_application(demo)
    sign_in(page, "wn-spoc")
    page.goto(f"/reviews/cases/{application.reference}/")
    page.get_by_role("link", name="Send the next-steps letter").click()
    assert "Sam Patel" in page.locator(".app-letter-preview").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the letter").click()
    assert re.search("Next-steps letter issued", page.locator(".govuk-notification-banner").inner_text())
    assert application.letters.filter(kind="next_steps").count() == 1
