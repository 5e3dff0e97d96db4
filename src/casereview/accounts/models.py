"""Organisations, the partnerships they belong to, and the staff who sign in (ADR 0041).

A partnership is the set of relevant bodies in one area (the council that administers the ASB
Case Review, the police, social housing providers, the health body) working to one local policy.
An **organisation** (a police force, a housing association working in several boroughs, an NHS
trust) may belong to several partnerships: each membership is an **agency** of that partnership.
A member of staff works for one organisation and may work in several partnerships
(`Membership`, with the agency they work for there); their roles are granted per partnership
(`RoleGrant.partnership`). They choose which partnership they are working in after signing in
(`work_in`, from the session: `accounts.middleware.WorkingPartnershipMiddleware`), and
`user.partnership`, `user.agency` and `user.roles` are those of the chosen partnership only — so
what they may see (`casereview.applications.selectors.applications_visible_to`) stays inside it.
"""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django_otp.models import Device

from casereview.web.encryption import EncryptedTextField


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


class Organisation(models.Model):
    """A body whose staff sign in: a council, a police force, a housing association, an NHS trust.
    Its membership of each partnership is an `Agency` of that partnership."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An organisation's membership of one partnership (its name there may differ, e.g. "Police")."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name"),
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="agency_unique_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # An agency added without naming its organisation (a new partner, a report to an agency the
        # partnership did not have) is a new organisation of the same name and kind. An organisation
        # already in another partnership joins this one by naming it (ADR 0041).
        if self.organisation_id is None:
            self.organisation = Organisation.objects.create(name=self.name, kind=self.kind)
        super().save(*args, **kwargs)

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
    # The Police and Crime Commissioner's office (the Mayor's Office for Policing and Crime in
    # London; a mayor where one holds the role): figures across its force area, no case (issue 20).
    LOCAL_POLICING_BODY = "local_policing_body", "Local policing body's office"
    ADMINISTRATOR = "administrator", "Administrator"


class Membership(models.Model):
    """A user works in this partnership, for this agency of it (their organisation's membership
    there; none for a partnership's own central staff without one)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")

    class Meta:
        ordering = ["partnership__name"]
        constraints = [models.UniqueConstraint(fields=["user", "partnership"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.partnership}"

    def clean(self):
        if self.agency_id and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "Choose an agency of this partnership"})


class RoleGrant(models.Model):
    """A role a user holds in one partnership: it gives nothing in any other. Several per user;
    held as rows so they can be queried on any database. `partnership` is empty only for a grant
    kept from before organisations (ADR 0041) to a user who worked in no partnership."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="role_grants")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="role_grant_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.partnership or 'no partnership'})"


class _Joined(models.Aggregate):
    """Texts joined with commas: PostgreSQL's STRING_AGG, SQLite's GROUP_CONCAT (order not kept)."""

    function = "STRING_AGG"
    template = "%(function)s(%(distinct)s%(expressions)s, ',')"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


_NOT_READ = object()


def _roles_in_partnership() -> models.Subquery:
    """A membership's roles in its partnership, joined with commas (a role is a word: no comma), or
    None for none: `User.roles` of the partnership worked in, read in the memberships' query."""
    return models.Subquery(
        RoleGrant.objects.filter(
            user_id=models.OuterRef("user_id"), partnership_id=models.OuterRef("partnership_id")
        )
        .values("user_id")
        .annotate(joined=_Joined("role"))
        .values("joined")
    )


class StaffManager(UserManager):
    """`create_user(..., partnership=p, agency=a)` also makes the membership (demo and tests)."""

    def _create_user(self, username, email, password, **extra_fields):
        partnership = extra_fields.pop("partnership", None)
        agency = extra_fields.pop("agency", None)
        if partnership is None and agency is not None:
            partnership = agency.partnership
        if agency is not None and extra_fields.get("organisation") is None:
            extra_fields["organisation"] = agency.organisation
        user = super()._create_user(username, email, password, **extra_fields)
        if partnership is not None:
            Membership.objects.create(user=user, partnership=partnership, agency=agency)
        return user


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_to_me"
    )

    objects = StaffManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # --- The partnership this user is working in -------------------------------------------------
    # `work_in(partnership_id)` chooses it (the middleware does, from the session, on every request).
    # Until one is chosen, a user with exactly one membership works in that one; a user with several
    # works in none (sees nothing) until they choose. `partnership`, `agency` and `roles` are those
    # of the partnership worked in, never of another.

    _working_partnership_id: int | None = None

    def membership_list(self) -> list[Membership]:
        """This user's memberships (honours `prefetch_related("memberships")`)."""
        if self.pk is None:
            return []
        if "_membership_list" not in self.__dict__:
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("memberships")
            rows = (
                prefetched
                if prefetched is not None
                else self.memberships.select_related("partnership", "agency").annotate(
                    roles_joined=_roles_in_partnership()
                )
            )
            self.__dict__["_membership_list"] = sorted(rows, key=lambda m: m.partnership_id)
        return self.__dict__["_membership_list"]

    def work_in(self, partnership_id: int | None) -> bool:
        """Work in this partnership from now on (for this object). False, and no partnership, when
        the user is not a member of it. The memberships and their roles are read afresh."""
        self.__dict__.pop("roles", None)
        self.__dict__.pop("working_membership", None)
        self.__dict__.pop("_membership_list", None)
        self._working_partnership_id = partnership_id
        return self.working_membership is not None

    @cached_property
    def working_membership(self) -> Membership | None:
        memberships = self.membership_list()
        if self._working_partnership_id is not None:
            return next((m for m in memberships if m.partnership_id == self._working_partnership_id), None)
        return memberships[0] if len(memberships) == 1 else None

    @property
    def partnership_id(self) -> int | None:
        membership = self.working_membership
        return membership.partnership_id if membership else None

    @property
    def partnership(self) -> Partnership | None:
        membership = self.working_membership
        return membership.partnership if membership else None

    @property
    def agency_id(self) -> int | None:
        membership = self.working_membership
        return membership.agency_id if membership else None

    @property
    def agency(self) -> Agency | None:
        membership = self.working_membership
        return membership.agency if membership else None

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles granted in the partnership worked in (none in any other). Read with the
        memberships when they were (`membership_list`: one query a request, not two)."""
        membership = self.working_membership
        joined = getattr(membership, "roles_joined", _NOT_READ)
        if joined is not _NOT_READ:
            return frozenset(joined.split(",")) if joined else frozenset()
        return frozenset(
            self.role_grants.filter(partnership_id=self.partnership_id).values_list("role", flat=True)
        )

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


# --- Staff sign-in through the organisation's identity provider (issue 18, ADR 0042) -------------


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect provider (Entra ID, a police force's, Google Workspace).
    Its staff sign in through it instead of a password; their roles come from its group claim
    (or an allow-list of addresses) through `ProviderRoleMapping`, re-checked at every sign-in."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_provider"
    )
    name = models.CharField(max_length=200, help_text='Shown on the button, e.g. "Northamptonshire Police".')
    issuer = models.URLField(help_text="The provider's issuer; its discovery document is read from there.")
    client_id = models.CharField(max_length=200)
    client_secret = EncryptedTextField(help_text="Stored encrypted (CASEREVIEW_FIELD_KEY).")
    groups_claim = models.CharField(
        max_length=100, default="groups", help_text="The claim listing group IDs (Entra ID: groups)."
    )
    accepted_second_factor = models.CharField(
        max_length=300,
        blank=True,
        help_text="Space-separated amr or acr values meaning the provider asked for a second factor "
        "(e.g. 'mfa' for Entra ID). Empty: our authenticator app is always asked as well.",
    )
    contact = models.CharField(
        max_length=300,
        help_text="Who a refused person should contact, e.g. 'the IT service desk, 01604 000000'.",
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def accepted_second_factor_values(self) -> frozenset[str]:
        return frozenset(self.accepted_second_factor.split())


class ProviderRoleMapping(models.Model):
    """Members of a provider's group (by its ID), or the holder of one address, hold this role in
    this partnership, working for this agency (the organisation's membership of it)."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="mappings")
    group_id = models.CharField(max_length=200, blank=True, help_text="The group's ID (not its name).")
    email = models.EmailField(blank=True, help_text="Instead of a group: one address (lower case).")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(group_id="") & ~models.Q(email=""))
                | (~models.Q(group_id="") & models.Q(email="")),
                name="provider_mapping_group_or_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id or self.email} → {self.get_role_display()} in {self.partnership}"

    def clean(self):
        if bool(self.group_id) == bool(self.email):
            raise ValidationError("Give a group ID or an address, not both")
        if self.agency_id and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "Choose an agency of this partnership"})


class ExternalIdentity(models.Model):
    """The provider's subject (`sub`) this user signs in as: one user per person per provider."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="external_identities")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"


class ProviderSecondFactor(Device):
    """The second factor the identity provider asked for (its `amr`/`acr` said so, and the value is
    one the organisation accepts): django-otp treats the session as verified through this
    "device". It verifies no codes; it is used only by `accounts.oidc` right after such a sign-in."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")

    def verify_token(self, token) -> bool:
        return False
