"""In Chromium, with axe-core: a police officer signs in through their force's identity provider
(the local provider the tests start), is refused while their group is not mapped, then — mapped
in both partnerships — chooses the partnership to work in and changes it from the header."""

import pytest

from casereview.accounts.models import IdentityProvider, ProviderRoleMapping, Role
from tests.conftest import assert_accessible
from tests.oidc_provider import LocalOIDCProvider


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_sign_in_refusal_chooser_and_switch(page, demo):
    wn, islington = demo.partnership("west-northamptonshire"), demo.partnership("islington")
    wn_police, is_police = demo.agency("west-northamptonshire", "police"), demo.agency("islington", "police")
    is_police.organisation = wn_police.organisation  # one force working in both partnerships
    is_police.save()
    with LocalOIDCProvider(client_id="casereview", client_secret="provider-secret") as local:
        provider = IdentityProvider.objects.create(
            organisation=wn_police.organisation,
            name="Northamptonshire Police",
            issuer=local.issuer,
            client_id="casereview",
            client_secret="provider-secret",
            accepted_second_factor="mfa",
            contact="the force's IT service desk",
        )
        for partnership, agency in ((wn, wn_police), (islington, is_police)):
            ProviderRoleMapping.objects.create(
                provider=provider,
                group_id="g-asb",
                partnership=partnership,
                agency=agency,
                role=Role.AGENCY_OFFICER,
            )
        local.person = {"sub": "p-1", "email": "pat@police.example", "groups": ["g-other"], "amr": ["mfa"]}
        page.goto("/account/sign-in/")
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in with Northamptonshire Police").click()
        assert "You cannot use this service" in page.inner_text("h1")
        assert "the force's IT service desk" in page.inner_text("main")
        assert_accessible(page)

        local.person = {**local.person, "groups": ["g-asb"]}
        page.goto("/account/sign-in/")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in with Northamptonshire Police").click()
        page.wait_for_url("**/account/partnership/**")
        assert page.inner_text("h1") == "Choose the partnership you are working in"
        assert_accessible(page)
        page.get_by_label("Islington Council").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        assert "Working in Islington Council" in page.inner_text(".govuk-phase-banner")
        with page.expect_navigation():
            page.get_by_role("link", name="change partnership").click()
        page.get_by_label("West Northamptonshire Council").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        assert "Working in West Northamptonshire Council" in page.inner_text(".govuk-phase-banner")
