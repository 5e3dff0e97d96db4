"""Issue 16's routes into a panel in Chromium, with axe-core on every page (ADR 0077): the
community safety team refers a hotspot as an Enhanced Partnership Response from the hotspots page,
and a triaged repeat caller to the Repeat Callers panel, whose triage then links to the case; a
housing officer refers a household to Community MARAC (ADR 0076), first forgetting the second
member and being told which field."""

from __future__ import annotations

import pytest

from casereview.referrals.models import Referral
from tests.conftest import assert_accessible, sign_in
from tests.referrals.test_arrivals_and_subjects import _hotspot, _repeat_caller

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hotspot_and_a_repeat_caller_arrive_at_their_panels(page, demo):
    islington = demo.partnership("islington")
    _hotspot(islington)
    report, person, triage = _repeat_caller(demo, islington)

    sign_in(page, "is-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto("/reports/hotspots/")
    page.get_by_role("link", name="Refer as an Enhanced Partnership Response at 12 Example Street").click()
    assert "8 reports at 12 Example Street" in page.locator(".govuk-inset-text").inner_text()
    assert page.get_by_label("Or the address").input_value() == "12 Example Street"
    assert_accessible(page)
    page.get_by_label("Not sought: a lawful basis without consent applies").check()
    page.get_by_label("Crime and Disorder Act 1998").check()
    page.get_by_label("Why without consent").fill("A place: shared to prevent crime and disorder.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the referral").click()
    epr = Referral.objects.get(panel_kind="enhanced-partnership-response")
    main = page.locator("main").inner_text()
    assert f"Case {epr.case.reference}" in main and "Hotspot: met — 8 reports at 12 Example Street" in main
    assert_accessible(page)

    page.goto("/reports/repeat-callers/")
    page.get_by_role("link", name="Refer to the Repeat Callers panel").click()
    assert page.get_by_label("The person's profile number").input_value() == str(person.pk)
    assert_accessible(page)
    page.get_by_label("Social isolation").check()
    page.get_by_label("Is the caller vulnerable").check()
    page.get_by_label("Have reports fallen between services").check()
    page.get_by_label("The person consented to the referral").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the referral").click()
    caller_case = Referral.objects.get(panel_kind="repeat-callers").case
    assert "A repeat caller's triage" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"/reports/{report.pk}/triage/")
    page.get_by_role("link", name=f"Referred to Repeat Callers: case {caller_case.reference}").click()
    page.wait_for_url(lambda url: "/referrals/" in url)
    assert_accessible(page)


def test_a_household_referred_to_cmarac(page, demo):
    sign_in(page, "is-housing")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto("/referrals/cmarac/new/")
    page.get_by_label("A household: several people at one address").check()
    page.get_by_label("And the full names of members without a profile").fill("Ada Household")
    page.get_by_label("Or the address").fill("Flat 4, 20 Holloway Road")
    page.get_by_label("Mental health").check()
    page.get_by_label("Is the person at risk of harm from others").check()
    page.get_by_label("Has the anti-social behaviour increased").check()
    page.get_by_label("How many reports of anti-social behaviour involve them?").fill("3")
    page.get_by_label("Why are you referring them?").fill("A family targeted by neighbours.")
    page.get_by_label("The person consented to the referral").check()
    page.get_by_role("button", name="Send the referral").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "A household is two or more people at one address" in summary
    assert_accessible(page)
    page.get_by_label("And the full names of members without a profile").fill("Ada Household\nBen Household")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the referral").click()
    main = page.locator("main").inner_text()
    assert "Ada Household" in main and "Ben Household" in main
    assert "Vulnerability: met — the referral records mental health in the household." in main
    assert_accessible(page)
