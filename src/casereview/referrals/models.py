"""Referrals to the partnership's standing panels (issue 16): a partner agency refers a person to
a panel kind the local policy declares (Community MARAC first). The criteria are checked by the
pure core (`core.panel_kinds.referral_criteria_check`) and the decision is stored as reason codes
with the policy's digest (ADR 0039, ADR 0062), with the consent or the lawful basis for sharing.

A referral that does not meet the panel's criteria is not stored: the referrer is shown why, in
the core's words, and what to add. Hearing the referral at a meeting is the panel machinery's,
on the case kernel (not built here)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ConsentChoice(models.TextChoices):
    GIVEN = "given", "The person consented to the referral"
    NOT_SOUGHT = "not_sought", "Not sought: a lawful basis without consent applies"
    REFUSED = "refused", "Refused: a lawful basis without consent applies"


class Referral(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    panel_kind = models.CharField(max_length=60, help_text="The policy's panel kind code, e.g. cmarac.")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="panel_referrals")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", help_text="The referring agency."
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    vulnerabilities = models.JSONField(default=list)
    risk_answers = models.JSONField(default=dict, help_text="The risk tool's questions answered yes.")
    risk_score = models.PositiveIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, blank=True)
    asb_reports = models.PositiveIntegerField(default=0)
    summary = models.TextField(
        help_text="Why the person is referred: what is happening, what has been tried."
    )
    consent = models.CharField(max_length=12, choices=ConsentChoice.choices)
    lawful_basis = models.CharField(max_length=40)
    consent_notes = models.TextField(blank=True)
    # The decision as the core made it: (code, params) pairs and the policy it was made under.
    reason_codes = models.JSONField(default=list)
    policy_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.panel_kind}"
