"""Issue 16's journey in Chromium, with axe-core (WCAG 2.2 AA) on every page: a housing officer
refers a tenant to Community MARAC; the chair builds the agenda, records attendance, the
discussion and the risk, sets three actions with owners, holds the meeting and circulates the
minutes; a police officer not on the case cannot see it; an overdue action escalates (the sweep);
the panel agrees to close at its next meeting, the case closes with the risk reduced, and the
yearly figures move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.actions.services import actions_escalate
from casereview.referrals.models import Referral
from tests.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, name, day: dt.date):
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def _figures_row(page) -> str:
    page.goto("/referrals/figures/")
    # The first table (per panel); the second counts the year's referrals by how they arrived.
    return page.locator("table").first.get_by_role("row", name="Community MARAC").inner_text()


def test_refer_hear_act_escalate_and_close_a_cmarac_case(page, demo):
    today = timezone.localdate()
    islington = demo.partnership("islington")
    agencies = {a.kind: a for a in islington.agencies.order_by("id")}

    # The housing officer refers a tenant.
    sign_in(page, "is-housing")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto("/referrals/cmarac/new/")
    page.get_by_label("Or their full name").fill("Jo Bloggs")
    page.get_by_label("Mental health").check()
    page.get_by_label("Is the person at risk of harm from others").check()
    page.get_by_label("Has the anti-social behaviour increased").check()
    page.get_by_label("How many reports of anti-social behaviour involve them?").fill("3")
    page.get_by_label("Why are you referring them?").fill("Door kicked in twice; self-neglect.")
    page.get_by_label("The person consented to the referral").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the referral").click()
    referral = Referral.objects.get()
    reference = referral.case.reference
    main = page.locator("main").inner_text()
    assert f"Case {reference}" in main and "Referred: not yet heard" in main
    assert_accessible(page)

    # The chair: the figures before, then the agenda.
    sign_in(page, "is-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    before = _figures_row(page)
    assert_accessible(page)
    page.goto("/referrals/cmarac/meetings/")
    assert_accessible(page)
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_role("button", name="Schedule and build the agenda").click()
    assert "Enter the date of the meeting" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    _date(page, "meeting_on", today)
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule and build the agenda").click()
    assert reference in page.get_by_role("table").inner_text()
    assert "New referral" in page.get_by_role("table").inner_text()
    assert_accessible(page)
    meeting_url = page.url

    page.get_by_role("link", name="Record attendance and apologies").click()
    for kind in ("council", "housing"):
        page.locator(f"#id_agency_{agencies[kind].pk}").check()
    page.locator(f"#id_agency_{agencies['health'].pk}_1").check()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance").click()
    assert "apologies" in page.locator("main").inner_text()

    page.get_by_role("link", name=f"Record the discussion of {reference}").click()
    assert_accessible(page)
    page.get_by_label("What the panel discussed and decided").fill("Support plan agreed; tenancy visit.")
    page.get_by_label("Is the person at risk of harm from others").check()
    page.get_by_label("Has the anti-social behaviour increased").check()
    _date(page, "next_review_on", today + dt.timedelta(days=14))
    with page.expect_navigation():
        page.get_by_role("button", name="Save the discussion").click()
    assert "is recorded" in page.locator("body").inner_text()
    for description, kind in (
        ("Tenancy sustainment visit", "housing"),
        ("Mental health assessment", "health"),
        ("Safety plan with the tenant", "council"),
    ):
        page.get_by_label("What will be done").fill(description)
        page.get_by_label("The agency that owns it").select_option(label=agencies[kind].name)
        _date(page, "due_on", today + dt.timedelta(days=7))
        with page.expect_navigation():
            page.get_by_role("button", name="Add the action").click()
    assert referral.case.actions.count() == 3
    assert_accessible(page)

    page.goto(meeting_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Record the meeting as held").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Circulate the minutes").click()
    assert "each told of its own cases only" in page.locator("body").inner_text()
    page.get_by_role("link", name="read the minutes").click()
    assert "Support plan agreed" in page.locator("main").inner_text()
    assert_accessible(page)

    # A police officer, whose agency is not on the case, cannot see it.
    sign_in(page, "is-police")
    page.wait_for_url(lambda url: "sign-in" not in url)
    response = page.goto(f"/referrals/{referral.pk}/")
    assert response.status == 404
    # Nothing in flight on the live server (on SQLite it shares this thread's connection) before
    # the test calls the services itself.
    page.goto("about:blank")

    # The sweep: a week after the due date, the actions escalate by the one ladder.
    assert actions_escalate(today=today + dt.timedelta(days=14))["sent"] == 3

    # The next meeting agrees to close; the chair closes the case.
    sign_in(page, "is-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"/referrals/{referral.pk}/")
    main = page.locator("main").inner_text()
    assert "overdue: escalated" in main
    assert "A case closes only with a reason and the panel's agreement" in main
    assert_accessible(page)
    page.goto("/referrals/cmarac/meetings/new/")
    _date(page, "meeting_on", today + dt.timedelta(days=14))
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule and build the agenda").click()
    assert "Review due" in page.get_by_role("table").inner_text()
    second_url = page.url
    page.get_by_role("link", name="Record attendance and apologies").click()
    page.locator(f"#id_agency_{agencies['council'].pk}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("link", name=f"Record the discussion of {reference}").click()
    page.get_by_label("What the panel discussed and decided").fill("Actions done; the risk is reduced.")
    page.get_by_label("The panel agrees to close the case").check()
    page.get_by_label("The risk is reduced").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the discussion").click()
    page.goto(second_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Record the meeting as held").click()
    page.goto(f"/referrals/{referral.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Close the case").click()
    main = page.locator("main").inner_text()
    assert f"Case {reference} is closed." in page.locator("body").inner_text()
    assert "Closed with the panel's agreement" in main and "the risk is reduced" in main
    assert_accessible(page)

    after = _figures_row(page)
    assert before.split() == ["Community", "MARAC", "0", "0", "0", "0", "1"]
    assert after.split() == ["Community", "MARAC", "1", "3", "1", "1", "0"]
    arrived = page.locator("table").nth(1).get_by_role("row", name="Community MARAC").inner_text()
    assert arrived.split() == ["Community", "MARAC", "1", "1", "0", "0"]  # one, on the form
    assert_accessible(page)
