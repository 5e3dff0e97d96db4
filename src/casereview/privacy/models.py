"""Data protection records: special category data, consent to sharing, legal holds, data subject
requests, evidence files and the register of what the retention schedule disposed of.

See docs/data-protection.md for what each is for and who may see it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from casereview.web.concurrency import Versioned

from .fields import EncryptedTextField


class SensitiveInformation(models.Model):
    """Special category data (UK GDPR Art. 9) and criminal offence data (Art. 10) about one person
    in a case: the victim, the applicant or an alleged perpetrator. Encrypted at rest; shown only to
    the roles in `casereview.privacy.rules.can_view_special_category` and logged when shown.

    Hate-motivation flags on incidents (applications.Incident.hate_motivations) are special
    category data too: they reveal race, religion, disability, sexual orientation or gender identity.
    """

    SPECIAL_CATEGORY_FIELDS = (
        "ethnicity",
        "religion",
        "health_and_disability",
        "sexual_orientation",
        "gender_identity",
    )
    CRIMINAL_OFFENCE_FIELDS = ("criminal_history",)

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="sensitive_information"
    )
    person = models.ForeignKey(
        "applications.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    perpetrator = models.ForeignKey(
        "applications.AllegedPerpetrator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ethnicity = EncryptedTextField("Ethnicity", blank=True)
    religion = EncryptedTextField("Religion or belief", blank=True)
    health_and_disability = EncryptedTextField("Health and disability", blank=True)
    sexual_orientation = EncryptedTextField("Sexual orientation", blank=True)
    gender_identity = EncryptedTextField("Gender identity", blank=True)
    criminal_history = EncryptedTextField(
        "Criminal history", blank=True, help_text="Criminal offence data: convictions, cautions, orders."
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where this came from (for reliability).")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "special category information"
        verbose_name_plural = "special category information"
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(perpetrator__isnull=True))
                | (Q(person__isnull=True) & Q(perpetrator__isnull=False)),
                name="sensitive_information_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"Special category information {self.pk}"


class ConsentWithdrawal(models.Model):
    """The victim has withdrawn consent to their information being shared with partner agencies.

    While it stands (not reinstated), agency officers no longer see the case at all (the selector
    `applications_visible_to` excludes it), and `privacy.services.sharing_check` refuses any new
    disclosure to a partner agency. The council, which administers the review, keeps the record it
    needs to respond and to close the case properly.
    """

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="consent_withdrawals"
    )
    withdrawn_on = models.DateField()
    how = models.CharField(max_length=100, help_text="How the victim told us (phone, letter, email …).")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    reinstated_at = models.DateTimeField(null=True, blank=True)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reinstated_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Consent withdrawn on {self.application}"

    @property
    def active(self) -> bool:
        return self.reinstated_at is None


class LegalHold(models.Model):
    """Stops the retention schedule deleting a case (litigation, an Ombudsman complaint, an
    inquiry). Recorded with its reason, who placed it and when; lifting it is recorded too."""

    application = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold on {self.application}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class RequestKind(models.TextChoices):
    ACCESS = "access", "Subject access (a copy of their data)"
    RECTIFICATION = "rectification", "Rectification (correct their data)"
    ERASURE = "erasure", "Erasure (delete their data)"
    RESTRICTION = "restriction", "Restriction of processing"
    OBJECTION = "objection", "Objection to processing"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    EXTENDED = "extended", "Extended (complex request)"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused (with reasons)"


class DataSubjectRequest(Versioned):
    """The DSR register: every request from a data subject, its due date (one month from receipt,
    UK GDPR Art. 12(3)) and what was done."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "applications.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    received_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    details = models.TextField(blank=True, help_text="What the person asked for, in their words.")
    outcome = models.TextField(blank=True, help_text="What was done, or why it was refused.")
    completed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "data subject request"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in {RequestStatus.COMPLETED, RequestStatus.REFUSED}


def _random_name() -> str:
    return secrets.token_hex(16)


class EvidenceFile(models.Model):
    """A photo, recording or document held as evidence on a case. Stored under MEDIA_ROOT (outside
    the web root) with a random name; served only by `privacy.views.evidence_download`, which goes
    through the case access check."""

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="evidence_files"
    )
    stored_name = models.CharField(max_length=64, unique=True, default=_random_name, editable=False)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Disposal(models.Model):
    """The register of what the retention schedule deleted or anonymised: no personal data, only
    the reference, the rule and when — so the council can show it disposed of records on time."""

    case_reference = models.CharField(max_length=40, db_index=True)
    partnership_slug = models.CharField(max_length=50)
    record_kind = models.CharField(max_length=60)
    method = models.CharField(max_length=20, choices=[("deleted", "Deleted"), ("anonymised", "Anonymised")])
    rule = models.CharField(max_length=300)
    closed_on = models.DateField(null=True, blank=True)
    disposed_at = models.DateTimeField(auto_now_add=True)
    disposed_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-disposed_at"]

    def __str__(self) -> str:
        return f"{self.case_reference} {self.method}"


class DeletionRecord(models.Model):
    """The deletion log: what the retention schedule and erasure requests deleted — the model, the
    primary keys, when and why, never personal data — so a restore from a backup taken before can
    delete them again (casereview.privacy.deletion_log). Each entry is also appended to the file
    CASEREVIEW_DELETION_LOG, kept apart from the database and the files so it outlives losing them."""

    model_label = models.CharField(max_length=100, help_text="app_label.modelname")
    object_pks = models.JSONField(help_text="The primary keys deleted.")
    deleted_at = models.DateTimeField()
    reason = models.CharField(max_length=300, help_text="The rule or request: no personal data.")

    class Meta:
        ordering = ["deleted_at", "id"]

    def __str__(self) -> str:
        return f"{self.model_label} ×{len(self.object_pks)} at {self.deleted_at:%Y-%m-%d %H:%M}"
