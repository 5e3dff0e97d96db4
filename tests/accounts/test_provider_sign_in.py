"""Staff sign-in through the organisation's OpenID Connect provider (issue 18, ADR 0042), against
a real local provider the tests start (tests/oidc_provider.py): real HTTP, real RS256 ID tokens
verified against its published keys."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from casereview.accounts.models import (
    ExternalIdentity,
    IdentityProvider,
    Membership,
    ProviderRoleMapping,
    Role,
    RoleGrant,
    User,
)
from casereview.applications.selectors import applications_visible_to
from casereview.audit.models import AccessEvent
from casereview.core import provider_sign_in as core
from tests.factories import make_application
from tests.oidc_provider import LocalOIDCProvider

CONTACT = "the Northamptonshire Police IT service desk, 01604 700 700"


@pytest.fixture
def local_provider():
    with LocalOIDCProvider(client_id="casereview-wn", client_secret="a-long-provider-secret") as provider:
        yield provider


@pytest.fixture
def police_provider(demo, local_provider):
    """Northamptonshire Police signs its staff in through its own provider: its ASB officers'
    group is an agency officer in West Northamptonshire, its SPOC group a SPOC there, and one
    analyst's address (no groups) an analyst."""
    wn = demo.partnership("west-northamptonshire")
    police = demo.agency("west-northamptonshire", "police")
    provider = IdentityProvider.objects.create(
        organisation=police.organisation,
        name="Northamptonshire Police",
        issuer=local_provider.issuer,
        client_id="casereview-wn",
        client_secret="a-long-provider-secret",
        accepted_second_factor="mfa",
        contact=CONTACT,
    )
    for group, role in (("9f1c-asb-officers", Role.AGENCY_OFFICER), ("4b2e-asb-spoc", Role.SPOC)):
        ProviderRoleMapping.objects.create(
            provider=provider, group_id=group, partnership=wn, agency=police, role=role
        )
    ProviderRoleMapping.objects.create(
        provider=provider,
        email="kim.analyst@police.example",
        partnership=wn,
        agency=police,
        role=Role.ANALYST,
    )
    return provider


def person(**claims):
    return {
        "sub": "00u-7781",
        "email": "pat.constable@police.example",
        "given_name": "Pat",
        "family_name": "Constable",
        **claims,
    }


