"""Partnerships, their agencies, and the staff who sign in.

A partnership is the set of relevant bodies in one area (the council that administers the ASB
Case Review, the police, social housing providers, the health body) working to one local policy.
Every staff user belongs to one partnership and, usually, one agency; what they may see follows
from that (see `casereview.applications.selectors.applications_visible_to`).
"""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class AgencyKind(models.TextChoices):
    """The kinds of body a report can go to (contracts §2). The first four are relevant bodies."""

    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    HOUSING = "housing", "Registered provider of social housing"
    HEALTH = "health", "Health body (ICB)"
    OTHER = "other", "Other organisation"


RELEVANT_BODY_KINDS = frozenset(
    {AgencyKind.COUNCIL, AgencyKind.POLICE, AgencyKind.HOUSING, AgencyKind.HEALTH}
)


class Partnership(models.Model):
    """One area's partnership, identified in commands and URLs by `slug` (e.g. `islington`)."""

    slug = models.SlugField(unique=True, help_text="The partnership's ID, used by the command line.")
    name = models.CharField(max_length=200)
    policy_ref = models.CharField(
        max_length=300,
        help_text="A preset id (statutory, west-northamptonshire, islington) or the path of a policy file.",
    )
    policy_text = models.TextField(
        blank=True, help_text="The partnership's own policy TOML, used instead of policy_ref when set."
    )
    reference_prefix = models.CharField(max_length=8, help_text="Prefix of application references, e.g. WN.")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True, help_text="Postal address used on letters.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def policy(self):
        """The local policy as the pure core understands it (validated on load)."""
        from casereview.core.policy import load_policy
        from casereview.core.policy import policy_from_toml as parse_policy

        if self.policy_text.strip():
            return parse_policy(self.policy_text, source=f"partnership {self.slug}")
        return load_policy(self.policy_path())

    def policy_path(self) -> str:
        """`policy_ref` as the core loads it: a preset id as it is; a relative file path under
        CASEREVIEW_POLICY_DIR when that is set (so it does not depend on where the service was
        started)."""
        from pathlib import Path

        from django.conf import settings

        from casereview.core.policy import PRESETS

        base = getattr(settings, "CASEREVIEW_POLICY_DIR", "")
        if not base or self.policy_ref in PRESETS or Path(self.policy_ref).is_absolute():
            return self.policy_ref
        return str(Path(base) / self.policy_ref)

    @cached_property
    def calendar(self):
        from casereview.core.calendar import get_calendar

        return get_calendar(self.policy.calendar, extra=self.policy.extra_bank_holidays)

    def clean(self):
        try:
            self.__dict__.pop("policy", None)
            self.policy  # noqa: B018 - validates the policy
        except Exception as exc:  # the core raises PolicyError naming the key
            raise ValidationError({"policy_ref": str(exc)}) from exc


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_relevant_body(self) -> bool:
        return self.kind in RELEVANT_BODY_KINDS


class Role(models.TextChoices):
    COMMUNITY_SAFETY_MANAGER = "community_safety_manager", "Community safety manager"
    SPOC = "spoc", "Single point of contact (SPOC)"
    AGENCY_OFFICER = "agency_officer", "Agency officer"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    PANEL_CHAIR = "panel_chair", "Panel chair"
    HEAD_OF_SERVICE = "head_of_service", "Head of Service"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
    ANALYST = "analyst", "Analyst"
    ADMINISTRATOR = "administrator", "Administrator"


class RoleGrant(models.Model):
    """A role a user holds. Several per user; held as rows so they can be queried on any database."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class User(AbstractUser):
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_to_me"
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))
