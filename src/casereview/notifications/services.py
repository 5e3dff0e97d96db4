"""Writes for notifications: in-app notices, messages to staff and to victims, their delivery.

Two rules run through this module:

- A message is *queued* in the same transaction as the decision to send it, and delivered after
  the transaction commits (and again by the sweep if that fails). A change that rolls back sends
  nothing; a provider that is down loses nothing.
- Every message about a case appears on its timeline as a `notification_sent` case event naming the
  channel, the purpose and who it went to — never the message itself, which may carry personal data
  the timeline's other readers (every agency party to the case) should not see.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casereview.applications.selectors import SAFE_CONTACT_REFUSALS, Application, Person
from casereview.applications.services import case_event_record

from .channels import Attachment, ChannelError, Notifier, notifier_get
from .models import Message, MessageChannel, MessageStatus, Notice

logger = logging.getLogger(__name__)

#: Back-off: after attempt n fails, the next is not before RETRY_SECONDS * 2**(n-1) (capped at
#: RETRY_CAP). With the defaults (60 s, 10 attempts) a message rides out a mail server down for
#: about eight hours before it is given up — and then it is on the failed messages page for staff
#: to resend, never dropped. Settings: CASEREVIEW_MESSAGE_MAX_ATTEMPTS, CASEREVIEW_MESSAGE_RETRY_SECONDS.
MAX_ATTEMPTS = 10
RETRY_SECONDS = 60
RETRY_CAP = dt.timedelta(hours=6)

#: Called with each message whose status changed (sent, failed, staff task, done by staff, resent),
#: inside the same transaction. Apps register here in AppConfig.ready() (the letters app moves its
#: dispatch on), so this app never imports them.
MESSAGE_OUTCOME_HANDLERS: list[Callable[[Message], None]] = []


def register_message_outcome_handler(handler: Callable[[Message], None]) -> None:
    if handler not in MESSAGE_OUTCOME_HANDLERS:
        MESSAGE_OUTCOME_HANDLERS.append(handler)


def _outcome(message: Message) -> None:
    for handler in MESSAGE_OUTCOME_HANDLERS:
        handler(message)


def max_attempts() -> int:
    return int(getattr(settings, "CASEREVIEW_MESSAGE_MAX_ATTEMPTS", MAX_ATTEMPTS))


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt (exponential back-off)."""
    base = float(getattr(settings, "CASEREVIEW_MESSAGE_RETRY_SECONDS", RETRY_SECONDS))
    return min(dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0)), RETRY_CAP)


CHANNEL_WORDS = {
    "in_app": "in-app notice",
    MessageChannel.EMAIL: "email",
    MessageChannel.SMS: "text message",
    MessageChannel.LETTER: "letter",
    MessageChannel.PHONE: "phone call",
}


# --- In-app notices ---------------------------------------------------------------------------------


def notice_create(*, recipient, text: str, url: str = "", case: Application | None = None) -> Notice:
    return Notice.objects.create(
        recipient=recipient,
        text=text[:300],
        url=url[:300],
        case=case,
        created_at=timezone.now(),
    )


def notices_mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all of them, or those given). Returns how many changed.
    Filtering on `recipient=user` is what stops anyone marking someone else's notices."""
    notices = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.update(read_at=timezone.now())


# --- Messages: queue, deliver ------------------------------------------------------------------------


def message_queue(
    *,
    channel: str,
    purpose: str,
    to: str,
    body: str,
    subject: str = "",
    case: Application | None = None,
    recipient_user=None,
    recipient_person: Person | None = None,
    format_needs: str = "",
    language: str = "",
    staff_task_reason: str = "",
    attachment: str = "",
    attachment_name: str = "",
) -> Message:
    """Queue one message, in the caller's transaction (the change that causes it). With a
    `staff_task_reason` it is not sent by the system: a member of staff prints and posts it,
    phones, or produces it in the format or language the person needs. `attachment` names a
    stored file (a letter's PDF) sent with it."""
    if not staff_task_reason and not to.strip():
        # Never "sent" to nobody: the caller must make it a task for staff instead.
        raise ValidationError("A message needs an address to be sent to.")
    message = Message.objects.create(
        attachment=attachment,
        attachment_name=attachment_name[:120],
        case=case,
        channel=channel,
        purpose=purpose,
        to=to,
        subject=subject[:200],
        body=body,
        recipient_user=recipient_user,
        recipient_person=recipient_person,
        format_needs=format_needs,
        language=language,
        status=MessageStatus.STAFF_TASK if staff_task_reason else MessageStatus.QUEUED,
        staff_task_reason=staff_task_reason[:300],
        created_at=timezone.now(),
    )
    if message.status == MessageStatus.QUEUED:
        transaction.on_commit(lambda: _deliver_quietly(message.pk))
    return message


