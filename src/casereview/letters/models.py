"""Letters: what was sent to whom, exactly as sent, and the templates they were written from.

A `Letter` is a record, never edited after it is issued: the HTML body and the PDF are stored as
issued (the PDF with its SHA-256, checked on every download). A mistake is put right by issuing a
corrected letter that `supersedes` the first; both stay on the case.

A `LetterTemplate` is one *version* of a partnership's wording for one kind of letter. Saving
creates a new version; a letter records the version it was written from. Until a partnership
saves its own, the product's default wording (`kinds.KINDS[kind].default_body`) is used, recorded
as version 0.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Audience(models.TextChoices):
    VICTIM = "victim", "The victim or applicant"
    PARTNERS = "partners", "Partner agencies"
    # Served on an alleged perpetrator: checked against the victim's, the applicant's and the
    # reporters' details instead (core.disclosure, the other direction).
    PERPETRATOR = "perpetrator", "An alleged perpetrator"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
    INELIGIBLE = "ineligible", "Not eligible for a review"
    ACCEPTED = "accepted", "Accepted for review"
    NEXT_STEPS = "next_steps", "Next steps and your single point of contact"
    UNREACHABLE_CLOSURE = "unreachable_closure", "Closed: we could not reach you"
    OUTCOME = "outcome", "Outcome of the review"
    APPEAL_DECISION = "appeal_decision", "Appeal decision"
    LPB_REVIEW_OUTCOME = "lpb_review_outcome", "Local policing body's review of the threshold decision"
    REVIEW_EXPLAINED = "review_explained", "The ASB Case Review explained"
    PANEL_MINUTES = "panel_minutes", "Panel minutes and action plan (to partners)"
    WARNING = "warning", "Warning to an alleged perpetrator"
    # Served on the subject of an intervention (issue 17, ADR 0067): on the intervention's case.
    INTERVENTION_WARNING = "intervention_warning", "Warning letter (early intervention)"
    CPW = "cpw", "Community Protection Warning"
    CPN = "cpn", "Community Protection Notice"
    CLOSURE_NOTICE = "closure_notice", "Closure notice"
    # A standing panel's minutes to one agency: only the cases it is on (issue 16, ADR 0086).
    STANDING_PANEL_MINUTES = "standing_panel_minutes", "Standing panel minutes (to one agency)"


class LetterTemplate(models.Model):
    """One version of a partnership's wording for one kind of letter."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="letter_templates"
    )
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    change_note = models.CharField(max_length=300, blank=True, help_text="What changed, and why.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "version"], name="letter_template_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.get_kind_display()} v{self.version}"


class Letter(models.Model):
    """A letter as issued. Immutable once written (services never update one, except to mark it
    superseded when a correction is issued)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="letters")
    case = models.ForeignKey(
        "applications.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        help_text="Empty only for a letter about no application yet (the review explained).",
    )
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    audience = models.CharField(max_length=12, choices=Audience.choices)
    recipient_name = models.CharField(max_length=200)
    recipient_address = models.TextField(blank=True, help_text="As it was on the day the letter was issued.")
    recipient_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body_html = models.TextField(help_text="The letter as issued, rendered.")
    large_print = models.BooleanField(default=False)
    pdf = models.FileField(
        upload_to="letters/", max_length=300, help_text="Under MEDIA_ROOT, never served directly."
    )
    pdf_sha256 = models.CharField(max_length=64)
    template = models.ForeignKey(LetterTemplate, null=True, blank=True, on_delete=models.PROTECT)
    template_version = models.PositiveIntegerField(help_text="0: the product's default wording.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    issued_on = models.DateField()
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The letter this one corrects.",
    )
    correction_reason = models.TextField(blank=True)
    submission_token = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The one-time token of the form that issued it: a double click or a replay of the "
        "same submission finds this letter instead of issuing a second.",
    )
    # The disclosure control (core/disclosure.py): a letter where what was found is also the
    # recipient's own detail (a neighbour's street, a relative's surname) is stored but held, and
    # is not sent — nor counted on a clock — until a manager releases it with a reason.
    held_findings = models.TextField(
        blank=True, help_text="What the disclosure check found that is also the recipient's own detail."
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.issued_on:%d %b %Y})"

    @property
    def is_held(self) -> bool:
        """Waiting for a manager to release it: not to be sent."""
        return bool(self.held_findings) and self.released_at is None

    @property
    def is_superseded(self) -> bool:
        try:
            return self.superseded_by is not None
        except Letter.DoesNotExist:
            return False

    @property
    def download_filename(self) -> str:
        """The reference and the kind only: no personal data leaves in a file name."""
        reference = self.case.reference if self.case_id else f"{self.partnership.slug}-{self.pk}"
        return f"{reference}-{self.kind.replace('_', '-')}-{self.pk}.pdf"


class DispatchChannel(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"
    BY_HAND = "by_hand", "By hand"


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Could not be sent"
    RETURNED = "returned", "Returned undelivered"
    HELD = "held", "Held for staff: this way cannot be used"


class LetterDispatch(models.Model):
    """One recipient's copy of a letter and how it reaches them (docs/letters.md, "Dispatch").

    Written in the same transaction as the letter. A letter counts as sent — and its statutory
    clock as met — only when a dispatch is: email when the mail server or GOV.UK Notify accepts
    it (through the notifications outbox, `message`), post when staff mark it posted (or Notify's
    letter API accepts it), by hand when staff record it handed over. Each of those, and a failed
    or returned dispatch, is a case event (`<what>_letter_dispatched`,
    `<what>_letter_dispatch_failed`): the clocks read the events, never these rows.
    """

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="dispatches")
    channel = models.CharField(max_length=10, choices=DispatchChannel.choices)
    recipient_name = models.CharField(max_length=200)
    to = models.TextField(help_text="The email address or postal address used, as on the day.")
    large_print = models.BooleanField(default=False)
    language = models.CharField(
        max_length=100, blank=True, help_text="The person's language, if not English."
    )
    format_needs = models.CharField(max_length=300, blank=True)
    #: post only: "print_queue" (staff print and post it) or "notify" (GOV.UK Notify's letter API).
    via = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED)
    held_reason = models.CharField(max_length=300, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    message = models.OneToOneField(
        "notifications.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letter_dispatch",
    )
    created_at = models.DateTimeField()
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["channel", "status"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        """Still waiting for staff or the channel (not sent, not failed for good)."""
        return self.status in (DispatchStatus.QUEUED, DispatchStatus.HELD)
