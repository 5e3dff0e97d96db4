"""Dispatch: how an issued letter reaches each of its recipients, and when it counts as sent.

A letter is issued (stored, on the case) and *dispatched* to its recipient in the same
transaction: one `LetterDispatch` per recipient and channel —

- **email**: a message in the notifications outbox with the PDF attached (GOV.UK Notify sends it
  as a secure link), queued in the letter's transaction and sent after it commits, retried with
  back-off by the sweep;
- **post**: the print queue (`/letters/dispatch/`), where staff download the PDF, mark it printed
  and then posted — or GOV.UK Notify's letter API, where the deployment turns it on
  (`CASEREVIEW_NOTIFY_POST_LETTERS`) and the person needs no special format;
- **by hand**: staff record it handed over.

The statutory clock a letter meets (the kind's `clock_event`, e.g. the threshold decision) is met
only when a dispatch is *sent*: email when the mail server or Notify accepts it, post when staff
mark it posted (or Notify accepts it), by hand when recorded. Each is a case event recorded in the
same transaction as the dispatch's change of status — `letter_dispatched` for every letter and
`<what>_letter_dispatched` (e.g. `decision_letter_dispatched`) for a letter with a clock — and a
failed or returned dispatch records `letter_dispatch_failed` and `<what>_letter_dispatch_failed`,
which re-open the clock (applications.clocks reads only the events, never these rows).

Safe contact: a channel the person said must not be used (Person.contact_refusals, asked by the
online form and the staff forms) is never used; the dispatch is held as a task for staff saying
why. A post dispatch with no postal address is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from casereview.applications.services import case_event_record
from casereview.notifications.services import (
    Message,
    MessageChannel,
    MessageStatus,
    case_contacts,
    message_queue,
    notice_create,
)

from .kinds import KINDS
from .models import Audience, DispatchChannel, DispatchStatus, Letter, LetterDispatch
from .rendering import LetterNotReady, Recipient

CHANNEL_WORDS = {
    DispatchChannel.EMAIL: "by email",
    DispatchChannel.POST: "by post",
    DispatchChannel.BY_HAND: "by hand",
}

#: The safe-contact answers (Person.contact_refusals) each channel must respect.
REFUSAL_FOR = {
    DispatchChannel.EMAIL: "email",
    DispatchChannel.POST: "post",
    DispatchChannel.BY_HAND: "visit",
}
REFUSAL_WORDS = {
    "post": "not to be sent post",
    "email": "not to be emailed",
    "visit": "not to be visited at home",
    "phone": "not to be phoned",
    "text": "not to be sent text messages",
    "voicemail": "no voicemail or answerphone messages",
}


@dataclass(frozen=True)
class DispatchPlan:
    """How one recipient will get the letter, decided (and refused) before anything is written."""

    channel: str
    to: str
    held_reason: str = ""


def dispatch_event_kinds(kind: str) -> tuple[str, str] | None:
    """(dispatched, failed) event kinds for a letter kind that meets a clock, else None:
    `decision_letter_issued` -> (`decision_letter_dispatched`, `decision_letter_dispatch_failed`)."""
    clock_event = KINDS[kind].clock_event
    if not clock_event:
        return None
    stem = clock_event.removesuffix("_issued")
    return f"{stem}_dispatched", f"{stem}_dispatch_failed"


def person_refusals(person) -> set[str]:
    """The ways this person said we must not contact them (safe contact)."""
    raw = getattr(person, "contact_refusals", "") or ""
    return {part.strip() for part in raw.split(",") if part.strip()}


def dispatch_channel_default(recipient: Recipient) -> str:
    """The person's preferred way, among those that can carry a letter and they have not refused:
    email when they prefer it (or state no preference) and have an address; else post (refused at issue
    when there is no address); else email; else by hand."""
    person = recipient.person
    preferred = getattr(person, "preferred_contact", "") or ""
    refused = person_refusals(person)
    can_email = bool(recipient.email) and "email" not in refused
    if can_email and preferred in ("email", ""):
        return DispatchChannel.EMAIL
    if "post" not in refused and (recipient.address_lines or not can_email):
        # With no address either, post is still the default: issuing is then refused until an
        # address is recorded or another way chosen (never a silent "by hand").
        return DispatchChannel.POST
    if can_email:
        return DispatchChannel.EMAIL
    return DispatchChannel.BY_HAND


def contact_details_url(case, recipient: Recipient) -> str:
    person = recipient.person
    if case is None or person is None or getattr(person, "pk", None) is None:
        return ""
    try:
        return reverse("letters:contact", args=[case.reference, person.pk])
    except NoReverseMatch:
        return ""


def dispatch_plan(*, case, recipient: Recipient, channel: str | None = None) -> DispatchPlan:
    """How the letter will reach `recipient`. Raises LetterNotReady — saying what to record, and
    where — when the chosen way has no address; holds it for staff (with the reason) when the
    person asked not to be contacted that way."""
    channel = channel or dispatch_channel_default(recipient)
    if channel not in DispatchChannel.values:
        raise LetterNotReady("Choose how the letter will be sent: by email, by post or by hand.")
    where = contact_details_url(case, recipient)
    record = f" Record it on the contact details page ({where})" if where else " Record it"
    if channel == DispatchChannel.EMAIL and not recipient.email:
        raise LetterNotReady(
            f"{recipient.name} has no email address recorded, so the letter cannot be emailed."
            f"{record}, or choose post or by hand."
        )
    if channel == DispatchChannel.POST and not recipient.address_lines:
        raise LetterNotReady(
            f"{recipient.name} has no postal address recorded, so the letter cannot be posted."
            f"{record}, or choose email or by hand."
        )
    to = recipient.email if channel == DispatchChannel.EMAIL else recipient.full_address
    held = ""
    refusal = REFUSAL_FOR.get(channel)
    if refusal in person_refusals(recipient.person):
        held = (
            f"The person asked {REFUSAL_WORDS[refusal]}, so this letter is held: choose another way "
            "they have agreed to, or phone them at a safe time."
        )
    return DispatchPlan(channel=channel, to=to, held_reason=held)


def _posts_through_notify(dispatch: LetterDispatch) -> bool:
    """GOV.UK Notify prints standard letters only: anything in large print, another format or
    language goes to the print queue, where staff can honour it."""
    return bool(
        getattr(settings, "CASEREVIEW_NOTIFY_API_KEY", "")
        and getattr(settings, "CASEREVIEW_NOTIFY_POST_LETTERS", False)
        and not dispatch.large_print
        and not dispatch.format_needs
        and not dispatch.language
    )


def _email_body(letter: Letter) -> str:
    partnership = letter.partnership
    contact = ", ".join(filter(None, [partnership.contact_phone, partnership.contact_email]))
    reference = f" about ASB Case Review {letter.case.reference}" if letter.case_id else ""
    return (
        f"Dear {letter.recipient_name},\n\n"
        f"Please find attached a letter from {partnership.name}{reference}: “{letter.subject}”.\n\n"
        "If you cannot open it, or need it in another format or language, contact us"
        + (f" ({contact})" if contact else "")
        + " and we will send it the way you need.\n"
    )


def letter_dispatches_create(*, letter: Letter, plans: list[DispatchPlan], actor) -> list[LetterDispatch]:
    """In the letter's own transaction (letters.services.letter_issue): one dispatch per plan,
    its outbox message queued where the system sends it."""
    now = timezone.now()
    dispatches = []
    format_needs = ""
    language = ""
    case = letter.case
    recipient_person = _person_of(letter)
    if recipient_person is not None:
        format_needs = recipient_person.format_needs
        language = recipient_person.language
    for plan in plans:
        dispatch = LetterDispatch(
            letter=letter,
            channel=plan.channel,
            recipient_name=letter.recipient_name,
            to=plan.to,
            large_print=letter.large_print,
            format_needs=format_needs,
            language=language,
            created_at=now,
        )
        if plan.held_reason:
            dispatch.status = DispatchStatus.HELD
            dispatch.held_reason = plan.held_reason[:300]
        elif plan.channel == DispatchChannel.POST:
            dispatch.via = "notify" if _posts_through_notify(dispatch) else "print_queue"
        dispatch.save()
        if dispatch.status == DispatchStatus.QUEUED and (
            plan.channel == DispatchChannel.EMAIL or dispatch.via == "notify"
        ):
            dispatch.message = message_queue(
                channel=MessageChannel.EMAIL
                if plan.channel == DispatchChannel.EMAIL
                else MessageChannel.LETTER,
                purpose=f"letter_{letter.kind}",
                to=plan.to,
                subject=letter.subject,
                body=_email_body(letter),
                case=case,
                recipient_person=recipient_person,
                format_needs=format_needs,
                language=language,
                attachment=letter.pdf.name,
                attachment_name=letter.download_filename,
            )
            dispatch.save(update_fields=["message"])
        if dispatch.status == DispatchStatus.HELD and case is not None:
            _tell_case_contacts(dispatch, f"held: {dispatch.held_reason}")
        dispatches.append(dispatch)
    return dispatches


def _tell_case_contacts(dispatch: LetterDispatch, what: str) -> None:
    letter = dispatch.letter
    case = letter.case
    for user in case_contacts(case):
        notice_create(
            recipient=user,
            text=f"{case.reference}: the “{KINDS[letter.kind].label}” letter "
            f"{CHANNEL_WORDS[dispatch.channel]} is {what}"[:300],
            url=reverse("letters:dispatch_detail", args=[dispatch.pk]),
            case=case,
        )


def _who(dispatch: LetterDispatch) -> str:
    letter = dispatch.letter
    case = letter.case
    if letter.audience == Audience.PARTNERS:
        return letter.recipient_name
    if letter.audience == Audience.PERPETRATOR:
        return "an alleged perpetrator"
    if case is not None and case.applicant_id and letter.recipient_name == str(case.applicant):
        return "the applicant"
    return "the victim"


def _record_sent(dispatch: LetterDispatch, *, actor, on: dt.date) -> None:
    letter = dispatch.letter
    if letter.case_id is None:
        return
    label = KINDS[letter.kind].label
    data = {
        "letter_id": letter.pk,
        "letter_kind": letter.kind,
        "dispatch": dispatch.pk,
        "channel": dispatch.channel,
        "purpose": f"letter_{letter.kind}",
    }
    case_event_record(
        application=letter.case,
        kind="letter_dispatched",
        summary=f"“{label}” letter sent to {_who(dispatch)} {CHANNEL_WORDS[dispatch.channel]}.",
        actor=actor,
        occurred_on=on,
        data=data,
    )
    kinds = dispatch_event_kinds(letter.kind)
    if kinds:
        case_event_record(
            application=letter.case,
            kind=kinds[0],
            summary=f"{label} letter sent {CHANNEL_WORDS[dispatch.channel]}.",
            actor=actor,
            occurred_on=on,
            data=data,
        )


def _record_failed(dispatch: LetterDispatch, *, actor, on: dt.date, reason: str) -> None:
    letter = dispatch.letter
    if letter.case_id is None:
        return
    label = KINDS[letter.kind].label
    data = {
        "letter_id": letter.pk,
        "letter_kind": letter.kind,
        "dispatch": dispatch.pk,
        "channel": dispatch.channel,
        "status": dispatch.status,
        "reason": reason,
    }
    case_event_record(
        application=letter.case,
        kind="letter_dispatch_failed",
        summary=f"“{label}” letter {CHANNEL_WORDS[dispatch.channel]} to {_who(dispatch)} "
        f"{'came back' if dispatch.status == DispatchStatus.RETURNED else 'could not be sent'}: {reason}",
        actor=actor,
        occurred_on=on,
        data=data,
    )
    kinds = dispatch_event_kinds(letter.kind)
    if kinds:
        case_event_record(
            application=letter.case,
            kind=kinds[1],
            summary=f"{label} letter not received: send it again another way.",
            actor=actor,
            occurred_on=on,
            data=data,
        )
    _tell_case_contacts(dispatch, f"{dispatch.get_status_display().lower()}: {reason}")


def _locked(dispatch: LetterDispatch) -> LetterDispatch:
    # of=("self",): PostgreSQL cannot lock the nullable side of an outer join (a letter with no case).
    return (
        LetterDispatch.objects.select_for_update(of=("self",))
        .select_related("letter__case", "letter__partnership")
        .get(pk=dispatch.pk)
    )


def dispatch_message_outcome(message: Message) -> None:
    """The outbox's hook (registered in LettersConfig.ready): a letter's message was accepted,
    given up, or turned out to need staff. Runs in the outbox's transaction."""
    dispatch = LetterDispatch.objects.filter(message=message).first()
    if dispatch is None:
        return
    dispatch = _locked(dispatch)
    today = timezone.localdate()
    if message.status == MessageStatus.SENT and dispatch.status in (
        DispatchStatus.QUEUED,
        DispatchStatus.FAILED,
    ):
        dispatch.status = DispatchStatus.SENT
        dispatch.sent_at = message.sent_at or timezone.now()
        dispatch.save(update_fields=["status", "sent_at"])
        _record_sent(dispatch, actor=None, on=today)
    elif message.status == MessageStatus.FAILED and dispatch.status == DispatchStatus.QUEUED:
        dispatch.status = DispatchStatus.FAILED
        dispatch.failed_at = timezone.now()
        dispatch.failure_reason = f"the message could not be sent after {message.attempts} attempts"[:300]
        dispatch.save(update_fields=["status", "failed_at", "failure_reason"])
        _record_failed(dispatch, actor=None, on=today, reason=dispatch.failure_reason)
    elif message.status == MessageStatus.QUEUED and dispatch.status == DispatchStatus.FAILED:
        # Resent from the failed messages page: waiting again (the clock stays open until sent).
        dispatch.status = DispatchStatus.QUEUED
        dispatch.save(update_fields=["status"])
    elif message.status == MessageStatus.STAFF_TASK and dispatch.channel == DispatchChannel.POST:
        # Notify could not post it (an address it cannot print): staff print it instead.
        message.status = MessageStatus.DONE_BY_STAFF
        message.save(update_fields=["status"])
        dispatch.via = "print_queue"
        dispatch.message = None
        dispatch.save(update_fields=["via", "message"])