def _deliver_quietly(message_id: int) -> None:
    try:
        messages_deliver(message_ids=[message_id])
    except Exception:  # never let a delivery problem break the request that queued it
        logger.exception("Delivering message %s failed; the sweep will retry", message_id)


def _attachment(message: Message) -> Attachment | None:
    if not message.attachment:
        return None
    try:
        with message.attachment.open("rb") as handle:
            content = handle.read()
    except OSError:
        raise ChannelError("the attached file is missing from the files directory") from None
    return Attachment(filename=message.attachment_name or "letter.pdf", content=content)


def message_deliver(*, message: Message, notifier: Notifier | None = None) -> Message:
    """Hand one queued message to the provider and record the outcome on it. A failure waits
    (exponential back-off) and is retried by the sweep; after the last attempt it is FAILED, on the
    failed messages page for staff to resend — never dropped silently."""
    notifier = notifier or notifier_get()
    message.attempts += 1
    try:
        attachment = _attachment(message)
        if message.channel == MessageChannel.EMAIL:
            if attachment is not None:
                result = notifier.send_email(
                    message.to, message.subject, message.body, message.reference, attachment=attachment
                )
            else:
                result = notifier.send_email(message.to, message.subject, message.body, message.reference)
        elif message.channel == MessageChannel.SMS:
            result = notifier.send_sms(message.to, message.body, message.reference)
        elif message.channel == MessageChannel.LETTER and attachment is not None:
            result = notifier.send_letter_pdf(attachment.content, message.reference)
        elif message.channel == MessageChannel.LETTER:
            result = notifier.send_letter(
                message.to.splitlines(), message.subject, message.body, message.reference
            )
        else:
            raise ChannelError(f"no provider sends {message.get_channel_display().lower()}s")
    except ChannelError as exc:
        message.last_error = str(exc)[:300]
        if message.attempts >= max_attempts():
            message.status = MessageStatus.FAILED
            message.next_attempt_at = None
        else:
            message.status = MessageStatus.QUEUED
            message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
        # The message id and the error only: never the address or the text.
        logger.warning("Message %s not delivered (attempt %s): %s", message.pk, message.attempts, exc)
    else:
        message.next_attempt_at = None
        message.provider = result.provider
        message.provider_reference = result.provider_reference[:100]
        if result.status == "staff_task":
            message.status = MessageStatus.STAFF_TASK
            message.staff_task_reason = result.reason[:300]
            if message.case_id:
                _staff_task_notices(message)
        else:
            message.status = MessageStatus.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
    message.save(
        update_fields=[
            "attempts",
            "next_attempt_at",
            "last_error",
            "status",
            "provider",
            "provider_reference",
            "staff_task_reason",
            "sent_at",
        ]
    )
    if message.status != MessageStatus.QUEUED:
        _outcome(message)
    return message


def messages_deliver(
    *, message_ids: Iterable[int] | None = None, notifier: Notifier | None = None, limit: int = 200
) -> dict[str, int]:
    """Deliver queued messages (the outbox). Each is locked while it is sent, and a message
    another worker holds is skipped, so two sweeps never send the same message twice."""
    notifier = notifier or notifier_get()
    counts = {"sent": 0, "failed": 0, "staff_task": 0, "retry": 0}
    now = timezone.now()
    ready = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    queued = Message.objects.filter(ready, status=MessageStatus.QUEUED).order_by("id")
    if message_ids is not None:
        queued = queued.filter(pk__in=list(message_ids))
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            message = (
                Message.objects.select_for_update(skip_locked=True)
                .filter(ready, pk=pk, status=MessageStatus.QUEUED)
                .first()
            )
            if message is None:
                continue
            message_deliver(message=message, notifier=notifier)
        key = {
            MessageStatus.SENT: "sent",
            MessageStatus.FAILED: "failed",
            MessageStatus.STAFF_TASK: "staff_task",
        }
        counts[key.get(message.status, "retry")] += 1
    return counts


