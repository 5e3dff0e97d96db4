"""The outbox against a real mail server that goes down and comes back (issue 13): every message
arrives, none twice, and none is given up silently."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from casereview.notifications.models import Message, MessageStatus
from casereview.notifications.services import message_queue, retry_delay
from tests.conftest import VerifiedClient

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def queue(count: int) -> list[Message]:
    with transaction.atomic():
        return [
            message_queue(
                channel="email",
                purpose="outbox_test",
                to=f"person{n}@example.org",
                subject=f"Message {n}",
                body="Nothing personal.",
            )
            for n in range(count)
        ]


def sweep(stdout=None) -> None:
    call_command("sweep", stdout=stdout or _Null())


class _Null:
    def write(self, *_args, **_kwargs):
        pass


@pytest.mark.django_db
def test_with_mail_down_then_back_every_message_arrives_exactly_once(smtp_sink):
    with time_machine.travel(START, tick=False) as clock:
        smtp_sink.stop()  # the mail server goes down
        messages = queue(15)
        for attempt in range(1, 5):
            sweep()
            sweep()  # a second sweep inside the back-off sends nothing
            assert set(Message.objects.values_list("attempts", flat=True)) == {attempt}
            clock.shift(retry_delay(attempt))
        assert smtp_sink.messages == []
        assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.QUEUED}

        smtp_sink.start()  # back, on the same port
        sweep()
        for _ in range(3):
            clock.shift(dt.timedelta(hours=1))
            sweep()
    arrivals = Counter(smtp_sink.references())
    assert arrivals == Counter({m.reference: 1 for m in messages})
    assert len(arrivals) == 15
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    # The reference is also the Message-ID, the same on every attempt.
    assert all(m["Message-ID"].startswith(f"<{m['X-Reference']}@") for m in smtp_sink.messages)


@pytest.mark.django_db
def test_after_the_last_retry_it_is_on_the_failed_page_and_resend_delivers_it_once(smtp_sink, settings, demo):
    settings.CASEREVIEW_MESSAGE_MAX_ATTEMPTS = 2
    csm = demo.user("wn-csm")
    other_partnership_csm = demo.user("is-csm")
    with time_machine.travel(START, tick=False) as clock:
        smtp_sink.stop()
        with transaction.atomic():
            staff_message = message_queue(
                channel="email",
                purpose="action_escalated",
                to="manager@example.gov.uk",
                subject="Overdue action",
                body="Please act.",
                recipient_user=csm,
            )
        sweep()
        clock.shift(retry_delay(1))
        sweep()
        staff_message.refresh_from_db()
        assert staff_message.status == MessageStatus.FAILED

        client = type("Client", (VerifiedClient, Client), {})()
        client.force_login(csm)
        page = client.get("/notices/failed/")
        assert staff_message.reference in page.content.decode()
        assert "could not be sent" in client.get("/notices/").content.decode()
        # Another partnership's staff never see it, nor resend it.
        outsider = type("Client", (VerifiedClient, Client), {})()
        outsider.force_login(other_partnership_csm)
        assert staff_message.reference not in outsider.get("/notices/failed/").content.decode()
        assert outsider.post(f"/notices/failed/{staff_message.pk}/resend/").status_code == 404

        smtp_sink.start()
        response = client.post(f"/notices/failed/{staff_message.pk}/resend/")
        assert response.status_code == 302
        sweep()
        sweep()
    assert smtp_sink.references() == [staff_message.reference]
    staff_message.refresh_from_db()
    assert staff_message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_message_bodies_are_deleted_on_the_retention_schedule_and_waiting_ones_kept():
    import io

    from django.utils import timezone

    with time_machine.travel(START, tick=False):
        sent, waiting = queue(2)
        Message.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT, sent_at=timezone.now())
    out = io.StringIO()
    call_command("retention", dry_run=True, as_of="2027-03-01", stdout=out)
    assert "sent message text" not in out.getvalue()  # not a year old yet
    call_command("retention", dry_run=True, as_of="2027-03-02", stdout=out)
    assert "1 sent message text(s)" in out.getvalue()
    assert Message.objects.get(pk=sent.pk).body == "Nothing personal."  # a dry run changes nothing
    call_command("retention", confirm=True, as_of="2027-03-02", stdout=out)
    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.body, sent.to, sent.subject) == ("", "", "")
    assert sent.body_deleted_at is not None and sent.status == MessageStatus.SENT
    assert waiting.body == "Nothing personal." and waiting.to == "person1@example.org"


@pytest.mark.django_db
def test_a_restore_blanks_again_the_message_texts_the_retention_schedule_deleted_after_the_backup(
    django_capture_on_commit_callbacks,
):
    """Issue 13: a restore re-applies retention deletions made after the backup; for the outbox the
    row stays (the record that it went) and its text and address go again."""
    from casereview.privacy.deletion_log import deletion_log_entries, deletion_log_replay
    from casereview.privacy.models import DeletionRecord

    with time_machine.travel(START, tick=False):
        sent, waiting = queue(2)
        Message.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)
    backup = {m.pk: (m.body, m.subject, m.to) for m in Message.objects.all()}  # as a backup holds them

    with django_capture_on_commit_callbacks(execute=True):  # the log file is written on commit
        call_command("retention", confirm=True, as_of="2027-03-02", stdout=_Null())
    [record] = DeletionRecord.objects.filter(model_label="notifications.message")
    assert record.object_pks == [sent.pk]
    assert "Nothing personal" not in record.reason and "person0" not in record.reason  # no personal data

    # The restore brings the text back …
    for pk, (body, subject, to) in backup.items():
        Message.objects.filter(pk=pk).update(body=body, subject=subject, to=to, body_deleted_at=None)
    # … and replaying the deletion log (as `casereview restore` does) blanks it again.
    assert deletion_log_replay(deletion_log_entries()) == 1
    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.body, sent.subject, sent.to) == ("", "", "") and sent.body_deleted_at is not None
    assert waiting.body == "Nothing personal." and waiting.to == "person1@example.org"
    assert deletion_log_replay(deletion_log_entries()) == 0  # replaying twice changes nothing more
