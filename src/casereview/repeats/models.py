"""Repeat applications (seed 004 §14) and the unreasonably persistent complainant flag.

A new application from the same victim about the same problem is *recognised* (matched on the
victim's name and a contact detail, and the location; selectors.repeat_candidates), *confirmed* by
an officer (which sets `Application.previous_application`, the applications app's existing field),
and then *assessed*: is there a material change of circumstances? Further requests "will be
considered on their merit and may be allowed where there is a material change"; repeated requests
without good cause may fall under the council's unreasonably persistent complainants policy — a
flag on the Person, with recorded reasons and a review date, that staff see and the person never
does. Every write is in `casereview.repeats.services` and records a case event.
"""

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned


class RepeatDismissal(models.Model):
    """An officer's "not the same problem" for a suggested earlier application: not offered again."""

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="repeat_dismissals"
    )
    candidate = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "candidate"], name="repeat_dismissal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.candidate} is not a repeat of {self.application}"


class MaterialChangeDecision(models.TextChoices):
    CONSIDER = "consider", "Consider on its merits"
    NOT_ACCEPTED = "not_accepted", "Not accepted as a repeat application without good cause"


class MaterialChangeAssessment(models.Model):
    """The officer's assessment of a repeat application. A later assessment supersedes an earlier one."""

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="material_change_assessments"
    )
    previous_application = models.ForeignKey("applications.Case", on_delete=models.PROTECT, related_name="+")
    material_change = models.BooleanField(help_text="Is there a material change of circumstances?")
    what_changed = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=MaterialChangeDecision.choices)
    reasons = models.TextField()
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Material change assessment of {self.application}"


class PersistentComplainantFlag(Versioned):
    """The council's "unreasonably persistent complainant" policy applied to a person. Staff only:
    never shown to the person, never printed in a letter. Must be reviewed by `review_on`; the
    review form carries the flag's version (web.concurrency)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "In place"
        LIFTED = "lifted", "Lifted"

    person = models.ForeignKey(
        "applications.Person", on_delete=models.CASCADE, related_name="persistent_complainant_flags"
    )
    application = models.ForeignKey(
        "applications.Case",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The case on which the flag was set.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reasons = models.TextField()
    set_on = models.DateField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(help_text="When the flag must next be reviewed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_on", "-id"]

    def __str__(self) -> str:
        return f"Persistent complainant flag {self.pk} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class FlagReview(models.Model):
    class Outcome(models.TextChoices):
        KEPT = "kept", "Keep the flag"
        LIFTED = "lifted", "Lift the flag"

    flag = models.ForeignKey(PersistentComplainantFlag, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review of flag {self.flag_id}: {self.get_outcome_display()}"