def dispatch_provider_status(message: Message, outcome: str, notify_status: str) -> bool:
    """The outbox's hook for GOV.UK Notify's callbacks (registered in LettersConfig.ready): what
    became of a letter Notify accepted. Runs in the callback's transaction, the message locked.

    delivered: the dispatch is marked delivered (`letter_delivered` on the timeline; the clock was
    already met when Notify accepted it). failed / returned: the dispatch is failed / returned and
    recorded exactly as staff recording it returned is (`_record_failed`: `letter_dispatch_failed`
    and the kind's `<what>_letter_dispatch_failed`, which re-open the clock, and the case's
    contacts told), so it shows as overdue until it is sent another way. A failed email's message
    also goes onto the failed messages page to resend. Returns True when the message was a
    letter's (recorded here), False to let the outbox record it."""
    from casereview.notifications.services import NOTIFY_STATUS_WORDS

    dispatch = LetterDispatch.objects.filter(message=message).first()
    if dispatch is None:
        return False
    dispatch = _locked(dispatch)
    today = timezone.localdate()
    if outcome == "delivered":
        if dispatch.status != DispatchStatus.SENT:
            return True  # a repeat, or news of a letter already failed or returned: nothing to change
        dispatch.status = DispatchStatus.DELIVERED
        dispatch.save(update_fields=["status"])
        letter = dispatch.letter
        if letter.case_id:
            case_event_record(
                application=letter.case,
                kind="letter_delivered",
                summary=f"“{KINDS[letter.kind].label}” letter {CHANNEL_WORDS[dispatch.channel]} to "
                f"{_who(dispatch)} delivered (GOV.UK Notify).",
                occurred_on=today,
                data={
                    "letter_id": letter.pk,
                    "letter_kind": letter.kind,
                    "dispatch": dispatch.pk,
                    "channel": dispatch.channel,
                    "notify_status": notify_status,
                },
            )
        return True
    if dispatch.status not in (DispatchStatus.QUEUED, DispatchStatus.SENT, DispatchStatus.DELIVERED):
        return True  # already failed or returned (a repeated callback): recorded once
    dispatch.status = DispatchStatus.RETURNED if outcome == "returned" else DispatchStatus.FAILED
    dispatch.failed_at = timezone.now()
    dispatch.failure_reason = NOTIFY_STATUS_WORDS.get(notify_status, notify_status)[:300]
    dispatch.save(update_fields=["status", "failed_at", "failure_reason"])
    if outcome == "failed" and message.status == MessageStatus.SENT:
        message.status = MessageStatus.FAILED
        message.last_error = f"notify: {notify_status}"[:300]
        message.save(update_fields=["status", "last_error"])
    _record_failed(dispatch, actor=None, on=today, reason=dispatch.failure_reason)
    return True


