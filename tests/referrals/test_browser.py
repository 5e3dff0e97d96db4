"""The Community MARAC referral form in Chromium, with axe-core (WCAG 2.2 AA): a housing officer's
referral short of a criterion is explained and nothing is stored; with it, the referral is made."""

from __future__ import annotations

import pytest

from casereview.referrals.models import Referral
from tests.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_housing_officer_refers_a_tenant_to_cmarac(page, demo):
    sign_in(page, "is-housing")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto("/referrals/cmarac/new/")
    assert_accessible(page)
    page.get_by_label("Or their full name").fill("Jo Bloggs")
    page.get_by_label("Mental health").check()
    page.get_by_label("Why are you referring them?").fill("Door kicked in twice; self-neglect.")
    page.get_by_label("The person consented to the referral").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the referral").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Risk: not met" in summary and "Nothing has been saved" in summary
    assert not Referral.objects.exists()
    assert_accessible(page)
    page.get_by_label("Is the person at risk of harm from others").check()
    page.get_by_label("Has the anti-social behaviour increased").check()
    page.get_by_label("How many reports of anti-social behaviour involve them?").fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the referral").click()
    referral = Referral.objects.get()
    assert page.url.endswith(f"/referrals/{referral.pk}/")
    assert "Risk: met — the risk is medium" in page.locator("main").inner_text()
    assert_accessible(page)
