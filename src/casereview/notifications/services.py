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
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from casereview.applications.models import Application, Person
from casereview.applications.services import case_event_record

from .channels import ChannelError, Notifier, notifier_get
from .models import Message, MessageChannel, MessageStatus, Notice

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

CHANNEL_WORDS = {
    "in_app": "in-app notice",
    MessageChannel.EMAIL: "email",
    MessageChannel.SMS: "text message",
    MessageChannel.LETTER: "letter",
    MessageChannel.PHONE: "phone call",
}


# --- In-app notices ---------------------------------------------------------------------------------


def notice_create(*, recipient, text: str, url: str = "", application: Application | None = None) -> Notice:
    return Notice.objects.create(
        recipient=recipient,
        text=text[:300],
        url=url[:300],
        application=application,
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
    application: Application | None = None,
    recipient_user=None,
    recipient_person: Person | None = None,
    format_needs: str = "",
    language: str = "",
    staff_task_reason: str = "",
) -> Message:
    """Queue one message. With a `staff_task_reason` it is not sent by the system: a member of staff
    prints and posts it, phones, or produces it in the format or language the person needs."""
    message = Message.objects.create(
        application=application,
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


def message_deliver(*, message: Message, notifier: Notifier | None = None) -> Message:
    """Hand one queued message to the provider and record the outcome on it."""
    notifier = notifier or notifier_get()
    message.attempts += 1
    try:
        if message.channel == MessageChannel.EMAIL:
            result = notifier.send_email(message.to, message.subject, message.body, message.reference)
        elif message.channel == MessageChannel.SMS:
            result = notifier.send_sms(message.to, message.body, message.reference)
        elif message.channel == MessageChannel.LETTER:
            result = notifier.send_letter(
                message.to.splitlines(), message.subject, message.body, message.reference
            )
        else:
            raise ChannelError(f"no provider sends {message.get_channel_display().lower()}s")
    except ChannelError as exc:
        message.last_error = str(exc)[:300]
        message.status = MessageStatus.FAILED if message.attempts >= MAX_ATTEMPTS else MessageStatus.QUEUED
        # The message id and the error only: never the address or the text.
        logger.warning("Message %s not delivered (attempt %s): %s", message.pk, message.attempts, exc)
    else:
        message.provider = result.provider
        message.provider_reference = result.provider_reference[:100]
        if result.status == "staff_task":
            message.status = MessageStatus.STAFF_TASK
            message.staff_task_reason = result.reason[:300]
            if message.application_id:
                _staff_task_notices(message)
        else:
            message.status = MessageStatus.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
    message.save(
        update_fields=[
            "attempts",
            "last_error",
            "status",
            "provider",
            "provider_reference",
            "staff_task_reason",
            "sent_at",
        ]
    )
    return message


def messages_deliver(
    *, message_ids: Iterable[int] | None = None, notifier: Notifier | None = None, limit: int = 200
) -> dict[str, int]:
    """Deliver queued messages (the outbox). Each is locked while it is sent, and a message
    another worker holds is skipped, so two sweeps never send the same message twice."""
    notifier = notifier or notifier_get()
    counts = {"sent": 0, "failed": 0, "staff_task": 0, "retry": 0}
    queued = Message.objects.filter(status=MessageStatus.QUEUED).order_by("id")
    if message_ids is not None:
        queued = queued.filter(pk__in=list(message_ids))
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            message = (
                Message.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=MessageStatus.QUEUED)
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
        if message.application_id:
            case_event_record(
                application=message.application,
                kind="notification_sent",
                summary=f"{CHANNEL_WORDS[message.channel].capitalize()} to the victim sent by staff "
                f"({_purpose_words(message.purpose)}).",
                actor=actor,
                data={"channel": message.channel, "purpose": message.purpose, "message": message.pk},
            )
    return message


# --- Who gets what ---------------------------------------------------------------------------------------


def staff_notify(
    *,
    recipients: Iterable,
    purpose: str,
    text: str,
    url: str,
    application: Application | None = None,
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
            notices.append(notice_create(recipient=user, text=text, url=url, application=application))
            if user.email and email_subject:
                message_queue(
                    channel=MessageChannel.EMAIL,
                    purpose=purpose,
                    to=user.email,
                    subject=email_subject,
                    body=email_body,
                    application=application,
                    recipient_user=user,
                )
                if MessageChannel.EMAIL not in channels:
                    channels.append(MessageChannel.EMAIL)
        if application is not None:
            names = ", ".join(_staff_name(user) for user in people)
            how = " and ".join(CHANNEL_WORDS[c] for c in channels)
            case_event_record(
                application=application,
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
    application: Application,
    purpose: str,
    subject: str,
    body: str,
    actor=None,
    occurred_on: dt.date | None = None,
) -> Message:
    """Send the victim a message by the channel they asked for, in the format they need.

    Preferred contact (Person.preferred_contact): email and text go through the notifier; "letter"
    is printed and posted by staff (the notifier may post it through GOV.UK Notify when one is
    configured and the person needs no special format); "phone" is a call for the SPOC to make. Any
    format need (large print, braille, easy read …) or language other than English makes it a task
    for staff, because the system only writes standard English. With no preference recorded:
    email if we have an address, else a letter.
    """
    victim = application.victim
    preferred = victim.preferred_contact or ("email" if victim.email else "letter")
    channel, to, task = _victim_route(victim, preferred)
    if not task and (victim.format_needs or victim.language):
        needs = ", ".join(filter(None, [victim.format_needs, victim.language]))
        task = f"Produce it in the format or language the victim needs ({needs}) and send it."
    with transaction.atomic():
        message = message_queue(
            channel=channel,
            purpose=purpose,
            to=to,
            subject=subject,
            body=body,
            application=application,
            recipient_person=victim,
            format_needs=victim.format_needs,
            language=victim.language,
            staff_task_reason=task,
        )
        if task:
            _staff_task_notices(message)
        how = CHANNEL_WORDS[channel]
        case_event_record(
            application=application,
            kind="notification_sent",
            summary=(
                f"{how.capitalize()} to the victim prepared for staff to send: {_purpose_words(purpose)}."
                if task
                else f"{how.capitalize()} to the victim: {_purpose_words(purpose)}."
            ),
            actor=actor,
            occurred_on=occurred_on,
            data={"channel": channel, "purpose": purpose, "message": message.pk, "staff_task": bool(task)},
        )
    return message


def _victim_route(victim: Person, preferred: str) -> tuple[str, str, str]:
    """(channel, address, staff task reason or "") for the victim's preference and details."""
    address = "\n".join(filter(None, [victim.full_name, *victim.address.splitlines(), victim.postcode]))
    if preferred == "email" and victim.email:
        return MessageChannel.EMAIL, victim.email, ""
    if preferred == "text" and victim.phone:
        return MessageChannel.SMS, victim.phone, ""
    if preferred == "phone" and victim.phone:
        return MessageChannel.PHONE, victim.phone, "The victim asked to be phoned: call them and tell them."
    if preferred in {"email", "text", "phone"}:
        # The preferred channel has no address on record: fall back to a letter, done by staff.
        return MessageChannel.LETTER, address, f"No {preferred} details on record: print and post it instead."
    # A letter: the notifier may post it (GOV.UK Notify), else staff print it.
    return MessageChannel.LETTER, address, ""


def _staff_task_notices(message: Message) -> None:
    """Tell the people looking after the case that a message needs a person to send it."""
    application = message.application
    for user in case_contacts(application):
        notice_create(
            recipient=user,
            text=f"{CHANNEL_WORDS[message.channel].capitalize()} to the victim on {application.reference} "
            f"for staff to send: {_purpose_words(message.purpose)}.",
            url=f"/notices/tasks/{message.pk}/",
            application=application,
        )


def case_contacts(application: Application) -> list:
    """Who looks after a case: its SPOC, or the partnership's community safety managers if it has
    none yet."""
    from casereview.accounts.models import Role, User

    if application.spoc_id and application.spoc.is_active:
        return [application.spoc]
    return list(
        User.objects.filter(
            partnership_id=application.partnership_id,
            is_active=True,
            role_grants__role=Role.COMMUNITY_SAFETY_MANAGER,
        ).distinct()
    )


def case_managers(application: Application) -> list:
    """The partnership's active community safety managers."""
    from casereview.accounts.models import Role, User

    return list(
        User.objects.filter(
            partnership_id=application.partnership_id,
            is_active=True,
            role_grants__role=Role.COMMUNITY_SAFETY_MANAGER,
        )
        .distinct()
        .order_by("id")
    )


DANGER_WORDS = {
    "danger_reported": "someone was said to be in immediate danger when the application was made",
    "high_risk": "the vulnerability risk assessment is high",
}


def case_danger_alert(*, application: Application, why: str, actor=None, occurred_on=None) -> list[Notice]:
    """Tell the case's SPOC and the community safety managers at once that a case is in danger
    (`why`: "danger_reported" or "high_risk"): an in-app notice each and an email, queued in the
    caller's transaction (so a change that rolls back alerts nobody). The words name the case
    reference only: the email may be read on a phone in a public place."""
    what = DANGER_WORDS[why]
    url = f"/cases/{application.reference}/"
    recipients = ([application.spoc] if application.spoc_id else []) + case_managers(application)
    return staff_notify(
        recipients=recipients,
        purpose="danger_alert",
        text=f"Look at {application.reference} now: {what}.",
        url=url,
        application=application,
        email_subject=f"Look at case {application.reference} now: safety",
        email_body=f"On case {application.reference}, {what}.\n\n"
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
    "clock_due": "a deadline due today",
    "clock_overdue": "a deadline missed",
    "danger_alert": "a safety alert (danger or high risk)",
}


def _purpose_words(purpose: str) -> str:
    return PURPOSE_WORDS.get(purpose, purpose.replace("_", " "))
