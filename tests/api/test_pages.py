"""The administrator's pages for API clients: create (secret shown once), rotate and revoke after a
confirmation page, the webhook deliveries listed; anyone else, and another partnership's client, 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from casereview.api.models import ApiClient
from tests.api.conftest import basic
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db


def _signed_in(user):
    client = type("Client", (VerifiedClient, Client), {})()
    client.force_login(user)
    return client


def test_an_administrator_creates_rotates_and_revokes_a_client(demo):
    admin = _signed_in(demo.user("wn-admin"))
    housing = demo.agency("west-northamptonshire", "housing")
    page = admin.get("/api-clients/")
    assert page.status_code == 200 and b"No agency" in page.content
    refused = admin.post("/api-clients/", {"agency": housing.pk})
    assert b"Choose at least one thing the system may do" in refused.content
    made = admin.post("/api-clients/", {"agency": housing.pk, "scopes": ["reports:write", "cases:read"]})
    assert made.status_code == 200
    client_id, secret = re.findall(rb"<code>([^<]+)</code>", made.content)[:2]
    token = Client().post(
        "/api/v1/oauth/token", {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(client_id.decode(), secret.decode()),
    )  # fmt: skip
    assert token.status_code == 200
    client = ApiClient.objects.get()
    assert secret.decode() not in admin.get("/api-clients/").content.decode()  # never shown again
    assert b"stops working" in admin.get(f"/api-clients/{client.pk}/rotate/").content
    rotated = admin.post(f"/api-clients/{client.pk}/rotate/")
    new_secret = re.findall(rb"<code>([^<]+)</code>", rotated.content)[1]
    assert new_secret != secret
    assert admin.post(f"/api-clients/{client.pk}/revoke/").status_code == 200
    client.refresh_from_db()
    assert client.revoked_at is not None


def test_others_get_a_404(demo):
    from casereview.api.services import api_client_create

    islington = api_client_create(
        partnership=demo.partnership("islington"),
        agency_name=demo.agency("islington", "housing").name,
        scopes="cases:read",
    )
    officer = _signed_in(demo.user("wn-housing"))
    assert officer.get("/api-clients/").status_code == 404
    admin = _signed_in(demo.user("wn-admin"))
    assert admin.get(f"/api-clients/{islington.client.pk}/revoke/").status_code == 404
    assert admin.post(f"/api-clients/{islington.client.pk}/revoke/").status_code == 404
