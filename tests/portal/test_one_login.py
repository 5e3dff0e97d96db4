"""GOV.UK One Login as a second way in (ADR 0056), against the tests' local OpenID Connect provider
(tests/oidc_provider.py) set to authenticate the client by private_key_jwt only, as One Login does."""

from __future__ import annotations

import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from joserfc.jwk import RSAKey

from casereview.audit.models import AccessEvent
from tests.oidc_provider import LocalOIDCProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_login(settings):
    key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4)})
    with LocalOIDCProvider(client_id="casereview-portal", client_key=key) as provider:
        settings.CASEREVIEW_ONE_LOGIN_DISCOVERY_URL = f"{provider.issuer}/.well-known/openid-configuration"
        settings.CASEREVIEW_ONE_LOGIN_CLIENT_ID = "casereview-portal"
        settings.CASEREVIEW_ONE_LOGIN_PRIVATE_KEY = key.as_pem(private=True).decode()
        yield provider


def through_one_login(client, provider, reference, claims):
    """Sign in through the local provider, which answers with `claims` (One Login's `vot`, "Cl.Cm",
    unless the claims say otherwise)."""
    provider.person = {"vot": "Cl.Cm", **claims}
    start = client.post("/my-review/sign-in/one-login/", {"reference": reference})
    assert start.status_code == 302 and start["Location"].startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_the_option_is_offered_only_when_set_up(client, case, one_login, settings):
    assert "Sign in with GOV.UK One Login" in client.get("/my-review/sign-in/").content.decode()
    settings.CASEREVIEW_ONE_LOGIN_CLIENT_ID = ""
    assert "Sign in with GOV.UK One Login" not in client.get("/my-review/sign-in/").content.decode()


def test_a_verified_email_that_is_the_victims_signs_them_in_with_private_key_jwt(case, one_login):
    client = Client()
    back = through_one_login(
        client,
        one_login,
        case.reference,
        {"sub": "urn:fdc:gov.uk:1", "email": "JO@example.com", "email_verified": True},
    )
    assert back["Location"] == "/my-review/"
    assert client.get("/my-review/").status_code == 200
    # The token request carried a client assertion signed with our key (no secret).
    assertion = one_login.assertions_seen[-1]
    assert assertion["iss"] == assertion["sub"] == "casereview-portal"
    assert assertion["aud"] == f"{one_login.issuer}/token"
    event = AccessEvent.objects.get(action="sign_in", case_reference=case.reference)
    assert "GOV.UK One Login" in event.summary and event.actor_username == "victim (own view)"


def test_an_unverified_or_other_email_is_refused(case, one_login):
    for claims in (
        {"sub": "u2", "email": "jo@example.com", "email_verified": False},
        {"sub": "u3", "email": "someone@example.com", "email_verified": True},
    ):
        client = Client()
        back = through_one_login(client, one_login, case.reference, claims)
        assert back.status_code == 403 and "We could not sign you in" in back.content.decode()
        assert client.get("/my-review/")["Location"] == "/my-review/sign-in/"


def test_a_verified_phone_number_signs_in_too(case, one_login):
    client = Client()
    back = through_one_login(
        client,
        one_login,
        case.reference,
        {"sub": "u4", "phone_number": "+447700900123", "phone_number_verified": True},
    )
    assert back["Location"] == "/my-review/"


def test_a_client_secret_is_refused_by_the_provider(case, one_login):
    """The provider refuses anything but private_key_jwt: the product's own client passes."""
    token = requests.post(
        f"{one_login.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": "x",
            "client_id": "casereview-portal",
            "client_secret": "s",
        },
        timeout=10,
    )
    assert token.status_code == 401


def test_the_vector_of_trust_is_asked_for_and_the_vot_checked(case, one_login):
    """One Login is asked for `vtr=["Cl.Cm"]` (a password and a second factor, ADR 0073); an ID
    token whose `vot` is lower, or missing, signs nobody in."""
    client = Client()
    start = client.post("/my-review/sign-in/one-login/", {"reference": case.reference})
    asked = parse_qs(urlsplit(start["Location"]).query)
    assert json.loads(asked["vtr"][0]) == ["Cl.Cm"]
    for claims in (
        {"sub": "u5", "email": "jo@example.com", "email_verified": True, "vot": "Cl"},
        {"sub": "u6", "email": "jo@example.com", "email_verified": True, "vot": None},
    ):
        client = Client()
        back = through_one_login(client, one_login, case.reference, claims)
        assert back.status_code == 403
        assert "did not confirm your sign-in with the extra security" in back.content.decode()
        assert client.get("/my-review/")["Location"] == "/my-review/sign-in/"
    assert one_login.authorize_queries[-1]["vtr"] == '["Cl.Cm"]'


def test_the_vectors_asked_for_are_configurable(case, one_login, settings):
    settings.CASEREVIEW_ONE_LOGIN_VTR = "Cl.Cm, Cl"
    client = Client()
    back = through_one_login(
        client,
        one_login,
        case.reference,
        {"sub": "u7", "email": "jo@example.com", "email_verified": True, "vot": "Cl"},
    )
    assert back["Location"] == "/my-review/"
    assert json.loads(one_login.authorize_queries[-1]["vtr"]) == ["Cl.Cm", "Cl"]
    settings.CASEREVIEW_ONE_LOGIN_VTR = ""  # ask for none: One Login's default, nothing checked
    client = Client()
    back = through_one_login(
        client,
        one_login,
        case.reference,
        {"sub": "u8", "email": "jo@example.com", "email_verified": True, "vot": None},
    )
    assert back["Location"] == "/my-review/" and "vtr" not in one_login.authorize_queries[-1]