def message_mark_done_by_staff(*, message: Message, actor) -> Message:
    """A member of staff has printed and posted the letter (or phoned, or sent it in the person's
    format): close the task and put it on the case's timeline."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status != MessageStatus.STAFF_TASK:
            return message
        message.status = MessageStatus.DONE_BY_STAFF
        message.done_by = actor
        message.sent_at = timezone.now()
        message.save(update_fields=["status", "done_by", "sent_at"])
        _outcome(message)
        if message.case_id:
            case_event_record(
                application=message.case,
                kind="notification_sent",
                summary=f"{CHANNEL_WORDS[message.channel].capitalize()} to "
                f"{'the victim' if message.recipient_person_id else 'the agency'} sent by staff "
                f"({_purpose_words(message.purpose)}).",
                actor=actor,
                data={"channel": message.channel, "purpose": message.purpose, "message": message.pk},
            )
    return message


def message_resend(*, message: Message, actor) -> Message:
    """Put a message that was given up (FAILED) back in the outbox, from the failed messages page.
    It keeps its reference, so a receiving system that did get it after all can drop the repeat."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status != MessageStatus.FAILED:
            raise ValidationError("This message is no longer waiting to be resent: it has been dealt with.")
        if message.body_deleted_at is not None:
            raise ValidationError(
                "This message's text has been deleted under the retention schedule, so it cannot be "
                "resent. Send a new one from the case."
            )
        message.status = MessageStatus.QUEUED
        message.attempts = 0
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        _outcome(message)
        if message.case_id:
            case_event_record(
                application=message.case,
                kind="notification_resent",
                summary=f"{CHANNEL_WORDS[message.channel].capitalize()} that could not be sent put back "
                f"in the outbox ({_purpose_words(message.purpose)}).",
                actor=actor,
                data={"channel": message.channel, "purpose": message.purpose, "message": message.pk},
            )
        transaction.on_commit(lambda: _deliver_quietly(message.pk))
    return message


# --- Who gets what ---------------------------------------------------------------------------------------


def staff_notify(
    *,
    recipients: Iterable,
    purpose: str,
    text: str,
    url: str,
    case: Application | None = None,
    email_subject: str = "",
    email_body: str = "",
    actor=None,
    occurred_on: dt.date | None = None,
) -> list[Notice]:
    """Tell members of staff something: an in-app notice each, and an email to those with an
    address. `text`, the subject and the body go to staff only but are still written without the
    victim's personal data: an email can be forwarded and read on a phone in a public place."""
    people = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        people.append(user)
    if not people:
        return []
    notices = []
    channels = ["in_app"]
    with transaction.atomic():
        for user in people:
            notices.append(notice_create(recipient=user, text=text, url=url, case=case))
            if user.email and email_subject:
                message_queue(
                    channel=MessageChannel.EMAIL,
                    purpose=purpose,
                    to=user.email,
                    subject=email_subject,
                    body=email_body,
                    case=case,
                    recipient_user=user,
                )
                if MessageChannel.EMAIL not in channels:
                    channels.append(MessageChannel.EMAIL)
        if case is not None:
            names = ", ".join(_staff_name(user) for user in people)
            how = " and ".join(CHANNEL_WORDS[c] for c in channels)
            case_event_record(
                application=case,
                kind="notification_sent",
                summary=f"{how.capitalize()} to {names}: {_purpose_words(purpose)}.",
                actor=actor,
                occurred_on=occurred_on,
                data={
                    "channel": channels[-1],
                    "channels": channels,
                    "purpose": purpose,
                    "recipients": [user.pk for user in people],
                },
            )
    return notices