def _check_open(dispatch: LetterDispatch, *, allowed: tuple[str, ...], what: str) -> None:
    if dispatch.status not in allowed:
        raise ValidationError(
            f"This letter cannot be {what}: it is already {dispatch.get_status_display().lower()}."
        )


def _check_day(day: dt.date, field_name: str, letter: Letter) -> None:
    if day > timezone.localdate():
        raise ValidationError({field_name: "The date must be today or in the past"})
    if day < letter.issued_on:
        raise ValidationError({field_name: "The date must be on or after the day the letter was issued"})


def letter_dispatch_mark_printed(*, dispatch: LetterDispatch, actor) -> LetterDispatch:
    with transaction.atomic():
        dispatch = _locked(dispatch)
        _check_open(dispatch, allowed=(DispatchStatus.QUEUED,), what="marked printed")
        if dispatch.channel != DispatchChannel.POST:
            raise ValidationError("Only a letter going by post is printed here.")
        dispatch.printed_at = timezone.now()
        dispatch.printed_by = actor
        dispatch.save(update_fields=["printed_at", "printed_by"])
        if dispatch.letter.case_id:
            case_event_record(
                application=dispatch.letter.case,
                kind="letter_printed",
                summary=f"“{KINDS[dispatch.letter.kind].label}” letter printed for posting"
                + (" (large print)." if dispatch.large_print else "."),
                actor=actor,
                data={"letter_id": dispatch.letter_id, "dispatch": dispatch.pk},
            )
    return dispatch


