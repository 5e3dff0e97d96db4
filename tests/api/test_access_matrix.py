"""Every endpoint against every scope: a token without the endpoint's scope is refused (403 naming
it), one without a token is 401, and with the scope, another agency's record is the 404 of an
unknown one."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.api.scopes import SCOPES
from casereview.reviews import services as review_services
from tests.actions.helpers import action_for
from tests.api.conftest import Api, token_for
from tests.factories import make_application
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db


def test_every_endpoint_needs_its_scope_and_hides_other_agencies_records(demo, housing_client):
    from django.core.cache import cache

    cache.clear()
    wn = demo.partnership("west-northamptonshire")
    application = in_review_application(demo)
    (police_request,) = review_services.information_requests_send(
        application=application,
        agencies=[demo.agency("west-northamptonshire", "police")],
        actor=demo.user("wn-spoc"),
    )
    police_action = action_for(
        application, demo.user("wn-police"), due_on=dt.date.today() + dt.timedelta(days=9)
    )
    not_party = make_application(wn, incidents=[(dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12))])
    endpoints = [
        # (method, path, scope, body): each aimed at something housing may not see, or a list
        ("post", "/api/v1/reports", "reports:write", {"reports": []}, 422),
        ("get", "/api/v1/reports/POLICE-1", "reports:read", None, 404),
        ("post", "/api/v1/reports/POLICE-1/correct", "reports:write", {"reason": "x"}, 404),
        ("get", f"/api/v1/cases/{not_party.reference}", "cases:read", None, 404),
        ("get", "/api/v1/information-requests", "requests:read", None, 200),
        ("post", f"/api/v1/information-requests/{police_request.pk}/answer", "requests:answer", {}, 404),
        ("get", "/api/v1/actions", "actions:read", None, 200),
        ("get", f"/api/v1/actions/{police_action.pk}", "actions:read", None, 404),
        ("post", f"/api/v1/actions/{police_action.pk}/complete", "actions:write", {}, 404),
        ("post", f"/api/v1/actions/{police_action.pk}/delay", "actions:write", {}, 404),
        ("get", "/api/v1/webhooks", "webhooks:manage", None, 200),
        ("get", "/api/v1/webhooks/999999/deliveries", "webhooks:manage", None, 404),
    ]
    tokens = {scope: Api(token_for(housing_client, scope=scope)) for scope in SCOPES}
    anonymous = Api("")
    anonymous.headers = {}
    seen = []
    for method, path, scope, body, with_scope in endpoints:

        def call(api, m=method, p=path, b=body):
            return api.post(p, b) if m == "post" else api.get(p)

        assert call(anonymous).status_code == 401, path
        for held, api in tokens.items():
            answer = call(api)
            if held == scope:
                assert answer.status_code == with_scope, (path, held, answer.content)
                if with_scope == 200 and isinstance(answer.json(), dict):
                    # Lists hold nothing of police's: not its request, not its action.
                    ids = {row["id"] for row in answer.json()["results"]}
                    assert not ids & {police_request.pk, police_action.pk}, path
            else:
                assert answer.status_code == 403, (path, held, answer.status_code)
                assert scope in answer.json()["detail"]
            seen.append((path, held))
    assert len(seen) == len(endpoints) * len(SCOPES)
