"""The victim's own view: one-time sign-in codes, and what the person adds to their case.

Rows here refer to the case by `case` (a ForeignKey to the case model) and are written only by
`portal.signin` and `portal.services`. Staff see them through case events and the case page's
"The victim's own view" section (portal.staff_views, ADR 0072).
"""

import secrets

from django.conf import settings
from django.db import models


class PortalRole(models.TextChoices):
    VICTIM = "victim", "The victim"
    APPLICANT = "applicant", "The third-party applicant"


class CodeChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class SignInCode(models.Model):
    """A 6-digit code sent to the email or mobile number the person applied with. Only its hash is
    kept (HMAC-SHA256 with the site's secret, salted by the pending sign-in's token); single use,
    expiring, a few tries (ADR 0054)."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=PortalRole.choices)
    channel = models.CharField(max_length=5, choices=CodeChannel.choices)
    # The pending sign-in this code belongs to (a random token kept in the person's session).
    pending_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"Sign-in code ({self.get_channel_display()})"


class SignInRequest(models.Model):
    """One request for a code, known case or not: the rate limit counts these (per reference and
    per IP address). No personal data: the reference's normal form and the address only."""

    reference_key = models.CharField(max_length=40, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Code asked for {self.reference_key} at {self.at:%Y-%m-%d %H:%M}"


class DiaryEntry(models.Model):
    """A new incident in the person's own words, for the SPOC to review (and add to the case's
    incidents if it belongs there)."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=PortalRole.choices)
    occurred_on = models.DateField()
    time_of_day = models.CharField(max_length=40, blank=True)
    what_happened = models.TextField()
    where = models.CharField(max_length=300, blank=True)
    reported_to = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The SPOC's review (portal.services.diary_entry_review / diary_entry_incident): who and when,
    # and the incident it became on the case, if it did (its ref, "I4").
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incident_ref = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "diary entries"

    def __str__(self) -> str:
        return f"Diary entry of {self.occurred_on:%d %B %Y}"


class ScanStatus(models.TextChoices):
    HELD = "held", "Held until the virus scanner clears it"
    CLEAN = "clean", "Cleared by the virus scanner"
    INFECTED = "infected", "Refused: the virus scanner found something"


def _random_name() -> str:
    return secrets.token_hex(16)


class Upload(models.Model):
    """A photo, recording or document the person sent. Stored with a random name under the
    "portal" folder of MEDIA_ROOT (outside the web root, as evidence files are) and held until
    the virus scanner clears it; nobody can download it before (ADR 0055)."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=PortalRole.choices)
    stored_name = models.CharField(max_length=64, unique=True, default=_random_name, editable=False)
    # "portal/<stored_name>" under MEDIA_ROOT: a FileField so the backup carries it (privacy.backup);
    # written by portal.services.upload_add, never served but through the access-checked views.
    file = models.FileField(upload_to="portal/", max_length=300, blank=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    location_removed = models.BooleanField(default=False, help_text="EXIF (location, camera) removed.")
    scan_status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.HELD)
    scan_result = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
