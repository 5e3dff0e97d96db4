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
