"""How messages leave the system: one interface, two implementations.

`Notifier` is what the rest of the product depends on. `SmtpNotifier` sends email through Django's
email backend (SMTP in production, the console in development, locmem in tests); `NotifyNotifier`
speaks GOV.UK Notify's REST API (https://docs.notifications.service.gov.uk/rest-api.html) with the
JWT it requires, using only the standard library. `notifier_get()` picks one from settings:
GOV.UK Notify when `CASEREVIEW_NOTIFY_API_KEY` is set, else SMTP.

Nothing here logs a recipient, subject or body: errors carry the provider's status and error code
only, because a log line is read far more widely than the case it came from.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage


@dataclass(frozen=True)
class SendResult:
    provider: str
    provider_reference: str = ""
    #: "sent": handed to the provider; "staff_task": this channel cannot send it, staff must
    #: (print and post a letter, say).
    status: str = "sent"
    reason: str = ""


class ChannelError(Exception):
    """A message could not be handed over. The text never contains the message or the recipient."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/pdf"


class Notifier(Protocol):
    name: str

    def send_email(
        self, to: str, subject: str, body: str, reference: str, attachment: Attachment | None = None
    ) -> SendResult: ...

    def send_sms(self, to: str, body: str, reference: str) -> SendResult: ...

    def send_letter(
        self, address_lines: list[str], subject: str, body: str, reference: str
    ) -> SendResult: ...

    def send_letter_pdf(self, pdf: bytes, reference: str) -> SendResult: ...


