"""An action's owner marks it done in Chromium, through the check-and-confirm page, with axe-core
checking every page on the way."""

import datetime as dt

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
