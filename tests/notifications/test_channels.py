"""The two ways out: GOV.UK Notify against a fake Notify server on 127.0.0.1 (offline), and SMTP
through Django's locmem email backend."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from casereview.notifications.channels import (
    ChannelError,
    NotifyNotifier,
    SmtpNotifier,
    notifier_get,
    notify_jwt,
)

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"casereview_test-{SERVICE_ID}-{SECRET}"


def b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class FakeNotify:
    """A local stand-in for api.notifications.service.gov.uk that records what it receives."""

    def __init__(self, status: int = 201, answer: dict | None = None):
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the standard library's name
                length = int(self.headers["Content-Length"])
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                body = json.dumps(answer or {"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def assert_notify_jwt(authorization: str) -> dict:
    scheme, token = authorization.split(" ", 1)
    assert scheme == "Bearer"
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(b64decode(header_b64)) == {"typ": "JWT", "alg": "HS256"}
    expected = hmac.new(SECRET.encode(), f"{header_b64}.{claims_b64}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(b64decode(signature_b64), expected), "signature is not HS256 with the secret"
    claims = json.loads(b64decode(claims_b64))
    assert claims["iss"] == SERVICE_ID
    assert abs(claims["iat"] - time.time()) < 30  # Notify refuses tokens older than 30 seconds
    return claims


def test_notify_email_posts_the_template_and_personalisation_with_a_signed_token():
    with FakeNotify() as fake:
        notifier = NotifyNotifier(API_KEY, base_url=fake.url, email_template_id="tmpl-email")
        result = notifier.send_email("someone@example.com", "Your review", "Hello.", "casereview-message-7")
    assert result.provider == "notify"
    assert result.provider_reference == "740e5834-3a29-46b4-9a6f-16142fde533a"
    [request] = fake.requests
    assert request["path"] == "/v2/notifications/email"
    assert request["json"] == {
        "email_address": "someone@example.com",
        "template_id": "tmpl-email",
        "personalisation": {"subject": "Your review", "body": "Hello."},
        "reference": "casereview-message-7",
    }
    assert request["headers"]["Content-Type"] == "application/json"
    assert_notify_jwt(request["headers"]["Authorization"])


def test_notify_sms_and_letter_use_their_endpoints():
    with FakeNotify() as fake:
        notifier = NotifyNotifier(
            API_KEY, base_url=fake.url, sms_template_id="tmpl-sms", letter_template_id="tmpl-letter"
        )
        notifier.send_sms("07700900123", "Your review has an update.", "casereview-message-8")
        notifier.send_letter(
            ["Jo Bloggs", "1 High Street", "Northampton", "NN1 1AA"],
            "Update",
            "Body.",
            "casereview-message-9",
        )
    sms, letter = fake.requests
    assert sms["path"] == "/v2/notifications/sms"
    assert sms["json"] == {
        "phone_number": "07700900123",
        "template_id": "tmpl-sms",
        "personalisation": {"body": "Your review has an update."},
        "reference": "casereview-message-8",
    }
    assert letter["path"] == "/v2/notifications/letter"
    assert letter["json"]["personalisation"] == {
        "address_line_1": "Jo Bloggs",
        "address_line_2": "1 High Street",
        "address_line_3": "Northampton",
        "address_line_4": "NN1 1AA",
        "subject": "Update",
        "body": "Body.",
    }
    for request in fake.requests:
        assert_notify_jwt(request["headers"]["Authorization"])


def test_a_notify_error_is_reported_by_code_without_echoing_the_recipient():
    answer = {
        "status_code": 400,
        "errors": [
            {"error": "ValidationError", "message": "email_address someone@example.com Not a valid email"}
        ],
    }
    with FakeNotify(status=400, answer=answer) as fake:
        notifier = NotifyNotifier(API_KEY, base_url=fake.url, email_template_id="tmpl-email")
        with pytest.raises(ChannelError) as raised:
            notifier.send_email("someone@example.com", "Subject", "Body", "ref")
    assert "400" in str(raised.value) and "ValidationError" in str(raised.value)
    assert "someone@example.com" not in str(raised.value)


def test_notify_unreachable_is_a_channel_error():
    notifier = NotifyNotifier(API_KEY, base_url="http://127.0.0.1:9", email_template_id="t", timeout=2)
    with pytest.raises(ChannelError, match="could not be reached"):
        notifier.send_email("a@example.com", "s", "b", "r")


def test_a_malformed_api_key_is_refused():
    with pytest.raises(ChannelError, match="not a GOV.UK Notify API key"):
        NotifyNotifier("not-a-key")


def test_the_token_is_deterministic_for_a_given_time():
    token = notify_jwt(SERVICE_ID, SECRET, issued_at=1_700_000_000)
    claims = json.loads(b64decode(token.split(".")[1]))
    assert claims == {"iss": SERVICE_ID, "iat": 1_700_000_000}


def test_smtp_sends_through_djangos_email_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "asb@council.example.gov.uk"
    result = SmtpNotifier().send_email("officer@example.gov.uk", "Overdue action", "Please act.", "ref-1")
    assert result.status == "sent"
    [message] = mail.outbox
    assert message.to == ["officer@example.gov.uk"]
    assert message.subject == "Overdue action"
    assert message.body == "Please act."
    assert message.from_email == "asb@council.example.gov.uk"
    assert message.extra_headers["X-Reference"] == "ref-1"


def test_smtp_cannot_text_or_post_so_those_become_staff_tasks():
    notifier = SmtpNotifier()
    assert notifier.send_sms("07700900123", "b", "r").status == "staff_task"
    assert notifier.send_letter(["a", "b", "c"], "s", "b", "r").status == "staff_task"


def test_the_notifier_is_chosen_by_settings(settings):
    settings.CASEREVIEW_NOTIFY_API_KEY = ""
    assert isinstance(notifier_get(), SmtpNotifier)
    settings.CASEREVIEW_NOTIFY_API_KEY = API_KEY
    settings.CASEREVIEW_NOTIFY_BASE_URL = "http://127.0.0.1:1"
    notifier = notifier_get()
    assert isinstance(notifier, NotifyNotifier)
    assert notifier.service_id == SERVICE_ID
    assert notifier.base_url == "http://127.0.0.1:1"
