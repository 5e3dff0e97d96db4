"""Dispatch: each issued letter reaches its person, and its clock is met only when it is sent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from casereview.applications import clocks
from casereview.applications.models import CaseEvent
from casereview.letters.dispatch import (
    letter_dispatch_mark_printed,
    letter_dispatch_mark_returned,
    letter_dispatch_mark_sent,
    letter_dispatch_redirect,
)
from casereview.letters.models import DispatchStatus, Letter, LetterDispatch
from casereview.letters.services import LetterNotReady, letter_issue
from casereview.notifications.channels import ChannelError
from casereview.notifications.models import Message, MessageStatus
from casereview.notifications.services import MAX_ATTEMPTS, messages_deliver, retry_delay
from tests.stale import form_version

from .conftest import record_decision

ISSUE_DAY = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)  # a Thursday


def set_victim(application, **fields):
    for name, value in fields.items():
        setattr(application.victim, name, value)
    application.victim.save()


def acknowledge(case, csm):
    from casereview.applications.services import application_acknowledge

    application_acknowledge(application=case, actor=csm, acknowledged_on=dt.date(2025, 4, 22))


def decision_clock(case, today):
    case.refresh_from_db()
    return {c.name: c for c in clocks.application_clocks(case, today=today)}["threshold_decision"]


def kinds(case):
    return list(CaseEvent.objects.filter(application=case).order_by("id").values_list("kind", flat=True))


@time_machine.travel(ISSUE_DAY, tick=False)
def test_an_emailed_letter_meets_its_clock_when_the_mail_server_accepts_it(
    case, csm, django_capture_on_commit_callbacks
):
    acknowledge(case, csm)
    record_decision(case, csm, decision="declined")
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
        # Issued, in the same transaction as its dispatch and its outbox message, but not yet sent.
        dispatch = letter.dispatches.get()
        assert dispatch.channel == "email" and dispatch.status == DispatchStatus.QUEUED
        assert dispatch.message.status == MessageStatus.QUEUED
        assert "decision_letter_dispatched" not in kinds(case)
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.SENT
    (email,) = mail.outbox
    assert email.to == ["jo@example.com"]
    assert email.extra_headers["X-Reference"] == dispatch.message.reference
    ((filename, content, mimetype),) = email.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF-")
    assert filename == letter.download_filename
    assert "decision_letter_dispatched" in kinds(case)
    sent = CaseEvent.objects.get(application=case, kind="letter_dispatched")
    assert sent.data["channel"] == "email" and sent.data["purpose"] == "letter_threshold_not_met"
    assert "Jo Bloggs" not in sent.summary and "jo@example.com" not in sent.summary
    assert decision_clock(case, dt.date(2025, 5, 2)).state == clocks.DONE


class DownMailServer:
    name = "down"

    def send_email(self, *args, **kwargs):
        raise ChannelError("the email server could not be reached (ConnectionRefusedError)")


def test_an_email_given_up_after_the_last_retry_reopens_the_clock_with_the_reason(case, csm):
    with time_machine.travel(ISSUE_DAY, tick=False) as clock:
        acknowledge(case, csm)
        record_decision(case, csm, decision="declined")
        letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            messages_deliver(notifier=DownMailServer())
            clock.shift(retry_delay(attempt))
    dispatch = letter.dispatches.get()
    assert dispatch.status == DispatchStatus.FAILED
    assert dispatch.message.status == MessageStatus.FAILED
    assert "letter_dispatch_failed" in kinds(case)
    assert "decision_letter_dispatched" not in kinds(case)
    found = decision_clock(case, dt.date(2025, 5, 20))
    assert found.state == clocks.OVERDUE
    assert "could not be sent" in found.reopened_reason


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_large_print_postal_letter_goes_to_the_print_queue_and_is_met_only_when_posted(
    case, csm, unchanged_rows
):
    set_victim(case, preferred_contact="letter", format_needs="Large print", language="Welsh")
    acknowledge(case, csm)
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    assert letter.large_print
    dispatch = letter.dispatches.get()
    assert (dispatch.channel, dispatch.via, dispatch.status) == ("post", "print_queue", DispatchStatus.QUEUED)
    assert dispatch.large_print and dispatch.language == "Welsh"
    assert dispatch.message is None and not Message.objects.filter(case=case).exists()
    assert decision_clock(case, dt.date(2025, 5, 1)).is_outstanding

    letter_dispatch_mark_printed(dispatch=dispatch, actor=csm)
    assert decision_clock(case, dt.date(2025, 5, 1)).is_outstanding  # printed is not posted
    letter_dispatch_mark_sent(dispatch=dispatch, actor=csm)
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.SENT and dispatch.sent_by == csm
    assert decision_clock(case, dt.date(2025, 5, 1)).state == clocks.DONE
    with unchanged_rows(), pytest.raises(ValidationError):
        letter_dispatch_mark_sent(dispatch=dispatch, actor=csm)  # once only
    assert kinds(case).count("decision_letter_dispatched") == 1


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_returned_letter_reopens_the_clock_until_it_is_handed_over(case, csm):
    set_victim(case, preferred_contact="letter")
    acknowledge(case, csm)
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    dispatch = letter.dispatches.get()
    letter_dispatch_mark_sent(dispatch=dispatch, actor=csm)
    letter_dispatch_mark_returned(
        dispatch=dispatch, actor=csm, reason="Returned by Royal Mail: not known here"
    )
    reopened = decision_clock(case, dt.date(2025, 5, 8))
    assert reopened.is_outstanding and reopened.done_on is None
    assert reopened.reopened_reason == "Returned by Royal Mail: not known here"

    by_hand = letter_dispatch_redirect(dispatch=dispatch, actor=csm, channel="by_hand")
    assert by_hand.letter_id == letter.pk and by_hand.status == DispatchStatus.QUEUED
    assert decision_clock(case, dt.date(2025, 5, 1)).is_outstanding
    letter_dispatch_mark_sent(dispatch=by_hand, actor=csm)
    assert decision_clock(case, dt.date(2025, 5, 1)).state == clocks.DONE


@time_machine.travel(ISSUE_DAY, tick=False)
def test_post_with_no_address_is_refused_saying_what_to_do_and_writes_nothing(
    case, csm, media_root, unchanged_rows
):
    set_victim(case, address="", postcode="")
    record_decision(case, csm, decision="declined")
    before = (Letter.objects.count(), LetterDispatch.objects.count(), Message.objects.count(), kinds(case))
    with unchanged_rows(), pytest.raises(LetterNotReady) as refused:
        letter_issue(case=case, kind="threshold_not_met", actor=csm, channel="post")
    assert "no postal address recorded" in refused.value.message
    assert "choose email or by hand" in refused.value.message
    after = (Letter.objects.count(), LetterDispatch.objects.count(), Message.objects.count(), kinds(case))
    assert before == after
    assert not list(media_root.rglob("*.pdf"))


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_third_party_applicants_letter_with_no_address_is_refused_until_one_is_recorded(wn, csm, client):
    from casereview.applications.models import Person
    from tests.factories import make_application

    case = make_application(
        wn,
        actor=csm,
        applicant=Person(full_name="Cllr Ann Helper"),
        applicant_relationship="councillor",
        victim_consent=True,
        incidents=[(dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12))],
    )
    client.force_login(csm)
    issue = f"/letters/case/{case.reference}/issue/"
    preview = client.get(f"/letters/case/{case.reference}/preview/?kind=acknowledgement")
    fingerprint = preview.context["fingerprint"]
    before = (Letter.objects.count(), LetterDispatch.objects.count(), kinds(case))
    refused = client.post(issue, {"kind": "acknowledgement", "fingerprint": fingerprint})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Cllr Ann Helper has no postal address recorded" in page
    contact = f"/letters/case/{case.reference}/contact/{case.applicant_id}/"
    assert f'href="{contact}"' in page  # the refusal links to where to record it
    assert (Letter.objects.count(), LetterDispatch.objects.count(), kinds(case)) == before

    saved = client.post(
        contact,
        {
            "address": "Civic Office\nNorthampton",
            "postcode": "nn1 1de",
            "version": form_version(client.get(contact)),
        },
    )
    assert saved.status_code == 302
    case.applicant.refresh_from_db()
    assert case.applicant.postcode == "NN1 1DE"
    updated = CaseEvent.objects.get(application=case, kind="contact_details_updated")
    assert "Civic Office" not in updated.summary and "the applicant" in updated.summary

    preview = client.get(f"/letters/case/{case.reference}/preview/?kind=acknowledgement")
    issued = client.post(issue, {"kind": "acknowledgement", "fingerprint": preview.context["fingerprint"]})
    assert issued.status_code == 302
    # The victim consented: the applicant's letter goes to them both, each their own copy and way.
    dispatch = LetterDispatch.objects.get(letter__case=case, recipient_name="Cllr Ann Helper")
    assert dispatch.channel == "post" and "Civic Office" in dispatch.to
    to_victim = LetterDispatch.objects.exclude(pk=dispatch.pk).get(letter__case=case)
    assert to_victim.recipient_name == str(case.victim) and "Civic Office" not in to_victim.to


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_way_the_person_refused_is_never_used_the_dispatch_is_held_for_staff(case, csm):
    set_victim(case, contact_refusals="email")
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm, channel="email")
    dispatch = letter.dispatches.get()
    assert dispatch.status == DispatchStatus.HELD and dispatch.message is None
    assert "not to be emailed" in dispatch.held_reason
    assert not Message.objects.filter(case=case).exists()
    # By default their own way is chosen instead: post (they have an address).
    record_decision(case, csm, decision="declined")
    assert letter_issue(case=case, kind="threshold_not_met", actor=csm).dispatches.get().channel == "post"


def test_the_print_queue_lists_large_print_letters_and_mark_posted_meets_the_clock(case, csm, client, demo):
    with time_machine.travel(ISSUE_DAY, tick=False):
        set_victim(case, preferred_contact="letter", format_needs="Large print")
        acknowledge(case, csm)
        record_decision(case, csm, decision="declined")
        letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
        dispatch = letter.dispatches.get()
        client.force_login(csm)
        queue = client.get("/letters/dispatch/").content.decode()
        assert f"/letters/dispatch/{dispatch.pk}/" in queue and "Large print" in queue
        assert client.post(f"/letters/dispatch/{dispatch.pk}/", {"action": "printed"}).status_code == 302
        assert client.post(f"/letters/dispatch/{dispatch.pk}/", {"action": "sent"}).status_code == 302
        dispatch.refresh_from_db()
        assert dispatch.status == DispatchStatus.SENT
        assert decision_clock(case, dt.date(2025, 5, 1)).state == clocks.DONE
        # Another partnership's staff cannot see or touch it.
        client.force_login(demo.user("is-csm"))
        assert client.get(f"/letters/dispatch/{dispatch.pk}/").status_code == 404
        assert f"/letters/dispatch/{dispatch.pk}/" not in client.get("/letters/dispatch/").content.decode()
