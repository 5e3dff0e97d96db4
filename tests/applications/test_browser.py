"""The community safety manager's journey in Chromium, with axe-core (WCAG 2.2 AA) on every page:
find the application with its due dates, open it, acknowledge it, run the threshold, read the
engine's reasons, decide."""

import io
import re

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
