"""The community safety manager's journey in Chromium, with axe-core (WCAG 2.2 AA) on every page:
find the application with its due dates, open it, acknowledge it, run the threshold, read the
engine's reasons, decide."""

import io
import re
from pathlib import Path

import pytest

from casereview.applications import demo as applications_demo
from casereview.applications.models import Application, Status
from tests.conftest import assert_accessible, sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_csm_acknowledges_and_decides_with_the_engines_reasons_on_screen(page, demo):
    applications_demo.load(io.StringIO())
    case = Application.objects.get(
        partnership__slug="west-northamptonshire", victim__full_name="Daniel Price"
    )

    sign_in(page, "wn-csm")
    page.goto("/cases/")
    assert page.get_by_role("heading", level=1).inner_text() == "Cases"
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=case.reference)
    assert "Acknowledge the application" in row.inner_text()  # its next due date, with what it is
    assert re.search(r"\d{1,2} \w{3} \d{4}", row.inner_text())
    overdue_count = page.get_by_role("link", name=re.compile("with an overdue deadline"))
    assert overdue_count.is_visible()

    page.get_by_label("Search").fill("Daniel Price")
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("link", name=case.reference).click()
    assert case.reference in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Acknowledge").click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm acknowledgement").click()
    assert "acknowledged" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Run the threshold and decide").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The threshold decision"
    evidence = page.locator("#evidence").inner_text()
    assert "too late" in evidence  # the eggs, reported 45 days after
    assert "not a relevant body" in evidence or "not one of" in evidence or "relevant bod" in evidence
    assert "Threshold met" in page.locator(".app-result").inner_text()
    assert_accessible(page)

    page.get_by_label("Accept: a review will take place").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your decision"
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the decision").click()
    assert "Accepted for review" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)

    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    decision = case.decisions.get()
    assert decision.decided_by.username == "wn-csm"
    assert decision.engine_outcome == "met"

    # The decision letter, from the case's Letters page (the letters app's section, ADR 0093),
    # reached by the case's sub-navigation.
    case_navigation = page.get_by_role("navigation", name=f"Case {case.reference}")
    with page.expect_navigation():
        case_navigation.get_by_role("link", name="Letters").click()
    assert page.get_by_role("heading", level=2, name="Letters").is_visible()
    assert case_navigation.get_by_role("link", name="Letters").get_attribute("aria-current") == "page"
    assert_accessible(page)  # a section's page
    with page.expect_navigation():
        page.locator("#section-letters").get_by_role("link", name=re.compile("Write a letter")).click()
    assert_accessible(page)
    page.get_by_label("Accepted for review").check()
    page.get_by_role("button", name="Preview the letter").click()
    assert "Preview: Accepted for review letter" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Issue letter").click()
    assert_accessible(page)
    page.get_by_role("button", name="Issue letter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Accepted for review letter"
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the PDF").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF-")

    # Back on the case page the threshold decision clock is met by the letter.
    page.goto(f"/cases/{case.reference}/")
    deadlines = page.locator("#deadlines + table").inner_text()
    assert re.search(r"Send the threshold decision.*Done on time", deadlines, re.S)
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_senior_manager_records_a_phone_application_and_accepts_at_discretion(page, demo):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    received = today - dt.timedelta(days=3)
    happened = today - dt.timedelta(days=20)
    sign_in(page, "wn-senior")
    page.goto("/cases/")
    assert "There are no cases yet" in page.locator("main").inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Record an application").click()
    assert_accessible(page)

    page.get_by_role("button", name="Record the application").click()  # nothing filled in
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert "Enter the victim's full name" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page)

    page.get_by_label("Phone call").check()
    page.locator("#id_received_on_day").fill(str(received.day))
    page.locator("#id_received_on_month").fill(str(received.month))
    page.locator("#id_received_on_year").fill(str(received.year))
    page.get_by_label("Victim's full name").fill("Edith Grant")
    page.get_by_label("Postcode", exact=True).fill("NN3 2AB")
    page.get_by_label("What is happening").fill("Stones thrown at the windows most nights.")
    page.get_by_role("button", name="Record the application").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add an incident"
    assert_accessible(page)

    page.locator("#id_occurred_on_day").fill(str(happened.day))
    page.locator("#id_occurred_on_month").fill(str(happened.month))
    page.locator("#id_occurred_on_year").fill(str(happened.year))
    page.get_by_label("What happened").fill("A stone broke the kitchen window.")
    page.get_by_role("button", name="Add the incident").click()
    assert "reported to" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    page.get_by_label("Who was it reported to?").select_option(label="Northamptonshire Police (Police)")
    page.locator("#id_reported_on_day").fill(str(happened.day))
    page.locator("#id_reported_on_month").fill(str(happened.month))
    page.locator("#id_reported_on_year").fill(str(happened.year))
    page.get_by_role("button", name="Add the report").click()
    # Back on the case's incidents page (ADR 0093), then to its summary by the sub-navigation.
    assert "Northamptonshire Police" in page.locator("#incidents ~ .govuk-summary-card").first.inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("navigation", name=re.compile("^Case ")).get_by_role("link", name="Summary").click()

    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("button", name="Confirm acknowledgement").click()
    page.get_by_role("button", name="Run the threshold and decide").click()
    assert "Threshold not met" in page.locator(".app-result").inner_text()
    assert "1 qualifying complaint" in page.locator(".app-result").inner_text()
    assert_accessible(page)

    page.get_by_label("Accept at the manager's discretion although the threshold is not met").check()
    page.get_by_role("button", name="Continue").click()
    assert "Enter your reasons" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Accept at the manager's discretion although the threshold is not met").check()
    page.get_by_label("Your reasons").fill("Elderly victim living alone; the attacks are escalating.")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your decision"
    page.get_by_role("button", name="Confirm the decision").click()
    assert "Accepted for review" in page.get_by_role("heading", level=1).inner_text()
    assert "Accepted at the manager's discretion" in page.locator("main").inner_text()

    case = Application.objects.get(victim__full_name="Edith Grant")
    assert case.status == Status.ACCEPTED and case.channel == "phone" and case.received_on == received
    decision = case.decisions.get()
    assert decision.discretionary and decision.reasons.startswith("Elderly victim")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_immediate_danger_is_a_banner_on_the_case_and_a_tag_in_the_list(page, demo):
    from playwright.sync_api import expect

    from casereview.apply.services import online_application_submit
    from casereview.notifications.models import Notice
    from tests.apply.test_services import TODAY, answers_for

    case = online_application_submit(answers=answers_for(None, in_danger="yes"), token="danger", today=TODAY)
    calm = online_application_submit(answers=answers_for(None), token="calm", today=TODAY)
    assert Notice.objects.filter(case=case, recipient__username="wn-csm").exists()

    sign_in(page, "wn-csm")
    page.goto("/cases/")
    row = page.get_by_role("row").filter(has_text=case.reference)
    expect(row.locator(".app-danger-tag")).to_have_text("Immediate danger reported")
    expect(page.get_by_role("row").filter(has_text=calm.reference).locator(".app-danger-tag")).to_have_count(
        0
    )
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name=case.reference).click()
    banner = page.get_by_role("region", name="Important: safety")
    expect(banner).to_contain_text("Someone was said to be in immediate danger")
    # On top: the banner comes before the page's heading.
    assert page.evaluate(
        "() => !!(document.querySelector('.app-danger-banner').compareDocumentPosition("
        "document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert_accessible(page)
