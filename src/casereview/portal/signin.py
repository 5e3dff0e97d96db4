"""Sign-in to the victim's own view with a one-time code (ADR 0054).

The person gives their case reference and the email address or mobile number they applied with. If
they match the victim or the third-party applicant on that case, and the person's safe-contact
answers allow that way, a 6-digit code goes to it through the notifications outbox (email by SMTP or
GOV.UK Notify, a text by Notify only). Whatever happens, the answer is the same: the same page, and
the same time (the view pads every answer to `CASEREVIEW_PORTAL_CODE_SECONDS`), so trying
references or numbers tells nobody whether they are known.

Codes are kept as an HMAC only (keyed with SECRET_KEY and the pending sign-in's random token, so
a database reader cannot try the million codes offline without the key), expire after
`CODE_LIFETIME`, are spent on first use, and allow `CODE_TRIES` wrong answers. Requests are
rate limited per reference and per IP address (`SignInRequest`), known case or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casereview.applications.selectors import case_by_reference
from casereview.core.disclosure import phone_digits
from casereview.notifications.channels import notifier_get
from casereview.notifications.services import message_queue

from .models import CodeChannel, PortalRole, SignInCode, SignInRequest

CODE_LIFETIME = dt.timedelta(minutes=10)
CODE_TRIES = 5
PURPOSE = "portal_sign_in_code"

#: At most this many code requests per reference in REFERENCE_WINDOW, and per IP address in
#: IP_WINDOW; more are answered "too many tries" whether the reference exists or not.
REFERENCE_LIMIT = 5
REFERENCE_WINDOW = dt.timedelta(minutes=15)
IP_LIMIT = 20
IP_WINDOW = dt.timedelta(hours=1)


def reference_key(reference: str) -> str:
    """The rate limit's key for a reference: its hash, so the table holds no reference."""
    return hashlib.sha256((reference or "").strip().upper().encode()).hexdigest()[:40]


def _hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _normal_email(text: str) -> str:
    return (text or "").strip().casefold()


def is_email(contact: str) -> bool:
    return "@" in (contact or "")


@dataclass(frozen=True)
class Match:
    case: object
    person: object
    role: str
    channel: str
    to: str


def _match(case, contact: str) -> Match | None:
    """The victim or applicant whose email or mobile number `contact` is, by a way they allow."""
    if case is None:
        return None
    people = [(case.victim, PortalRole.VICTIM)]
    if case.applicant_id:
        people.append((case.applicant, PortalRole.APPLICANT))
    for person, role in people:
        refused = person.refused_contact
        if is_email(contact):
            if person.email and hmac.compare_digest(_normal_email(contact), _normal_email(person.email)):
                if "email" in refused:
                    return None
                return Match(case, person, role, CodeChannel.EMAIL, person.email)
        else:
            given = phone_digits(contact)
            if person.phone and given and hmac.compare_digest(given, phone_digits(person.phone)):
                # A text needs GOV.UK Notify: by SMTP it would become a task for staff to text the
                # code, and staff must never see it.
                if "text" in refused or notifier_get().name != "notify":
                    return None
                return Match(case, person, role, CodeChannel.SMS, person.phone)
    return None


def rate_limited(*, reference: str, ip: str | None, now: dt.datetime) -> bool:
    by_reference = SignInRequest.objects.filter(
        reference_key=reference_key(reference), at__gt=now - REFERENCE_WINDOW
    ).count()
    by_ip = SignInRequest.objects.filter(ip_address=ip, at__gt=now - IP_WINDOW).count() if ip else 0
    return by_reference >= REFERENCE_LIMIT or by_ip >= IP_LIMIT


def _code_text(case, code: str) -> tuple[str, str]:
    with translation.override(case.language or "en"):
        subject = _("Your code to see your ASB Case Review")
        body = _(
            "Your code is %(code)s\n\n"
            "Enter it on the page that asked for it. It works once, for 10 minutes.\n\n"
            "If you did not ask for it, you can ignore this message: nobody can see your review "
            "without the code."
        ) % {"code": code}
    return subject, body


@transaction.atomic
def code_request(
    *, reference: str, contact: str, ip: str | None, now: dt.datetime | None = None
) -> tuple[str, bool]:
    """Ask for a code. Returns (the pending sign-in's token for the session, whether the request was
    refused as too many). Sends a code only when the details match and the way is allowed; the
    caller cannot tell (that is the point)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    limited = rate_limited(reference=reference, ip=ip, now=now)
    SignInRequest.objects.create(reference_key=reference_key(reference), ip_address=ip, at=now)
    if limited:
        return token, True
    match = _match(case_by_reference(reference), contact)
    code = f"{secrets.randbelow(10**6):06d}"
    code_hash = _hash(token + code)  # computed either way: the same work for a known case or not
    if match is None:
        return token, False
    SignInCode.objects.create(
        case=match.case,
        role=match.role,
        channel=match.channel,
        pending_hash=hashlib.sha256(token.encode()).hexdigest(),
        code_hash=code_hash,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    subject, body = _code_text(match.case, code)
    message_queue(
        channel=match.channel,
        purpose=PURPOSE,
        to=match.to,
        subject=subject,
        body=body,
        recipient_person=match.person,
        language=match.case.language if match.case.language != "en" else "",
    )
    return token, False


@transaction.atomic
def code_verify(*, token: str, code: str, now: dt.datetime | None = None) -> SignInCode | None:
    """The code's record when `code` is right for the pending sign-in `token`, spending it; None
    otherwise (wrong, expired, spent, too many tries, or no code was ever sent)."""
    now = now or timezone.now()
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    row = (
        SignInCode.objects.select_for_update()
        .filter(pending_hash=hashlib.sha256((token or "").encode()).hexdigest())
        .first()
    )
    expected = _hash((token or "") + code)
    if row is None or row.used_at is not None or row.expires_at <= now or row.tries >= CODE_TRIES:
        return None
    row.tries += 1
    if not hmac.compare_digest(expected, row.code_hash):
        row.save(update_fields=["tries"])
        return None
    row.used_at = now
    row.save(update_fields=["tries", "used_at"])
    return row


def code_message_blank(message) -> None:
    """Once a code has gone (or failed for good), its message keeps no readable code: registered as
    the outbox's outcome handler at ready()."""
    if message.purpose != PURPOSE or message.body_deleted_at is not None:
        return
    message.body = "(A sign-in code: removed once sent.)"
    message.body_deleted_at = timezone.now()
    message.save(update_fields=["body", "body_deleted_at"])


def codes_expired_delete(*, now: dt.datetime) -> int:
    """Spent and expired codes, and rate-limit rows older than a day: nothing worth keeping."""
    deleted, _ = SignInCode.objects.filter(expires_at__lt=now - dt.timedelta(days=1)).delete()
    old, _ = SignInRequest.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()
    return deleted + old
