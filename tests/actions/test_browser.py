"""An action's owner marks it done in Chromium, through the check-and-confirm page, with axe-core
checking every page on the way."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from casereview.actions.models import Action, ActionStatus
from tests.actions.helpers import action_for, case_with_spoc
from tests.conftest import assert_accessible, sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_owner_marks_an_overdue_action_done(page, demo, settings):
    settings.LOGIN_REDIRECT_URL = "/actions/"  # independent of where the case list lives
    application = case_with_spoc(demo)
    today = timezone.localdate()
    action = action_for(
        application,
        demo.user("wn-police"),
        due_on=today - dt.timedelta(days=10),
        description="Patrol the alley behind the shops every night",
    )
    sign_in(page, "wn-police")
    page.goto("/actions/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("your agency's actions")
    assert "10 days overdue" in page.inner_text("main")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Patrol the alley behind the shops every night").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as done").click()

    # Submitting without saying what was done shows the error summary and the field's error.
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").inner_text().count("Enter what was done") == 1
    assert_accessible(page)

    page.get_by_label("What was done").fill("Nightly patrols for two weeks; no further reports.")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check before you mark the action as done"
    assert "cannot be undone" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("button", name="Confirm: mark as done").click()
    assert "Action marked as done." in page.inner_text("main")
    assert_accessible(page)

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_on == today
    assert action.status_note == "Nightly patrols for two weeks; no further reports."
    assert Action.objects.filter(status=ActionStatus.OPEN).count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_spoc_follows_an_escalation_notice_and_records_a_delay(page, demo, settings):
    import io

    from django.core.management import call_command

    settings.LOGIN_REDIRECT_URL = "/notices/"
    application = case_with_spoc(demo)
    today = timezone.localdate()
    overdue_since = today - dt.timedelta(days=30)
    action = action_for(
        application, demo.user("wn-housing"), due_on=overdue_since, description="Serve a warning"
    )
    call_command("sweep", stdout=io.StringIO())  # steps 1 and 2 reached: only step 2 is sent

    sign_in(page, "wn-spoc")
    assert page.get_by_role("heading", level=1).inner_text() == "Notices"
    assert "You have 2 unread notices." in page.inner_text("main")  # step 2 and a clock reminder
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("escalated, Step 2: the owner's line manager")).click()
    assert page.url.endswith(f"/actions/{action.pk}/")
    assert "Step 2: the owner's line manager" in page.inner_text("main")
    assert "Passed over: a later step was sent" in page.inner_text("main")
    page.get_by_role("button", name="Record a delay").click()

    page.get_by_role("button", name="Save the delay").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter why the action is delayed" in summary and "Enter the new date" in summary
    assert_accessible(page)

    revised = today + dt.timedelta(days=14)
    page.get_by_label("Why is the action delayed?").fill("The tenant is in hospital until next week.")
    page.get_by_label("Day").fill(str(revised.day))
    page.get_by_label("Month").fill(str(revised.month))
    page.get_by_label("Year").fill(str(revised.year))
    page.get_by_role("button", name="Save the delay").click()
    assert f"now due {revised.day} " in page.inner_text("main")
    assert_accessible(page)
    action.refresh_from_db()
    assert action.status == ActionStatus.DELAYED and action.revised_due_on == revised