def victim_notify(
    *,
    case: Application,
    purpose: str,
    subject: str,
    body: str,
    actor=None,
    occurred_on: dt.date | None = None,
    person: Person | None = None,
) -> Message:
    """Send the victim (or `person`: the third-party applicant) a message by the channel they asked
    for, in the format they need, never a way they refused.

    Preferred contact (Person.preferred_contact): email and text go through the notifier; "letter"
    is printed and posted by staff (the notifier may post it through GOV.UK Notify when one is
    configured and the person needs no special format); "phone" is a call for the SPOC to make. Any
    format need (large print, braille, easy read …) or language other than English makes it a task
    for staff, because the system only writes standard English. With no preference recorded:
    email if we have an address, else a letter. Safe contact (Person.contact_refusals): a way the
    person refused is never used — the message becomes a task for staff saying why — and a call
    carries their safe times and whether a voicemail may be left.
    """
    person = person or case.victim
    who = "the applicant" if case.applicant_id and person.pk == case.applicant_id else "the victim"
    preferred = person.preferred_contact or ("email" if person.email else "letter")
    channel, to, task = _victim_route(person, preferred)
    format_needs = person.format_needs
    if channel in (MessageChannel.EMAIL, MessageChannel.SMS):
        # An email or a text is read at the size the person's own device shows it: large print is
        # a need of paper. Other formats (easy read, braille, audio …) and languages still need staff.
        format_needs = ", ".join(
            part.strip()
            for part in format_needs.split(",")
            if part.strip() and "large" not in part.casefold()
        )
    if not task and (format_needs or person.language):
        needs = ", ".join(filter(None, [format_needs, person.language]))
        task = f"Produce it in the format or language {who} needs ({needs}) and send it."
    held = _disclosure_hold(case, subject=subject, body=body)
    if held:
        task = held  # never sent as written: staff see what matched and where, and decide
    with transaction.atomic():
        message = message_queue(
            channel=channel,
            purpose=purpose,
            to=to,
            subject=subject,
            body=body,
            case=case,
            recipient_person=person,
            format_needs=person.format_needs,
            language=person.language,
            staff_task_reason=task,
        )
        if task:
            staff_task_notices(message, who=who)
        how = CHANNEL_WORDS[channel]
        case_event_record(
            application=case,
            kind="notification_sent",
            summary=(
                f"{how.capitalize()} to {who} prepared for staff to send: {_purpose_words(purpose)}."
                if task
                else f"{how.capitalize()} to {who}: {_purpose_words(purpose)}."
            ),
            actor=actor,
            occurred_on=occurred_on,
            data={
                "channel": channel,
                "purpose": purpose,
                "message": message.pk,
                "staff_task": bool(task),
                "to": "applicant" if who == "the applicant" else "victim",
            },
        )
    return message


def people_owed(case: Application) -> list[Person]:
    """Who is told each step the victim is owed (the panel date, action progress): the victim and,
    on a third-party application the victim has consented to, the applicant as well — each by their
    own way, honouring their own safe-contact answers. Without that consent the applicant hears
    nothing of the victim's case (letters follow the same rule: letters.services.copy_recipients_for)."""
    people = [case.victim]
    if case.applicant_id and case.victim_consent is True:
        people.append(case.applicant)
    return people


def case_people_notify(
    *,
    case: Application,
    purpose: str,
    subject: str,
    body: str,
    actor=None,
    occurred_on: dt.date | None = None,
) -> list[Message]:
    """`victim_notify` to each of `people_owed(case)`: one message each, through the one
    outbox, each on the timeline ("to the victim", "to the applicant")."""
    return [
        victim_notify(
            case=case,
            person=person,
            purpose=purpose,
            subject=subject,
            body=body,
            actor=actor,
            occurred_on=occurred_on,
        )
        for person in people_owed(case)
    ]


#: The perpetrator check every message to a victim or applicant passes, `check(case=, text=,
#: where=)` giving findings with `.message()`; the letters app registers its own at ready().
DISCLOSURE_CHECKS: list[Callable] = []


def register_disclosure_check(check: Callable) -> None:
    if check not in DISCLOSURE_CHECKS:
        DISCLOSURE_CHECKS.append(check)


def _disclosure_hold(case: Application, *, subject: str, body: str) -> str:
    """The staff task for a message to the victim or the applicant whose words carry an alleged
    perpetrator's detail (the letters' own check, core.disclosure): "" when there is none. Every
    message to them — a completed action's description, a panel date, free text — goes through it,
    so words saved "as written" on a page are still never sent without a person deciding. The check
    is the letters' (registered at ready(): letters sit above this app, ADR 0037)."""
    findings = []
    for check in DISCLOSURE_CHECKS:
        findings += check(case=case, text=subject, where="the subject")
        findings += check(case=case, text=body, where="the message")
    if not findings:
        return ""
    return (
        f"Held by the disclosure check: {findings[0].message()} Remove it, then send the message, "
        "or ask a manager."
    )[:300]


def _call_advice(person: Person) -> str:
    advice = []
    if person.safe_contact_times:
        advice.append(f"Only call when it is safe: {person.safe_contact_times}.")
    if "voicemail" in person.refused_contact:
        advice.append("Do not leave a voicemail or answerphone message.")
    return (" " + " ".join(advice)) if advice else ""


