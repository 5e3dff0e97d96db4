"""Webhooks: an information request to housing queues a signed delivery, the sweep delivers it to a
receiver this test starts on port 0, a failing receiver is retried with backoff, and the history is
readable through the API."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from casereview.api.models import WebhookDelivery
from casereview.api.webhooks import deliveries_send, signature_verify
from casereview.reviews import services as review_services
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    received: list[tuple[dict, bytes]] = []
    answers: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(answers.pop(0) if answers else 204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received, answers
    server.shutdown()
    server.server_close()


def test_a_new_request_to_housing_is_delivered_signed_and_retried_on_failure(housing, demo, receiver):
    url, received, answers = receiver
    made = housing.post("/api/v1/webhooks", {"url": url, "events": ["information_request.created"]})
    assert made.status_code == 201, made.content
    secret = made.json()["secret"]
    application = in_review_application(demo)
    review_services.information_requests_send(
        application=application,
        agencies=[
            demo.agency("west-northamptonshire", "housing"),
            demo.agency("west-northamptonshire", "police"),
        ],
        actor=demo.user("wn-spoc"),
    )
    (delivery,) = WebhookDelivery.objects.all()  # housing's only: police has no subscription
    answers.append(500)
    assert deliveries_send() == {"sent": 0, "skipped": 1}
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at > delivery.created_at  # backed off: not due again at once
    assert deliveries_send() == {"sent": 0, "skipped": 0}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
    assert deliveries_send() == {"sent": 1, "skipped": 0}
    headers, body = received[-1]
    assert signature_verify(secret, headers["X-Casereview-Signature"], body)
    assert not signature_verify("another secret", headers["X-Casereview-Signature"], body)
    payload = json.loads(body)
    assert payload["type"] == "information_request.created"
    assert payload["data"]["case_reference"] == application.reference
    assert received[0][1] == body  # the retry is the same event, same id
    history = housing.get(f"/api/v1/webhooks/{made.json()['id']}/deliveries")
    (row,) = history.json()
    assert row["status"] == "delivered" and row["attempts"] == 2


REFERRAL_FORM = {
    "person_name": "Jo Bloggs",
    "vulnerabilities": ["mental_health"],
    "risk_answers": ["harm_to_self", "escalating"],
    "asb_reports": "2",
    "summary": "Worried.",
    "consent": "given",
}


def test_a_referral_made_on_the_referrals_page_is_a_signed_webhook_to_the_agencies_party_to_it(
    demo, receiver, client
):
    """The referral form (the referrals app's service, not the API) queues `referral.created` for the
    subscribed clients of the agencies party to the new case — the referring housing provider — and
    not for another agency's; a referral short of the criteria queues nothing."""
    from casereview.api.services import api_client_create
    from casereview.referrals.models import Referral
    from tests.api.conftest import Api, token_for

    url, received, _ = receiver
    islington = demo.partnership("islington")
    subscribed = {}
    for kind in ("housing", "police"):
        made = api_client_create(
            partnership=islington, agency_name=demo.agency("islington", kind).name, scopes="webhooks:manage"
        )
        answer = Api(token_for(made)).post("/api/v1/webhooks", {"url": url, "events": ["referral.created"]})
        assert answer.status_code == 201, answer.content
        subscribed[kind] = answer.json()
    client.force_login(demo.user("is-housing"))
    short = client.post(
        "/referrals/cmarac/new/", {**REFERRAL_FORM, "vulnerabilities": [], "risk_answers": []}
    )
    assert short.status_code == 200 and not Referral.objects.exists()
    assert not WebhookDelivery.objects.exists()  # refused: nothing queued

    made = client.post("/referrals/cmarac/new/", REFERRAL_FORM)
    assert made.status_code == 302, made.content
    referral = Referral.objects.get()
    (delivery,) = WebhookDelivery.objects.all()  # housing's: the police are not party to the case
    assert delivery.subscription_id == subscribed["housing"]["id"] and delivery.event == "referral.created"
    assert deliveries_send() == {"sent": 1, "skipped": 0}
    headers, body = received[-1]
    assert headers["X-Casereview-Event"] == "referral.created"
    assert signature_verify(subscribed["housing"]["secret"], headers["X-Casereview-Signature"], body)
    assert not signature_verify(subscribed["police"]["secret"], headers["X-Casereview-Signature"], body)
    payload = json.loads(body)
    assert payload["type"] == "referral.created"
    assert payload["data"] == {
        "case_reference": referral.case.reference,
        "referral_id": referral.pk,
        "panel_kind": "cmarac",
    }


def test_a_referral_through_the_api_is_the_same_webhook(demo, receiver):
    from casereview.api.services import api_client_create
    from tests.api.conftest import ALL_SCOPES, Api, token_for

    url, received, _ = receiver
    made = api_client_create(
        partnership=demo.partnership("islington"),
        agency_name=demo.agency("islington", "housing").name,
        scopes=ALL_SCOPES,
    )
    api = Api(token_for(made))
    secret = api.post("/api/v1/webhooks", {"url": url, "events": ["referral.created"]}).json()["secret"]
    body = {
        "panel_kind": "cmarac",
        "summary": "Worried.",
        "consent": "given",
        "person_name": "Jo Bloggs",
        "vulnerabilities": ["mental_health"],
        "risk_answers": ["harm_to_self", "harm_from_others"],
        "asb_reports": 4,
    }
    answer = api.post("/api/v1/referrals", body, HTTP_IDEMPOTENCY_KEY="ref-hook")
    assert answer.status_code == 201, answer.content
    again = api.post("/api/v1/referrals", body, HTTP_IDEMPOTENCY_KEY="ref-hook")
    assert again["Idempotent-Replayed"] == "true"
    assert WebhookDelivery.objects.count() == 1  # one referral, one event
    assert deliveries_send() == {"sent": 1, "skipped": 0}
    headers, body = received[-1]
    assert signature_verify(secret, headers["X-Casereview-Signature"], body)
    assert json.loads(body)["data"]["referral_id"] == answer.json()["id"]