def letter_dispatch_mark_sent(
    *, dispatch: LetterDispatch, actor, sent_on: dt.date | None = None
) -> LetterDispatch:
    """Staff posted it (post) or handed it over (by hand): the letter is sent, its clock met."""
    sent_on = sent_on or timezone.localdate()
    with transaction.atomic():
        dispatch = _locked(dispatch)
        if dispatch.channel == DispatchChannel.EMAIL:
            raise ValidationError("An email is sent by the outbox, not marked sent by hand.")
        _check_open(dispatch, allowed=(DispatchStatus.QUEUED,), what="marked sent")
        _check_day(sent_on, "sent_on", dispatch.letter)
        dispatch.status = DispatchStatus.SENT
        dispatch.sent_at = timezone.now()
        dispatch.sent_by = actor
        dispatch.save(update_fields=["status", "sent_at", "sent_by"])
        _record_sent(dispatch, actor=actor, on=sent_on)
    return dispatch


def letter_dispatch_mark_returned(
    *, dispatch: LetterDispatch, actor, reason: str, returned_on: dt.date | None = None
) -> LetterDispatch:
    """The letter came back (post returned, the person says it never arrived, an email bounced):
    the clock it met is open again until it is sent another way."""
    returned_on = returned_on or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the letter came back or was not received"})
    with transaction.atomic():
        dispatch = _locked(dispatch)
        _check_open(dispatch, allowed=(DispatchStatus.SENT, DispatchStatus.DELIVERED), what="marked returned")
        _check_day(returned_on, "returned_on", dispatch.letter)
        dispatch.status = DispatchStatus.RETURNED
        dispatch.failed_at = timezone.now()
        dispatch.failure_reason = reason.strip()[:300]
        dispatch.save(update_fields=["status", "failed_at", "failure_reason"])
        _record_failed(dispatch, actor=actor, on=returned_on, reason=dispatch.failure_reason)
    return dispatch


