"""The review in Chromium, from an accepted application to the panel's agreed plan, with axe-core
on each page; the agency officer's view (their own request and nothing else)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from casereview.applications.models import Status
from casereview.reviews.risk import QUESTION_CODES
from tests.conftest import assert_accessible
from tests.conftest import sign_in as sign_in_with_second_factor
from tests.reviews.helpers import accepted_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def sign_in(page, username, password="demo-password-2026"):
    """Sign in through the real sign-in page (password and second factor), then open the reviews list."""
    sign_in_with_second_factor(page, username, password)
    page.goto("/reviews/")
    page.wait_for_url("**/reviews/")


def sign_out(page):
    page.get_by_role("button", name=re.compile("Sign out")).click()


def test_spoc_contact_risk_and_an_agency_response(page, demo):
    application = accepted_application(demo)
    reference = application.reference

    # The community safety manager appoints the SPOC; the system warns of prior involvement.
    sign_in(page, "wn-csm")
    page.goto(f"/reviews/cases/{reference}/")
    assert_accessible(page)
    page.get_by_role("link", name="Appoint the SPOC").click()
    expect(page.get_by_text("may have had prior involvement").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Sam Patel")).check()
    page.get_by_role("button", name="Appoint").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "Give the reason" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label(re.compile("why should they still be the SPOC")).fill(
        "A different team from the ASB officers."
    )
    page.get_by_role("button", name="Appoint").click()
    assert "is now the SPOC" in page.locator(".govuk-notification-banner").inner_text()
    sign_out(page)

    # The SPOC contacts the victim, assesses the risk and asks the agencies.
    sign_in(page, "wn-spoc")
    page.goto(f"/reviews/cases/{reference}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Record an attempt to contact the victim").click()
    assert_accessible(page)
    page.get_by_label("Phone call").check()
    page.get_by_label("No answer").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Complete the contact form").click()
    page.get_by_label("Phone call").check()
    page.get_by_label("What has been happening, in the victim's words").fill("Music every night until 3am.")
    page.get_by_label("What the victim would like to happen").fill("To sleep.")
    page.get_by_label("Write a victim impact statement").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    assert "Contact form saved" in page.locator(".govuk-notification-banner").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="Complete the risk assessment").click()
    assert_accessible(page)
    for code in QUESTION_CODES:
        page.locator(
            f"input[name=q_{code}][value={'yes' if code in ('ongoing', 'isolated') else 'no'}]"
        ).check()
    page.get_by_role("button", name="Save the assessment").click()
    assert "standard risk" in page.locator(".govuk-notification-banner").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="Ask agencies for information").click()
    assert_accessible(page)
    page.get_by_label("Northamptonshire Police").check()
    page.get_by_label("NHS Northamptonshire ICB").check()
    page.get_by_role("button", name="Save").click()
    assert "sent to 2 agencies" in page.locator(".govuk-notification-banner").inner_text()
    expect(page.get_by_role("cell", name="NHS Northamptonshire ICB")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The health body's officer sees their own request and nothing else, and responds.
    sign_in(page, "wn-health")
    page.goto("/reviews/requests/")
    assert_accessible(page)
    table = page.locator("table").inner_text()
    assert "NHS Northamptonshire ICB" in table and "Northamptonshire Police" not in table
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(reference)).click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the response").click()
    assert "Enter the reports your agency received" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Reports your agency received about this behaviour").fill("None.")
    page.get_by_label("Actions your agency took").fill("GP aware of sleep problems.")
    page.get_by_label("Your agency's current involvement").fill("None.")
    page.get_by_label("Crime and Disorder Act 1998, section 115").check()
    page.get_by_role("button", name="Send the response").click()
    assert "Response sent" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"/reviews/cases/{reference}/")
    assert "Vulnerability risk assessment" not in page.content()
    assert "Northamptonshire Police" not in page.locator("main").inner_text()
    other = accepted_application(demo)
    response = page.goto(f"/reviews/cases/{other.reference}/")
    assert response.status == 404

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.information_requests.filter(status="answered").count() == 1


def test_panel_quorum_warning_record_and_plan(page, demo):
    from tests.panels.helpers import FUTURE
    from tests.reviews.helpers import in_review_application

    application = in_review_application(demo)
    reference = application.reference
    sign_in(page, "wn-spoc")
    page.goto(f"/panels/cases/{reference}/")
    assert_accessible(page)
    page.get_by_role("link", name="Schedule the panel meeting").click()
    fill_date(page, "meeting_on", FUTURE)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Where (room and address)").fill("One Angel Square, Northampton")
    page.get_by_role("button", name="Schedule").click()
    warning = page.locator(".app-quorum-problems").inner_text()
    assert "an independent chair" in warning and "a minute taker" in warning
    assert_accessible(page)

    def invite(role, person):
        page.get_by_role("link", name="Invite a member").click()
        page.get_by_label(role).check()
        page.get_by_label("Member of staff", exact=True).select_option(label=person)
        page.get_by_role("button", name="Add").click()

    invite("Agency representative", "Chris Morgan (West Northamptonshire Council)")
    invite("Agency representative", "Pat Okafor (Northamptonshire Police)")
    invite("Agency representative", "Hannah Lewis (Northamptonshire Partnership Homes)")
    invite("Agency representative", "Harpreet Singh (NHS Northamptonshire ICB)")
    invite("Independent chair", "Jordan Blake (Victim Support)")
    assert "a minute taker" in page.locator(".app-quorum-problems").inner_text()
    page.get_by_role("link", name="Invite a member").click()
    page.get_by_label("Minute taker").check()
    page.get_by_label("Name (if not a member of staff)").fill("Jess Cooper")
    with page.expect_navigation():
        page.get_by_role("button", name="Add").click()
    assert page.locator(".app-quorum-problems").count() == 0
    expect(page.get_by_text("Quorate").first).to_be_visible()
    assert_accessible(page)

    # The meeting happens (moved to today for the test) and is recorded.
    application.panel_meetings.update(meeting_on=dt.date.today())
    page.get_by_role("link", name="Record the meeting").click()
    fill_date(page, "held_on", dt.date.today())
    for box in page.locator("input[name=attended]").all():
        box.check()
    page.get_by_label("A written victim impact statement was read").check()
    page.get_by_label("Victim impact statement (if one was read)").fill("I cannot sleep.")
    page.get_by_label("Minutes").fill("The panel heard from each agency.")
    page.get_by_label("What the panel decided").fill("A joint visit.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the record").click()
    assert "Meeting recorded" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Which body is the recommendation made to?").select_option(
        label="Northamptonshire Partnership Homes"
    )
    page.get_by_label("Recommendation", exact=True).fill("Agree a tenancy management plan.")
    page.get_by_role("button", name="Add the recommendation").click()
    page.get_by_role("link", name="Add an action to the plan").click()
    page.get_by_label("What will be done").fill("Joint visit with the police.")
    page.get_by_label("Who owns the action").select_option(
        label="Hannah Lewis (Northamptonshire Partnership Homes)"
    )
    fill_date(page, "due_on", dt.date.today() + dt.timedelta(days=14))
    assert_accessible(page)
    page.get_by_role("button", name="Add the action").click()

    page.get_by_role("link", name="Make the plan final").click()
    assert "has not been consulted" in page.locator(".govuk-warning-text").inner_text()
    page.get_by_role("button", name="Make the plan final").click()
    assert "Consult them first" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("link", name="Consult the victim on the plan").click()
    fill_date(page, "consulted_on", dt.date.today())
    page.get_by_label("Phone call").check()
    page.get_by_label("Agrees with the plan", exact=True).check()
    page.get_by_role("button", name="Save the victim's view").click()
    page.get_by_role("link", name="Make the plan final").click()
    page.get_by_role("button", name="Make the plan final").click()
    assert "are final" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == Status.PANEL_HELD
