from __future__ import annotations

import base64

import pytest
from django.test import Client

from casereview.api.scopes import SCOPES
from casereview.api.services import api_client_create

ALL_SCOPES = " ".join(SCOPES)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_for(credentials, scope: str | None = None) -> str:
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    answer = Client().post(
        "/api/v1/oauth/token",
        data,
        HTTP_AUTHORIZATION=basic(credentials.client_id, credentials.client_secret),
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


class Api:
    """A partner's system: a django test client with the bearer token on every call."""

    def __init__(self, token: str, acting: str = "officer 1234"):
        self.http = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_X_ACTING_USER": acting}

    def get(self, path, **extra):
        return self.http.get(path, **self.headers, **extra)

    def post(self, path, data=None, **extra):
        if "content_type" not in extra and not extra.pop("multipart", False):
            extra["content_type"] = "application/json"
        return self.http.post(path, data, **self.headers, **extra)


@pytest.fixture
def housing_client(demo):
    return api_client_create(
        partnership=demo.partnership("west-northamptonshire"),
        agency_name=demo.agency("west-northamptonshire", "housing").name,
        scopes=ALL_SCOPES,
    )


@pytest.fixture
def housing(housing_client):
    return Api(token_for(housing_client))