class SmtpNotifier:
    """Email through Django's configured backend (EMAIL_BACKEND). It cannot send text messages,
    and letters are printed and posted by staff: both come back as a staff task."""

    name = "smtp"

    def __init__(self, from_email: str | None = None):
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL

    def send_email(
        self, to: str, subject: str, body: str, reference: str, attachment: Attachment | None = None
    ) -> SendResult:
        domain = self.from_email.rpartition("@")[2] or "casereview.invalid"
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=self.from_email,
            to=[to],
            # The same Message-ID on every attempt: a mail system that received it already (the
            # server accepted it, then the connection dropped before we heard) can drop the repeat.
            headers={"X-Reference": reference, "Message-ID": f"<{reference}@{domain}>"},
        )
        if attachment is not None:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # smtplib and socket errors; their text may echo the address
            raise ChannelError(f"the email server refused the message ({type(exc).__name__})") from None
        return SendResult(provider=self.name, provider_reference=reference)

    def send_sms(self, to: str, body: str, reference: str) -> SendResult:
        return SendResult(
            provider=self.name,
            status="staff_task",
            reason="Text messages need GOV.UK Notify; send it by hand.",
        )

    def send_letter(self, address_lines: list[str], subject: str, body: str, reference: str) -> SendResult:
        return SendResult(provider=self.name, status="staff_task", reason="Print the letter and post it.")

    def send_letter_pdf(self, pdf: bytes, reference: str) -> SendResult:
        return SendResult(provider=self.name, status="staff_task", reason="Print the letter and post it.")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def notify_jwt(service_id: str, secret_key: str, *, issued_at: int | None = None) -> str:
    """The bearer token GOV.UK Notify expects: HS256, `iss` the service id, `iat` now (seconds).
    Notify rejects a token more than 30 seconds old, so make one per request."""
    header = {"typ": "JWT", "alg": "HS256"}
    claims = {"iss": service_id, "iat": int(time.time()) if issued_at is None else issued_at}
    signing_input = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = hmac.new(secret_key.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + _b64url(signature)


def notify_key_parts(api_key: str) -> tuple[str, str]:
    """A Notify API key is `{key name}-{service id}-{secret key}`, both ids being 36-character UUIDs."""
    if len(api_key) < 74 or api_key[-37] != "-" or api_key[-74] != "-":
        raise ChannelError("CASEREVIEW_NOTIFY_API_KEY is not a GOV.UK Notify API key")
    return api_key[-73:-37], api_key[-36:]


class NotifyNotifier:
    """GOV.UK Notify. Each channel uses one template of the partnership's Notify service whose
    content is `((body))` (email and letter templates also have `((subject))` as their subject or
    heading), so the wording stays in this product, under version control."""

    name = "notify"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = "https://api.notifications.service.gov.uk",
        email_template_id: str = "",
        sms_template_id: str = "",
        letter_template_id: str = "",
        timeout: float = 10.0,
    ):
        self.service_id, self.secret_key = notify_key_parts(api_key)
        self.base_url = base_url.rstrip("/")
        self.email_template_id = email_template_id
        self.sms_template_id = sms_template_id
        self.letter_template_id = letter_template_id
        self.timeout = timeout

    def send_email(
        self, to: str, subject: str, body: str, reference: str, attachment: Attachment | None = None
    ) -> SendResult:
        personalisation = {"subject": subject, "body": body}
        if attachment is not None:
            # Notify sends a file as a secure link (the template needs ((link_to_file))); the person
            # confirms their email address before downloading it.
            personalisation["link_to_file"] = {
                "file": base64.b64encode(attachment.content).decode("ascii"),
                "filename": attachment.filename,
                "confirm_email_before_download": True,
            }
        return self._post(
            "/v2/notifications/email",
            {
                "email_address": to,
                "template_id": self._template("email", self.email_template_id),
                "personalisation": personalisation,
                "reference": reference,
            },
        )

    def send_letter_pdf(self, pdf: bytes, reference: str) -> SendResult:
        """Notify's precompiled letter API: the PDF as issued, printed and posted by Notify."""
        return self._post(
            "/v2/notifications/letter",
            {"reference": reference, "content": base64.b64encode(pdf).decode("ascii")},
        )

    def send_sms(self, to: str, body: str, reference: str) -> SendResult:
        return self._post(
            "/v2/notifications/sms",
            {
                "phone_number": to,
                "template_id": self._template("text message", self.sms_template_id),
                "personalisation": {"body": body},
                "reference": reference,
            },
        )

    def send_letter(self, address_lines: list[str], subject: str, body: str, reference: str) -> SendResult:
        if not self.letter_template_id:
            return SendResult(provider=self.name, status="staff_task", reason="Print the letter and post it.")
        lines = [line for line in address_lines if line.strip()]
        if not 3 <= len(lines) <= 7:
            # Notify needs 3 to 7 lines, the last a postcode; otherwise a person posts it.
            return SendResult(
                provider=self.name,
                status="staff_task",
                reason="The address does not fit Notify; post it by hand.",
            )
        personalisation = {f"address_line_{n}": line for n, line in enumerate(lines, start=1)}
        personalisation.update({"subject": subject, "body": body})
        return self._post(
            "/v2/notifications/letter",
            {
                "template_id": self.letter_template_id,
                "personalisation": personalisation,
                "reference": reference,
            },
        )

    def _template(self, what: str, template_id: str) -> str:
        if not template_id:
            raise ChannelError(f"no GOV.UK Notify template is configured for {what}s")
        return template_id

    def _post(self, path: str, payload: dict) -> SendResult:
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured Notify base URL
            self.base_url + path,
            data=json.dumps(payload).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": "Bearer " + notify_jwt(self.service_id, self.secret_key),
                "User-Agent": "casereview",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as exc:
            raise ChannelError(f"GOV.UK Notify answered {exc.code} ({_notify_error(exc)})") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ChannelError(f"GOV.UK Notify could not be reached ({type(exc).__name__})") from None
        return SendResult(provider=self.name, provider_reference=str(answer.get("id", "")))


def _notify_error(exc: urllib.error.HTTPError) -> str:
    """Notify's error *codes* (e.g. BadRequestError), not its messages, which can echo the input."""
    try:
        errors = json.loads(exc.read().decode("utf-8")).get("errors", [])
        return ", ".join(sorted({str(e.get("error", "")) for e in errors})) or "no detail"
    except (ValueError, AttributeError):
        return "no detail"


def notifier_get() -> Notifier:
    """The notifier this installation is configured for (settings: CASEREVIEW_NOTIFY_*)."""
    api_key = getattr(settings, "CASEREVIEW_NOTIFY_API_KEY", "")
    if api_key:
        return NotifyNotifier(
            api_key,
            base_url=getattr(settings, "CASEREVIEW_NOTIFY_BASE_URL", "")
            or "https://api.notifications.service.gov.uk",
            email_template_id=getattr(settings, "CASEREVIEW_NOTIFY_EMAIL_TEMPLATE_ID", ""),
            sms_template_id=getattr(settings, "CASEREVIEW_NOTIFY_SMS_TEMPLATE_ID", ""),
            letter_template_id=getattr(settings, "CASEREVIEW_NOTIFY_LETTER_TEMPLATE_ID", ""),
        )
    return SmtpNotifier()
