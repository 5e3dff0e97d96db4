"""Appeals against a threshold-not-met decision or a review's outcome (seed 004 §12).

An appeal is lodged by staff for the victim (phone, email, letter, in person) or online by the
applicant with the case reference and a detail only they know. The window is the local policy's
`deadlines.appeal_window`, from the latest threshold-not-met or outcome letter; an appeal made
after it is still recorded, flagged late, and the decision maker records whether to consider it
anyway, with reasons. Every write goes through `casereview.appeals.services`, which records the
case events ("appeal_lodged", "appeal_late_considered", "appeal_decided") in the same transaction.
"""

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned


class DecisionAppealed(models.TextChoices):
    """The decisions an appeal can be about (core vocabulary.APPEALABLE_DECISIONS)."""

    THRESHOLD_NOT_MET = "threshold_not_met", "The decision that the threshold for a review was not met"
    REVIEW_OUTCOME = "review_outcome", "The outcome of the review"


class AppealChannel(models.TextChoices):
    ONLINE = "online", "Online"
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class AppealStatus(models.TextChoices):
    LODGED = "lodged", "Waiting for a decision"
    DECIDED = "decided", "Decided"
    NOT_CONSIDERED = "not_considered", "Not considered (made late)"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Appeal(Versioned):
    application = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="appeals")
    decision_appealed = models.CharField(max_length=20, choices=DecisionAppealed.choices)
    # The letter the window runs from: its "letter_issued" case event and date, as found on lodging.
    letter_event = models.ForeignKey(
        "applications.CaseEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    letter_issued_on = models.DateField(
        null=True, blank=True, help_text="Empty when the decision had not been sent in a letter yet."
    )
    window = models.CharField(
        max_length=40, blank=True, help_text="The appeal window as the policy stated it."
    )
    window_ends_on = models.DateField(
        null=True, blank=True, help_text="The last day of the appeal window (empty: not started)."
    )
    heard_by = models.CharField(max_length=200, help_text="Who hears the appeal (the policy's [appeals]).")

    lodged_on = models.DateField(help_text="The day the appeal was received.")
    channel = models.CharField(max_length=12, choices=AppealChannel.choices)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The officer who recorded it; empty when made online.",
    )
    appellant_name = models.CharField(max_length=200, help_text="Who appealed (the victim or the applicant).")
    grounds = models.JSONField(default=list, help_text="Codes of the policy's grounds of appeal.")
    grounds_labels = models.JSONField(default=list, help_text="The grounds as worded when lodged.")
    explanation = models.TextField(help_text="The appellant's explanation, in their words.")
    late = models.BooleanField(default=False)
    late_explanation = models.TextField(blank=True, help_text="Why the appeal was made late, if given.")

    status = models.CharField(max_length=20, choices=AppealStatus.choices, default=AppealStatus.LODGED)
    late_considered = models.BooleanField(
        null=True, blank=True, help_text="For a late appeal: did the decision maker agree to consider it?"
    )
    late_reasons = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=AppealOutcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_letter_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The appeal decision letter (letters.Letter)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-lodged_on", "-id"]
        indexes = [models.Index(fields=["status", "lodged_on"])]

    def __str__(self) -> str:
        return f"Appeal {self.pk} on {self.application}"

    @property
    def is_open(self) -> bool:
        return self.status == AppealStatus.LODGED


class AppealLookupFailure(models.Model):
    """One failed online look-up (a reference with a wrong detail, or no such reference).

    The guess limit counts these rows, so it holds across every web worker and machine (a
    per-process cache would give each worker its own count). Only a hash of the reference is kept
    (`selectors.reference_key`), never the reference or the detail typed; rows older than the
    window are deleted whenever a new failure is recorded.
    """

    reference_key = models.CharField(max_length=32)
    failed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["reference_key", "failed_at"])]

    def __str__(self) -> str:
        return f"Failed look-up {self.reference_key[:8]}… at {self.failed_at:%Y-%m-%d %H:%M}"
