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
    police_referral, council_intervention = _referral_and_intervention(demo, wn)
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
        ("get", "/api/v1/people?partner_key=K-1", "people:search", None, 200),
        ("get", "/api/v1/places?uprn=100021234567", "people:search", None, 200),
        ("get", "/api/v1/referrals", "referrals:read", None, 200),
        ("get", f"/api/v1/referrals/{police_referral.pk}", "referrals:read", None, 404),
        ("post", "/api/v1/referrals", "referrals:write", {}, 422),
        ("get", "/api/v1/interventions", "interventions:read", None, 200),
        ("get", f"/api/v1/interventions/{council_intervention.pk}", "interventions:read", None, 404),
        ("post", f"/api/v1/interventions/{council_intervention.pk}/steps", "interventions:write", {}, 404),
        ("post", "/api/v1/interventions", "interventions:write", {}, 422),
        ("post", f"/api/v1/interventions/{council_intervention.pk}/close", "interventions:write", {}, 404),
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
                    rows = answer.json()["results"]
                    ids = {row["id"] for row in rows if "id" in row}
                    assert not ids & {police_request.pk, police_action.pk}, path
                    if "referrals" in path or "interventions" in path:
                        assert rows == [], path
            else:
                assert answer.status_code == 403, (path, held, answer.status_code)
                assert scope in answer.json()["detail"]
            seen.append((path, held))
    assert len(seen) == len(endpoints) * len(SCOPES)


def _referral_and_intervention(demo, partnership):
    """A referral by the police and an intervention led by the council, neither housing's."""
    from casereview.interventions import services as interventions
    from casereview.people import services as people
    from casereview.referrals.models import Referral

    csm = demo.user(f"{partnership.reference_prefix.lower()}-csm")
    police = demo.user(f"{partnership.reference_prefix.lower()}-police")
    person = people.person_create(
        partnership=partnership, data=people.PersonData(full_name="Api Matrix"), actor=csm
    )
    referral = Referral.objects.create(
        partnership=partnership, panel_kind="cmarac", person=person, agency=police.agency, referred_by=police,
        referred_on=dt.date(2025, 3, 1), summary="Matrix", consent="given", lawful_basis="ukgdpr_6_1_a",
        policy_digest="",
    )  # fmt: skip
    intervention = interventions.intervention_open(
        partnership=partnership, lead_agency=csm.agency or partnership.agencies.get(kind="council"),
        officer=csm, opened_on=dt.date(2025, 1, 1), summary="Matrix", person=person, actor=csm,
    )  # fmt: skip
    return referral, intervention


def test_another_partnerships_real_records_answer_as_unknown_ones_to_every_scope(demo, housing_client):
    """A token of West Northamptonshire's housing provider holding every scope, aimed at Islington's
    real records (a case, a report, an information request, an action, a referral, an intervention,
    a webhook subscription): each answer is the 404 of an unknown identifier, body and all."""
    from casereview.api.models import WebhookSubscription
    from casereview.api.services import api_client_create, webhook_subscribe
    from casereview.reports.services import report_record

    islington = demo.partnership("islington")
    application = in_review_application(demo, "islington")
    (request,) = review_services.information_requests_send(
        application=application,
        agencies=[demo.agency("islington", "housing")],
        actor=demo.user("is-spoc"),
    )
    action = action_for(application, demo.user("is-housing"), due_on=dt.date.today() + dt.timedelta(days=9))
    report = report_record(
        partnership=islington,
        agency=demo.agency("islington", "housing"),
        reported_at=dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC),
        location="1 Upper Street",
        agency_reference="NPH-1",
        actor=demo.user("is-csm"),
    )
    referral, intervention = _referral_and_intervention(demo, islington)
    is_client = api_client_create(
        partnership=islington, agency_name=demo.agency("islington", "housing").name, scopes="webhooks:manage"
    )
    subscription, _ = webhook_subscribe(
        client=is_client.client, url="https://example.org/hook", events=["action.assigned"]
    )
    assert WebhookSubscription.objects.count() == 1
    api = Api(token_for(housing_client))
    pairs = [
        ("get", "/api/v1/cases/{}", application.reference, "IS-0000-9999"),
        ("get", "/api/v1/reports/{}", report.agency_reference, "NPH-UNKNOWN"),
        ("post", "/api/v1/reports/{}/correct", report.agency_reference, "NPH-UNKNOWN"),
        ("post", "/api/v1/information-requests/{}/answer", request.pk, 999999),
        ("get", "/api/v1/actions/{}", action.pk, 999999),
        ("post", "/api/v1/actions/{}/complete", action.pk, 999999),
        ("post", "/api/v1/actions/{}/delay", action.pk, 999999),
        ("get", "/api/v1/referrals/{}", referral.pk, 999999),
        ("get", "/api/v1/interventions/{}", intervention.pk, 999999),
        ("post", "/api/v1/interventions/{}/steps", intervention.pk, 999999),
        ("post", "/api/v1/interventions/{}/close", intervention.pk, 999999),
        ("get", "/api/v1/webhooks/{}/deliveries", subscription.pk, 999999),
    ]
    routes = {p.pattern for p in __import__("casereview.api.urls", fromlist=["x"]).urlpatterns}
    assert len(pairs) == len([r for r in map(str, routes) if "<" in r]), "a new endpoint with a parameter"
    for method, template, real, unknown in pairs:
        answers = [
            api.post(template.format(v), {}, HTTP_IF_MATCH='"1"')
            if method == "post"
            else api.get(template.format(v))
            for v in (real, unknown)
        ]
        assert [a.status_code for a in answers] == [404, 404], (template, [a.content for a in answers])
        assert answers[0].json() == answers[1].json(), template