def sign_in_through(client, provider, local_provider, claims, next_url="/cases/"):
    """Click "Sign in with …", sign in at the provider (as `claims`), come back."""
    local_provider.person = claims
    start = client.get(reverse("accounts:provider_start", args=[provider.pk]), {"next": next_url})
    assert start.status_code == 302 and start["Location"].startswith(f"{local_provider.issuer}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def _grants(user):
    return set(RoleGrant.objects.filter(user=user).values_list("partnership__slug", "role"))


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_provider(police_provider):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Sign in with Northamptonshire Police" in page


@pytest.mark.django_db
def test_sign_in_through_the_provider_lands_with_the_mapped_role(demo, police_provider, local_provider):
    case = make_application(demo.partnership("west-northamptonshire"), victim_name="Provider Case")
    client = Client()
    response = sign_in_through(
        client,
        police_provider,
        local_provider,
        person(groups=["9f1c-asb-officers", "0000-canteen"], amr=["pwd", "mfa"]),
    )
    assert response.status_code == 302 and response["Location"] == "/cases/"
    listed = client.get("/cases/")
    assert listed.status_code == 200 and case.reference in listed.content.decode()
    user = User.objects.get(external_identities__subject="00u-7781")
    assert _grants(user) == {("west-northamptonshire", Role.AGENCY_OFFICER)}
    assert Membership.objects.get(user=user).agency == demo.agency("west-northamptonshire", "police")
    assert not user.has_usable_password()
    assert case in applications_visible_to(User.objects.get(pk=user.pk))
    assert AccessEvent.objects.filter(actor_username=user.username, action="sign_in").exists()
    assert local_provider.token_requests == 1


@pytest.mark.django_db
def test_a_group_removed_at_the_provider_loses_its_role_at_the_next_sign_in(police_provider, local_provider):
    client = Client()
    both = person(groups=["9f1c-asb-officers", "4b2e-asb-spoc"], amr=["mfa"])
    sign_in_through(client, police_provider, local_provider, both)
    user = User.objects.get(external_identities__subject="00u-7781")
    assert _grants(user) == {
        ("west-northamptonshire", Role.AGENCY_OFFICER),
        ("west-northamptonshire", Role.SPOC),
    }
    client.post(reverse("accounts:logout"))

    sign_in_through(
        client, police_provider, local_provider, person(groups=["9f1c-asb-officers"], amr=["mfa"])
    )
    assert _grants(user) == {("west-northamptonshire", Role.AGENCY_OFFICER)}
    client.post(reverse("accounts:logout"))

    # A leaver: no group of the service left. Refused, and nothing is left to them here.
    refused = sign_in_through(client, police_provider, local_provider, person(groups=[], amr=["mfa"]))
    assert refused.status_code == 403 and CONTACT in refused.content.decode()
    assert _grants(user) == set() and not Membership.objects.filter(user=user).exists()
    assert client.get("/cases/").status_code == 302  # not signed in
    assert ExternalIdentity.objects.filter(user=user).count() == 1  # the same person, one user


@pytest.mark.django_db
def test_amr_without_mfa_still_asks_for_our_authenticator_app(police_provider, local_provider):
    client = Client()
    response = sign_in_through(
        client, police_provider, local_provider, person(groups=["9f1c-asb-officers"], amr=["pwd"])
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    gated = client.get("/cases/")
    assert gated.status_code == 302 and gated["Location"].startswith("/account/two-factor/")
    # An acr the organisation does not accept is no better than none.
    client = Client()
    response = sign_in_through(
        client,
        police_provider,
        local_provider,
        person(groups=["9f1c-asb-officers"], acr="urn:low", amr=["pwd"]),
    )
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.django_db
def test_an_unknown_group_is_refused_with_a_page_saying_who_to_contact(
    police_provider, local_provider, unchanged_rows
):
    client = Client()
    with unchanged_rows(User, RoleGrant, Membership, ExternalIdentity):
        refused = sign_in_through(
            client, police_provider, local_provider, person(groups=["0000-canteen"], amr=["mfa"])
        )
    page = refused.content.decode()
    assert refused.status_code == 403
    assert "You cannot use this service with your Northamptonshire Police account yet" in page
    assert CONTACT in page and "not in any of the groups" in page
    assert client.get("/cases/").status_code == 302


@pytest.mark.django_db
def test_entra_group_overage_is_refused_saying_what_to_ask_for(police_provider, local_provider):
    overage = person(
        amr=["mfa"], _claim_names={"groups": "src1"}, _claim_sources={"src1": {"endpoint": "https://graph"}}
    )
    refused = sign_in_through(Client(), police_provider, local_provider, overage)
    page = refused.content.decode()
    assert refused.status_code == 403 and "more groups than it sends" in page and CONTACT in page


@pytest.mark.django_db
def test_an_address_on_the_allow_list_gets_its_role_when_the_provider_sends_no_groups(
    police_provider, local_provider
):
    client = Client()
    response = sign_in_through(
        client,
        police_provider,
        local_provider,
        person(sub="00u-9", email="Kim.Analyst@police.example", amr=["mfa"]),
    )
    assert response.status_code == 302
    user = User.objects.get(external_identities__subject="00u-9")
    assert _grants(user) == {("west-northamptonshire", Role.ANALYST)}


@pytest.mark.django_db
def test_a_password_opens_nothing_for_staff_of_an_organisation_with_a_provider(demo, police_provider):
    response = Client().post(
        reverse("accounts:login"), {"username": "wn-police", "password": "demo-password-2026"}
    )
    assert response.status_code == 200
    assert "signs its staff in through Northamptonshire Police" in response.content.decode()
    # Organisations without a provider keep password and authenticator.
    other = Client().post(reverse("accounts:login"), {"username": "wn-csm", "password": "demo-password-2026"})
    assert other.status_code == 302 and other["Location"].startswith("/account/two-factor/")


@pytest.mark.django_db
def test_a_sign_in_lasts_at_most_its_cap_however_active(police_provider, local_provider, settings):
    client = Client()
    sign_in_through(
        client, police_provider, local_provider, person(groups=["9f1c-asb-officers"], amr=["mfa"])
    )
    assert client.get("/cases/").status_code == 200
    session = client.session
    session["signed_in_at"] = time.time() - settings.SIGN_IN_MAX_MINUTES * 60 - 1
    session.save()
    ended = client.get("/cases/")
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("accounts:login"))
    assert client.get("/cases/").status_code == 302


@pytest.mark.django_db
def test_a_token_not_signed_with_the_providers_published_key_signs_nobody_in(police_provider, local_provider):
    from joserfc.jwk import RSAKey

    local_provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": local_provider.key.kid})
    client = Client()
    response = sign_in_through(
        client, police_provider, local_provider, person(groups=["9f1c-asb-officers"], amr=["mfa"])
    )
    assert response.status_code == 403 and "did not work" in response.content.decode()
    assert not User.objects.filter(external_identities__subject="00u-7781").exists()
    assert client.get("/cases/").status_code == 302


def test_the_decision_in_the_core():
    mappings = [
        core.RoleMapping(partnership_id=1, role="spoc", group_id="g1", agency_id=5),
        core.RoleMapping(partnership_id=2, role="analyst", email="a@x.org"),
    ]
    decide = core.decide_sign_in
    assert decide({"sub": "s", "groups": ["g1"]}, mappings=mappings).grants == {core.Grant(1, 5, "spoc")}
    assert decide({"sub": "s", "groups": ["g2"]}, mappings=mappings).refused == core.NO_MAPPED_GROUP
    assert decide({"sub": "s", "hasgroups": True}, mappings=mappings).refused == core.GROUPS_OVERAGE
    assert decide({"sub": "s", "email": "A@x.org"}, mappings=mappings).grants == {
        core.Grant(2, None, "analyst")
    }
    unverified = {"sub": "s", "email": "a@x.org", "email_verified": False}
    assert decide(unverified, mappings=mappings).refused == core.NO_MAPPED_GROUP
    assert decide({"groups": ["g1"]}, mappings=mappings).refused == core.NO_SUBJECT
    assert core.second_factor_done({"amr": ["pwd", "mfa"]}, {"mfa"})
    assert core.second_factor_done({"acr": "possessionorinherence"}, {"possessionorinherence"})
    assert not core.second_factor_done({"amr": ["pwd"], "acr": "1"}, {"mfa"})
    assert not core.second_factor_done({"amr": ["mfa"]}, set())  # nothing accepted: always ours