def _victim_route(victim: Person, preferred: str) -> tuple[str, str, str]:
    """(channel, address, staff task reason or "") for the person's preference, details and the
    ways they refused (safe contact)."""
    refused = victim.refused_contact
    address = "\n".join(filter(None, [victim.full_name, *victim.address.splitlines(), victim.postcode]))
    asked = ""
    refusal = {"letter": "post"}.get(preferred, preferred)
    if refusal in refused:
        asked = f"They asked: {SAFE_CONTACT_REFUSALS[refusal].lower()}. "
    elif preferred == "email" and victim.email:
        return MessageChannel.EMAIL, victim.email, ""
    elif preferred == "text" and victim.phone:
        return MessageChannel.SMS, victim.phone, ""
    elif preferred == "phone" and victim.phone:
        return (
            MessageChannel.PHONE,
            victim.phone,
            "The person asked to be phoned: call them and tell them." + _call_advice(victim),
        )
    elif preferred == "letter" or preferred not in {"email", "text", "phone"}:
        # A letter: the notifier may post it (GOV.UK Notify), else staff print it.
        return MessageChannel.LETTER, address, ""
    if "post" not in refused and victim.address:
        missing = "" if asked else f"No {preferred} details on record: "
        return MessageChannel.LETTER, address, f"{asked}{missing}print and post it instead."
    if victim.email and "email" not in refused and preferred != "email":
        return MessageChannel.EMAIL, victim.email, f"{asked}Email it instead, checking it is safe to."
    if victim.phone and "phone" not in refused:
        return (
            MessageChannel.PHONE,
            victim.phone,
            f"{asked}No other safe way is on record: phone them instead." + _call_advice(victim),
        )
    return (
        MessageChannel.LETTER,
        address or victim.full_name,
        f"{asked}No safe way to reach them is on record: follow their contact safety notes, or record "
        "a safe way on the case.",
    )


def _staff_task_notices(message: Message) -> None:
    staff_task_notices(message, who="the victim")


def staff_task_notices(message: Message, *, who: str) -> None:
    """Tell the people looking after the case that a message needs a person to send it."""
    case = message.case
    for user in case_contacts(case):
        notice_create(
            recipient=user,
            text=f"{CHANNEL_WORDS[message.channel].capitalize()} to {who} on {case.reference} "
            f"for staff to send: {_purpose_words(message.purpose)}.",
            url=f"/notices/tasks/{message.pk}/",
            case=case,
        )


def case_contacts(case: Application) -> list:
    """Who looks after a case: its SPOC, or the partnership's community safety managers if it has
    none yet."""
    from casereview.accounts.models import Role
    from casereview.accounts.selectors import staff_in

    if case.spoc_id and case.spoc.is_active:
        return [case.spoc]
    return list(staff_in(case.partnership_id, roles=[Role.COMMUNITY_SAFETY_MANAGER]).distinct())


def case_managers(case: Application) -> list:
    """The partnership's active community safety managers."""
    from casereview.accounts.models import Role
    from casereview.accounts.selectors import staff_in

    return list(
        staff_in(case.partnership_id, roles=[Role.COMMUNITY_SAFETY_MANAGER]).distinct().order_by("id")
    )


DANGER_WORDS = {
    "danger_reported": "someone was said to be in immediate danger when the application was made",
    "high_risk": "the vulnerability risk assessment is high",
}


def case_danger_alert(*, case: Application, why: str, actor=None, occurred_on=None) -> list[Notice]:
    """Tell the case's SPOC and the community safety managers at once that a case is in danger
    (`why`: "danger_reported" or "high_risk"): an in-app notice each and an email, queued in the
    caller's transaction (so a change that rolls back alerts nobody). The words name the case
    reference only: the email may be read on a phone in a public place."""
    what = DANGER_WORDS[why]
    url = f"/cases/{case.reference}/"
    recipients = ([case.spoc] if case.spoc_id else []) + case_managers(case)
    return staff_notify(
        recipients=recipients,
        purpose="danger_alert",
        text=f"Look at {case.reference} now: {what}.",
        url=url,
        case=case,
        email_subject=f"Look at case {case.reference} now: safety",
        email_body=f"On case {case.reference}, {what}.\n\n"
        f"Open the case (sign in first): {url}\n\n"
        "The case page shows the details at the top. This email does not, to keep them safe.",
        actor=actor,
        occurred_on=occurred_on,
    )


def _staff_name(user) -> str:
    return f"{user} ({user.job_title})" if user.job_title else str(user)


PURPOSE_WORDS = {
    "action_overdue": "an overdue action",
    "action_escalated": "an overdue action escalated",
    "action_completed": "an action completed",
    "action_delayed": "an action delayed, with the new date",
    "clock_due": "a deadline due today",
    "clock_overdue": "a deadline missed",
    "information_request_reminder": "a reminder that information is due",
    "application_received": "the acknowledgement of the application",
    "danger_alert": "a safety alert (danger or high risk)",
}


