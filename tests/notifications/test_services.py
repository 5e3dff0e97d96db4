"""Messages to victims by their preferred channel and format, the outbox, and the timeline."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from casereview.applications.models import CaseEvent
from casereview.notifications.channels import ChannelError, SendResult
from casereview.notifications.models import Message, MessageStatus, Notice
from casereview.notifications.services import (
    MAX_ATTEMPTS,
    message_mark_done_by_staff,
    messages_deliver,
    retry_delay,
    staff_notify,
    victim_notify,
)
from tests.actions.helpers import case_with_spoc

BODY = "Jo, the housing officer visited 12 Acacia Avenue about the noise."


def notify_victim(application):
    return victim_notify(case=application, purpose="review_update", subject="Your ASB Case Review", body=BODY)


def set_victim(application, **fields):
    for name, value in fields.items():
        setattr(application.victim, name, value)
    application.victim.save()


@pytest.mark.django_db
def test_a_victim_who_prefers_email_is_emailed_and_the_timeline_says_so_without_the_message(demo):
    application = case_with_spoc(demo)
    set_victim(application, preferred_contact="email", email="jo@example.com")
    message = notify_victim(application)
    assert message.status == MessageStatus.QUEUED
    assert messages_deliver() == {"sent": 1, "failed": 0, "staff_task": 0, "retry": 0}
    [email] = mail.outbox
    assert email.to == ["jo@example.com"] and email.body == BODY
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None
    event = CaseEvent.objects.get(application=application, kind="notification_sent")
    assert event.data["channel"] == "email" and event.data["purpose"] == "review_update"
    assert "Acacia" not in event.summary and "jo@example.com" not in event.summary
    assert "Acacia" not in str(event.data)


@pytest.mark.django_db
def test_a_victim_who_prefers_a_letter_gets_one_printed_by_staff(demo):
    application = case_with_spoc(demo)
    set_victim(application, preferred_contact="letter")
    message = notify_victim(application)
    messages_deliver()  # SMTP cannot post: it becomes a task for staff
    message.refresh_from_db()
    assert message.channel == "letter"
    assert message.status == MessageStatus.STAFF_TASK
    assert message.to.splitlines() == ["Jo Bloggs", "1 High Street", "NN1 1AA"]
    assert mail.outbox == []
    task = Notice.objects.get(recipient=demo.user("wn-spoc"), url=f"/notices/tasks/{message.pk}/")
    assert application.reference in task.text and "Acacia" not in task.text

    message_mark_done_by_staff(message=message, actor=demo.user("wn-spoc"))
    message.refresh_from_db()
    assert message.status == MessageStatus.DONE_BY_STAFF and message.done_by == demo.user("wn-spoc")
    kinds = list(
        CaseEvent.objects.filter(application=application, kind="notification_sent").values_list(
            "summary", flat=True
        )
    )
    assert len(kinds) == 2 and "sent by staff" in kinds[1]


@pytest.mark.django_db
def test_a_format_need_makes_the_message_a_task_for_staff_whatever_the_channel(demo):
    application = case_with_spoc(demo)
    set_victim(
        application, preferred_contact="email", email="jo@example.com", format_needs="Large print, Braille"
    )
    message = notify_victim(application)
    assert message.status == MessageStatus.STAFF_TASK
    assert "Braille" in message.staff_task_reason
    assert messages_deliver()["sent"] == 0 and mail.outbox == []
    event = CaseEvent.objects.get(application=application, kind="notification_sent")
    assert event.data["staff_task"] is True


@pytest.mark.django_db
def test_large_print_alone_is_a_need_of_paper_so_an_email_is_sent_as_it_is(demo):
    application = case_with_spoc(demo)
    set_victim(application, preferred_contact="email", email="jo@example.com", format_needs="Large print")
    message = notify_victim(application)
    assert message.status == MessageStatus.QUEUED and message.format_needs == "Large print"
    assert messages_deliver()["sent"] == 1 and mail.outbox[0].to == ["jo@example.com"]


@pytest.mark.django_db
def test_a_victim_who_asked_to_be_phoned_is_a_call_for_the_spoc(demo):
    application = case_with_spoc(demo)
    set_victim(application, preferred_contact="phone", phone="07700900123")
    message = notify_victim(application)
    assert message.channel == "phone" and message.status == MessageStatus.STAFF_TASK
    assert Notice.objects.filter(recipient=demo.user("wn-spoc")).count() == 1


@pytest.mark.django_db
def test_text_preference_without_a_number_falls_back_to_a_letter(demo):
    application = case_with_spoc(demo)
    set_victim(application, preferred_contact="text", phone="")
    message = notify_victim(application)
    assert message.channel == "letter" and message.status == MessageStatus.STAFF_TASK
    assert "No text details" in message.staff_task_reason


class BrokenNotifier:
    name = "broken"

    def send_email(self, to, subject, body, reference):
        raise ChannelError("the email server refused the message (SMTPDataError)")

    def send_sms(self, to, body, reference):
        raise AssertionError("not used")

    def send_letter(self, address_lines, subject, body, reference):
        raise AssertionError("not used")


@pytest.mark.django_db
def test_a_failed_delivery_is_retried_with_back_off_then_marked_failed(demo, caplog):
    application = case_with_spoc(demo)
    set_victim(application, preferred_contact="email", email="jo@example.com")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        message = notify_victim(application)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            counts = messages_deliver(notifier=BrokenNotifier())
            message.refresh_from_db()
            assert message.attempts == attempt
            assert counts["failed" if attempt == MAX_ATTEMPTS else "retry"] == 1
            if attempt < MAX_ATTEMPTS:
                # Not retried before its back-off has passed; the wait doubles each time.
                assert message.next_attempt_at == timezone.now() + retry_delay(attempt)
                assert messages_deliver(notifier=BrokenNotifier())["retry"] == 0
                clock.shift(retry_delay(attempt))
    assert retry_delay(2) == 2 * retry_delay(1)
    assert message.status == MessageStatus.FAILED
    assert "SMTPDataError" in message.last_error
    assert messages_deliver(notifier=BrokenNotifier()) == {
        "sent": 0,
        "failed": 0,
        "staff_task": 0,
        "retry": 0,
    }
    # Nothing personal in the logs: the message id and the error only.
    assert "jo@example.com" not in caplog.text and "Acacia" not in caplog.text


class RecordingNotifier:
    name = "recording"

    def __init__(self):
        self.sent = []

    def send_email(self, to, subject, body, reference):
        self.sent.append((to, reference))
        return SendResult(provider=self.name, provider_reference="abc")

    def send_sms(self, to, body, reference):
        raise AssertionError("not used")

    def send_letter(self, address_lines, subject, body, reference):
        raise AssertionError("not used")


@pytest.mark.django_db
def test_each_queued_message_is_delivered_once_however_often_delivery_runs(demo):
    application = case_with_spoc(demo)
    staff_notify(
        recipients=[demo.user("wn-police"), demo.user("wn-csm"), demo.user("wn-police")],
        purpose="action_overdue",
        text="An action is overdue.",
        url="/actions/1/",
        case=application,
        email_subject="Overdue action",
        email_body="An action is overdue.",
    )
    notifier = RecordingNotifier()
    for _ in range(3):
        messages_deliver(notifier=notifier)
    assert sorted(to for to, _ in notifier.sent) == ["wn-csm@example.gov.uk", "wn-police@example.gov.uk"]
    assert all(ref.startswith("casereview-message-") for _, ref in notifier.sent)
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 2
    assert Notice.objects.count() == 2  # the duplicate recipient is told once
    event = CaseEvent.objects.get(application=application, kind="notification_sent")
    assert event.data["channels"] == ["in_app", "email"]
    assert sorted(event.data["recipients"]) == sorted([demo.user("wn-police").pk, demo.user("wn-csm").pk])
