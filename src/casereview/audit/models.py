"""The access log: who read or changed which record, when, from where and why (ADR 0004).

Append-only. The application can add rows and never change or remove them: `save()` refuses an
update, `delete()` refuses, and the queryset's `update()` and `delete()` refuse. On PostgreSQL a
trigger (migration 0002) rejects UPDATE and DELETE from anything, with one exception: the retention
scrub, which blanks the personal data in rows about a record whose retention period has ended and
is itself recorded (`casereview.audit.services.access_events_scrub`).

Rows hold no foreign key to the case records they describe — a reference and an id as text — so
deleting a case at the end of its retention period never deletes or changes its history here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched or listed"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded a file or letter"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    DISCLOSE = "disclose", "Disclosed to a partner"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out"
    CONSENT = "consent", "Consent recorded or withdrawn"
    LEGAL_HOLD = "legal_hold", "Legal hold placed or lifted"
    RETENTION = "retention", "Deleted or anonymised under the retention schedule"
    SUBJECT_ACCESS = "subject_access", "Subject access export"
    DENIED = "denied", "Refused (not in the user's scope)"


class LawfulBasis(models.TextChoices):
    """The legal gateways for sharing in an ASB Case Review (seed 004 §7, domain.md §5)."""

    ASBCPA_SCH4_PARA7 = (
        "asbcpa2014_sch4_para7",
        "Anti-social Behaviour, Crime and Policing Act 2014, Schedule 4 paragraph 7",
    )
    CDA_S115 = "cda1998_s115", "Crime and Disorder Act 1998, section 115"
    PUBLIC_TASK = "ukgdpr_6_1_e", "UK GDPR Article 6(1)(e): public task"
    LEGAL_OBLIGATION = "ukgdpr_6_1_c", "UK GDPR Article 6(1)(c): legal obligation"
    VITAL_INTERESTS = "ukgdpr_6_1_d", "UK GDPR Article 6(1)(d): vital interests"
    CONSENT = "ukgdpr_6_1_a", "UK GDPR Article 6(1)(a): consent"
    DATA_SUBJECT_RIGHTS = "ukgdpr_art15_17", "UK GDPR Articles 15–17: the data subject's rights"


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit rows cannot be deleted.")

    def _scrub_update(self, **kwargs):
        """Only for `access_events_scrub` on SQLite; PostgreSQL scrubs through the owner's function."""
        return super().update(**kwargs)


class AccessEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # As they were at the time, so the log stays readable if a person moves agency.
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    partnership_slug = models.CharField(max_length=50, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    case_reference = models.CharField(max_length=40, blank=True, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=300, blank=True, help_text="Why the record was used.")
    lawful_basis = models.CharField(max_length=40, choices=LawfulBasis.choices, blank=True)
    recipient = models.CharField(max_length=200, blank=True, help_text="For a disclosure: to whom.")
    path = models.CharField(max_length=500, blank=True)
    method = models.CharField(max_length=8, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    scrubbed_at = models.DateTimeField(null=True, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or 'anonymous'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Audit rows cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit rows cannot be deleted.")
