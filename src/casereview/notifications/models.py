"""Notices for staff, messages sent to anyone, and the marks that make the sweep send things once.

- `Notice`: an in-app notice to one member of staff (an escalation, a reminder), read or unread.
- `Message`: one email, text message or letter, queued in the same transaction as the decision to
  send it and delivered afterwards (an outbox): nothing is sent for a change that rolled back, and a
  failed delivery stays visible and is retried by the sweep. Letters and anything needing a format
  or language the system cannot produce become a task for staff instead.
- `ReminderSent`: one row per reminder the sweep has sent (a statutory clock due today, or
  overdue), unique on its key, so the reminder goes once however often the sweep runs.
"""

from django.conf import settings
from django.db import models


class Notice(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(max_length=300, help_text="Written without personal data about the victim.")
    url = models.CharField(
        max_length=300, blank=True, help_text="A path in this service: the case or action."
    )
    case = models.ForeignKey(
        "applications.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Phone call"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"
    STAFF_TASK = "staff_task", "For staff to send"
    DONE_BY_STAFF = "done_by_staff", "Sent by staff"


class Message(models.Model):
    """One message to a person, by one channel. The body is kept so the record shows exactly what
    was said; it is never copied into logs or the case timeline."""

    case = models.ForeignKey(
        "applications.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    purpose = models.CharField(max_length=60, help_text="Why it was sent, e.g. action_escalated.")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_person = models.ForeignKey(
        "applications.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    to = models.TextField(help_text="The email address, phone number or postal address used.")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    format_needs = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    staff_task_reason = models.CharField(max_length=300, blank=True)
    provider = models.CharField(max_length=20, blank=True, help_text="smtp, notify …")
    provider_reference = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="After a failed attempt: not retried before this (back-off)."
    )
    attachment = models.FileField(
        upload_to="letters/",
        max_length=300,
        blank=True,
        help_text="A stored file sent with the message (a letter's PDF), never served directly.",
    )
    attachment_name = models.CharField(
        max_length=120, blank=True, help_text="Its file name, no personal data."
    )
    body_deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the retention schedule removed the body and address."
    )
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.purpose} ({self.get_status_display()})"

    @property
    def purpose_words(self) -> str:
        return self.purpose.replace("_", " ")

    @property
    def reference(self) -> str:
        """The reference given to the provider and in every email's headers: stable across retries
        and resends, so a receiving system can drop a repeat (delivery is at least once)."""
        return f"casereview-message-{self.pk}"


class ReminderSent(models.Model):
    """A reminder the sweep has sent. `key` names the thing and the kind of day, e.g.
    `clock:17:acknowledge:2026-03-09:overdue`; the unique constraint makes it once only."""

    key = models.CharField(max_length=200, unique=True)
    case = models.ForeignKey(
        "applications.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(max_length=60)
    sent_on = models.DateField(help_text="The sweep's 'today' when it was sent.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key