def _person_of(letter: Letter):
    """The case's person (applicant or victim) a letter is addressed to, or None."""
    case = letter.case
    if case is None:
        return None
    return next(
        (p for p in (case.applicant, case.victim) if p and str(p) == letter.recipient_name),
        None,
    )


def _recipient_of(letter: Letter) -> Recipient:
    """The person a stored letter is addressed to, with their contact details as recorded now."""
    from .context import recipient_for_person

    person = _person_of(letter)
    return recipient_for_person(person) if person is not None else Recipient.as_issued(letter)


def letter_dispatch_on_release(*, letter: Letter, actor) -> list[LetterDispatch]:
    """A letter the disclosure check held is sent only once a manager releases it
    (letters.services.letter_release, in its transaction): the way the person prefers, or held for
    staff where it cannot be used. Letters to partners are circulated by the part that issues them."""
    if letter.audience == Audience.PARTNERS:
        return []
    plan = dispatch_plan(case=letter.case, recipient=_recipient_of(letter))
    return letter_dispatches_create(letter=letter, plans=[plan], actor=actor)


def letter_dispatch_redirect(*, dispatch: LetterDispatch, actor, channel: str) -> LetterDispatch:
    """Send a held, failed or returned letter another way: a new dispatch of the same letter (the
    first stays on record). Refused, saying what to record, when the new way has no address."""
    with transaction.atomic():
        dispatch = _locked(dispatch)
        _check_open(
            dispatch,
            allowed=(DispatchStatus.HELD, DispatchStatus.FAILED, DispatchStatus.RETURNED),
            what="sent another way",
        )
        letter = dispatch.letter
        case = letter.case
        recipient = _recipient_of(letter)
        plan = dispatch_plan(case=case, recipient=recipient, channel=channel)
        if dispatch.status == DispatchStatus.HELD:
            dispatch.status = DispatchStatus.FAILED
            dispatch.failure_reason = f"sent {CHANNEL_WORDS[channel]} instead"
            dispatch.failed_at = timezone.now()
            dispatch.save(update_fields=["status", "failure_reason", "failed_at"])
        (new,) = letter_dispatches_create(letter=letter, plans=[plan], actor=actor)
    return new
