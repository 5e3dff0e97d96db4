"""The outcome letter in Chromium: the redaction refusal seen on screen, then the letter issued;
the next-steps letter; axe-core on each page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

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


def test_an_inquorate_meeting_cannot_be_recorded_held_without_the_chairs_reason(page, demo):
    from tests.panels.helpers import full_panel, schedule
    from tests.reviews.helpers import in_review_application

    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    meeting.meeting_on = dt.date.today()
    meeting.save()
    sign_in(page, "wn-spoc")
    page.goto(f"/panels/{meeting.pk}/record/")
    page.get_by_label("Day").fill(str(meeting.meeting_on.day))
    page.get_by_label("Month").fill(str(meeting.meeting_on.month))
    page.get_by_label("Year").fill(str(meeting.meeting_on.year))
    for member in meeting.members.exclude(role="independent_chair"):
        page.get_by_label(re.compile(re.escape(member.name) + " – ")).check()
    page.get_by_label("The SPOC presented the victim's views").check()
    page.get_by_label("Minutes", exact=True).fill("The panel considered the agencies' responses.")
    page.get_by_label("What the panel decided").fill("A joint visit.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The meeting was not quorate")
    expect(page.locator(".govuk-error-summary")).to_contain_text("an independent chair")
    assert (
        page.get_by_label("Minutes", exact=True).input_value()
        == "The panel considered the agencies' responses."
    )
    assert_accessible(page)
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"

    page.get_by_label(re.compile("the chair's reason")).fill(
        "The chair was ill; the victim asked us not to delay."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Meeting recorded")
    expect(page.locator(".app-inquorate")).to_have_text("Inquorate")
    assert_accessible(page)
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.inquorate


def test_a_shared_recommendation_naming_the_perpetrator_is_warned_edited_then_the_letter_issues(page, demo):
    from casereview.panels import services
    from tests.panels.helpers import full_panel, hold, schedule
    from tests.reviews.helpers import add_perpetrator, in_review_application

    application = in_review_application(demo)
    add_perpetrator(application)  # Darren Kettering
    meeting = hold(demo, full_panel(demo, schedule(demo, application)))
    sign_in(page, "wn-spoc")
    page.goto(f"/panels/{meeting.pk}/recommendations/add/")
    page.get_by_label("Which body is the recommendation made to?").select_option(
        label="Northamptonshire Partnership Homes"
    )
    page.get_by_label("Recommendation", exact=True).fill("Serve a notice on Darren Kettering.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the recommendation").click()
    warning = page.locator(".app-perpetrator-warning")
    expect(warning).to_contain_text("names an alleged perpetrator")
    expect(
        page.get_by_text("The name of alleged perpetrator 1 appears in the recommendation")
    ).to_be_visible()
    assert_accessible(page)
    assert meeting.recommendations.count() == 0
    page.get_by_label(re.compile("Save it as written")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add the recommendation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Recommendation to")

    spoc = demo.user("wn-spoc")
    services.action_plan_finalise(meeting=meeting, actor=spoc, without_consultation_reason="Victim away.")
    page.goto(f"/panels/{meeting.pk}/outcome/")
    page.get_by_label("What to tell the victim about the outcome").fill("The agencies agreed a joint plan.")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the letter").click()
    refusal = page.locator(".app-redaction-refusal")
    expect(refusal).to_contain_text("This letter cannot be issued")
    expect(refusal).to_contain_text("appears in the recommendation to Northamptonshire Partnership Homes")
    assert_accessible(page)
    with page.expect_navigation():
        refusal.get_by_role("link", name=re.compile("Change or stop sharing the recommendation")).click()
    text = page.get_by_label("Recommendation", exact=True)
    expect(text).to_have_value("Serve a notice on Darren Kettering.")
    text.fill("Serve a notice on the tenant of the flat below.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the recommendation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")

    page.goto(f"/panels/{meeting.pk}/outcome/")
    page.get_by_label("What to tell the victim about the outcome").fill("The agencies agreed a joint plan.")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the letter").click()
    expect(page.locator(".app-letter-preview")).to_contain_text("the tenant of the flat below")
    with page.expect_navigation():
        page.get_by_role("button", name="Issue the outcome letter").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Outcome letter issued")
    assert application.letters.filter(kind="outcome").count() == 1