def _purpose_words(purpose: str) -> str:
    return PURPOSE_WORDS.get(purpose, purpose.replace("_", " "))


# --- GOV.UK Notify's callbacks: what happened after it accepted a message ----------------------------

#: Notify's final statuses (its delivery receipts) and what they mean here. A status not listed
#: ("sending", "created", a letter's "accepted"/"received") changes nothing.
NOTIFY_STATUSES = {
    "delivered": "delivered",
    "permanent-failure": "failed",
    "temporary-failure": "failed",
    "technical-failure": "failed",
    "validation-failed": "failed",
    "virus-scan-failed": "failed",
    "returned-letter": "returned",
}
NOTIFY_STATUS_WORDS = {
    "delivered": "delivered",
    "permanent-failure": "the address does not exist or the provider refused it",
    "temporary-failure": "the provider could not deliver it (an inbox full or a phone switched off)",
    "technical-failure": "GOV.UK Notify had a technical failure and did not send it",
    "validation-failed": "GOV.UK Notify could not print the letter (its layout failed validation)",
    "virus-scan-failed": "GOV.UK Notify could not print the letter (it failed the virus scan)",
    "returned-letter": "Royal Mail returned the letter to GOV.UK Notify",
}

#: Called with (message, outcome, notify_status) when Notify reports on a message this service
#: sent: outcome is "delivered", "failed" or "returned". The letters app moves the letter's
#: dispatch on (and re-opens the clock); the handler returns True when it recorded the change
#: itself, so it is not recorded twice.
PROVIDER_STATUS_HANDLERS: list[Callable[[Message, str, str], bool]] = []


def register_provider_status_handler(handler: Callable[[Message, str, str], bool]) -> None:
    if handler not in PROVIDER_STATUS_HANDLERS:
        PROVIDER_STATUS_HANDLERS.append(handler)


def message_provider_status_record(*, notification_id: str, notify_status: str) -> Message | None:
    """GOV.UK Notify reports what became of a message it accepted (its delivery-status or
    returned-letter callback), by its notification id (`Message.provider_reference`). One
    transaction, the message locked: a delivered letter's dispatch is marked delivered; a failed
    or returned one is failed or returned and its clock re-opened (letters.dispatch); any other
    message about a case goes on the timeline, and a failed one onto the failed messages page to
    resend. Returns the message, or None when no message has that id (nothing is changed). A
    repeat of the same report changes nothing."""
    outcome = NOTIFY_STATUSES.get(notify_status)
    notification_id = (notification_id or "").strip()
    if not notification_id:
        return None
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(provider="notify", provider_reference=notification_id)
            .first()
        )
        if message is None or outcome is None:
            return message
        handled = False
        for handler in PROVIDER_STATUS_HANDLERS:
            handled = handler(message, outcome, notify_status) or handled
        if handled:
            return message
        if outcome in ("failed", "returned") and message.status == MessageStatus.SENT:
            message.status = MessageStatus.FAILED
            message.last_error = f"notify: {notify_status}"[:300]
            message.save(update_fields=["status", "last_error"])
        elif (
            outcome != "delivered"
            or message.status != MessageStatus.SENT
            or (
                message.case_id is None
                or message.case.events.filter(
                    kind="notification_delivered", data__message=message.pk
                ).exists()
            )
        ):
            return message
        if message.case_id:
            who = "a member of staff" if message.recipient_user_id else "the agency"
            if message.recipient_person_id:
                person = message.recipient_person
                case = message.case
                who = (
                    "the applicant" if case.applicant_id and person.pk == case.applicant_id else "the victim"
                )
            what = CHANNEL_WORDS[message.channel].capitalize()
            case_event_record(
                application=message.case,
                kind="notification_delivered" if outcome == "delivered" else "notification_failed",
                summary=(
                    f"{what} to {who} delivered ({_purpose_words(message.purpose)})."
                    if outcome == "delivered"
                    else f"{what} to {who} not delivered ({_purpose_words(message.purpose)}): "
                    f"{NOTIFY_STATUS_WORDS.get(notify_status, notify_status)}. It is on the failed "
                    "messages page to resend."
                ),
                data={
                    "channel": message.channel,
                    "purpose": message.purpose,
                    "message": message.pk,
                    "notify_status": notify_status,
                },
            )
    return message
