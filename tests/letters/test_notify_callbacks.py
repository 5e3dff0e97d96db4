"""GOV.UK Notify's callbacks: a letter Notify accepted is later delivered, fails or comes back.

The letter goes out through a fake Notify server on 127.0.0.1 (the real HTTP client, the real
JWT); Notify's callbacks are real HTTP requests to our endpoint through Django's test client,
with the bearer token Notify is configured to send."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from casereview.applications import clocks
from casereview.applications.models import CaseEvent
from casereview.letters.models import DispatchStatus
from casereview.letters.services import letter_issue
from casereview.notifications.models import MessageStatus
from casereview.notifications.services import messages_deliver
from tests.notifications.test_channels import API_KEY, FakeNotify

from .conftest import record_decision

ISSUE_DAY = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"  # what the fake Notify answers
TOKEN = "a-long-callback-token-set-in-notify-1234"
DELIVERY = "/notices/notify/delivery-status/"
RETURNED = "/notices/notify/returned-letter/"


@pytest.fixture
def notify(settings):
    with FakeNotify() as fake:
        settings.CASEREVIEW_NOTIFY_API_KEY = API_KEY
        settings.CASEREVIEW_NOTIFY_BASE_URL = fake.url
        settings.CASEREVIEW_NOTIFY_EMAIL_TEMPLATE_ID = "tmpl-email"
        settings.CASEREVIEW_NOTIFY_CALLBACK_TOKEN = TOKEN
        yield fake


def kinds(case):
    return list(CaseEvent.objects.filter(application=case).order_by("id").values_list("kind", flat=True))


def decision_clock(case, today):
    case.refresh_from_db()
    return {c.name: c for c in clocks.application_clocks(case, today=today)}["threshold_decision"]


def emailed_decision_letter(case, csm):
    """The not-met letter, emailed through (fake) Notify: sent, its clock met."""
    from casereview.applications.services import application_acknowledge

    application_acknowledge(application=case, actor=csm, acknowledged_on=dt.date(2025, 4, 22))
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    messages_deliver()
    dispatch = letter.dispatches.get()
    assert dispatch.status == DispatchStatus.SENT
    assert dispatch.message.provider == "notify"
    assert dispatch.message.provider_reference == NOTIFICATION_ID
    assert decision_clock(case, dt.date(2025, 5, 2)).state == clocks.DONE
    return dispatch


def post(client, path, payload, token=TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(path, payload, content_type="application/json", **headers)


def delivery(status):
    return {
        "id": NOTIFICATION_ID,
        "reference": "casereview-message-1",
        "to": "jo@example.com",
        "status": status,
        "notification_type": "email",
        "created_at": "2025-05-01T10:00:00.000000Z",
        "completed_at": "2025-05-01T10:01:00.000000Z",
        "sent_at": "2025-05-01T10:00:30.000000Z",
    }


@time_machine.travel(ISSUE_DAY, tick=False)
def test_delivered_marks_the_letter_delivered_on_the_timeline_and_a_repeat_changes_nothing(
    case, csm, client, notify, unchanged_rows
):
    dispatch = emailed_decision_letter(case, csm)
    response = post(client, DELIVERY, delivery("delivered"))
    assert response.status_code == 200
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DELIVERED
    event = CaseEvent.objects.get(application=case, kind="letter_delivered")
    assert event.data["dispatch"] == dispatch.pk and "delivered" in event.summary
    assert "Jo" not in event.summary and "jo@example.com" not in event.summary
    assert decision_clock(case, dt.date(2025, 5, 2)).state == clocks.DONE  # still met
    with unchanged_rows():
        assert post(client, DELIVERY, delivery("delivered")).status_code == 200


@time_machine.travel(ISSUE_DAY, tick=False)
@pytest.mark.parametrize("status", ["permanent-failure", "temporary-failure", "technical-failure"])
def test_a_failure_fails_the_dispatch_and_reopens_the_clock_as_a_failed_dispatch_does(
    case, csm, client, notify, status, unchanged_rows
):
    dispatch = emailed_decision_letter(case, csm)
    assert post(client, DELIVERY, delivery(status)).status_code == 200
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.FAILED
    assert kinds(case)[-2:] == ["letter_dispatch_failed", "decision_letter_dispatch_failed"]
    failed = CaseEvent.objects.get(application=case, kind="decision_letter_dispatch_failed")
    assert failed.data["reason"] == dispatch.failure_reason and failed.data["status"] == "failed"
    reopened = decision_clock(case, dt.date(2025, 5, 20))
    assert reopened.state == clocks.OVERDUE and reopened.reopened_reason == dispatch.failure_reason
    # The email is on the failed messages page for staff to resend (or send the letter another way).
    assert dispatch.message.status == MessageStatus.FAILED
    client.force_login(csm)
    assert f"/notices/failed/{dispatch.message.pk}/resend/" in client.get("/notices/failed/").content.decode()
    with unchanged_rows():  # Notify repeats a callback: recorded once
        assert post(client, DELIVERY, delivery(status)).status_code == 200


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_returned_letter_callback_marks_it_returned_and_reopens_the_clock(case, csm, client, notify):
    dispatch = emailed_decision_letter(case, csm)
    response = post(
        client,
        RETURNED,
        {
            "notification_id": NOTIFICATION_ID,
            "reference": "casereview-message-1",
            "created_at": "2025-05-01",
            "email_address": "council@example.gov.uk",
            "template_name": "letter",
            "template_id": "tmpl-letter",
            "template_version": 1,
        },
    )
    assert response.status_code == 200
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.RETURNED
    assert "returned" in dispatch.failure_reason
    assert "decision_letter_dispatch_failed" in kinds(case)
    assert decision_clock(case, dt.date(2025, 5, 20)).state == clocks.OVERDUE
    # The dispatch page offers to send it another way.
    client.force_login(csm)
    page = client.get(f"/letters/dispatch/{dispatch.pk}/").content.decode()
    assert "another way" in page


@time_machine.travel(ISSUE_DAY, tick=False)
@pytest.mark.parametrize(
    "token",
    [None, "", "wrong-token", TOKEN + "x", TOKEN[:-1]],
    ids=["missing", "empty", "wrong", "longer", "shorter"],
)
def test_a_wrong_or_missing_token_is_401_and_changes_nothing(
    case, csm, client, notify, token, unchanged_rows
):
    emailed_decision_letter(case, csm)
    with unchanged_rows():
        assert post(client, DELIVERY, delivery("permanent-failure"), token=token).status_code == 401
        assert post(client, RETURNED, {"notification_id": NOTIFICATION_ID}, token=token).status_code == 401
    # Basic instead of Bearer, even with the right secret.
    with unchanged_rows():
        response = client.post(
            DELIVERY,
            delivery("permanent-failure"),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Basic {TOKEN}",
        )
        assert response.status_code == 401


@time_machine.travel(ISSUE_DAY, tick=False)
def test_with_no_token_configured_every_callback_is_refused(
    case, csm, client, notify, settings, unchanged_rows
):
    emailed_decision_letter(case, csm)
    settings.CASEREVIEW_NOTIFY_CALLBACK_TOKEN = ""
    with unchanged_rows():
        assert post(client, DELIVERY, delivery("permanent-failure"), token="").status_code == 401
        assert post(client, DELIVERY, delivery("permanent-failure")).status_code == 401


@time_machine.travel(ISSUE_DAY, tick=False)
def test_an_unknown_notification_id_or_a_bad_body_changes_nothing(case, csm, client, notify, unchanged_rows):
    emailed_decision_letter(case, csm)
    with unchanged_rows():
        unknown = {**delivery("permanent-failure"), "id": "00000000-0000-0000-0000-000000000000"}
        assert post(client, DELIVERY, unknown).status_code == 404
        assert (
            client.post(
                DELIVERY, "not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
            ).status_code
            == 400
        )
        assert post(client, DELIVERY, {"status": "delivered"}).status_code == 400
        assert client.get(DELIVERY, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405
