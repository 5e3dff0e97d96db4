"""A victim's request that the local policing body review a "threshold not met" decision (the Crime
and Policing Act 2026), and the body's decision (docs/lpb-reviews.md, ADR 0068).

Written only through `casereview.lpbreviews.services`, each write in one transaction with its case
event. The request keeps what it was judged under: the nation, the register's version, the time
limit and its last day, and whether the partnership's appeal had to come first.
"""

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned


class RequestChannel(models.TextChoices):
    ONLINE = "online", "Online"
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class ReviewStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the local policing body"
    DECIDED = "decided", "Decided"


class ReviewOutcome(models.TextChoices):
    STANDS = "stands", "The decision stands"
    SENT_BACK = "sent_back", "Sent back to the partnership to decide again"


class LpbReview(Versioned):
    application = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="lpb_reviews")
    decision = models.ForeignKey(
        "applications.ThresholdDecision",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The 'threshold not met' decision the victim asked about.",
    )
    nation = models.CharField(max_length=8)
    policing_body = models.CharField(max_length=200, blank=True)
    register_version = models.CharField(max_length=40)
    appeal_first = models.BooleanField()
    time_limit = models.CharField(max_length=40)
    time_limit_ends_on = models.DateField(null=True, blank=True)

    requested_on = models.DateField(help_text="The day the request was received.")
    channel = models.CharField(max_length=12, choices=RequestChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who recorded it for the victim; empty when made online.",
    )
    why = models.TextField(help_text="Why the victim thinks the decision is wrong, in their words.")

    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.REQUESTED)
    outcome = models.CharField(max_length=12, choices=ReviewOutcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    letter_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The outcome letter (letters.Letter)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["status", "requested_on"])]

    def __str__(self) -> str:
        return f"Local policing body review {self.pk} on {self.application}"

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.REQUESTED
