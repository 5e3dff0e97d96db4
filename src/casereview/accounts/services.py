"""A partnership's administration of its own people, agencies and roles (issue 13).

Every function here takes the acting administrator and refuses (`AdministrationRefused`, which
the pages turn into a 404 — a record out of scope is never confirmed to exist) anything outside
their own partnership: another partnership's user, agency or a role there. There is no way to
name another partnership: the partnership is always the one the actor is working in (ADR 0041).
A person who also works in another partnership (a housing association's officer) has their
agency and roles here changed here; what is theirs everywhere (name, address, active or not,
second factor) is changed only where they work alone, so one partnership cannot lock them out of
another. Each change is recorded in
the access log in the same transaction (who granted which role to whom).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casereview.audit.services import Action, access_event_record
from casereview.web.concurrency import StaleRecord, content_claim, content_version

from .models import Agency, AgencyKind, Membership, Role, RoleGrant, User

__all__ = [
    "AdministrationRefused",
    "UserData",
    "agency_save",
    "agency_version",
    "user_can_administer",
    "user_create",
    "user_second_factor_reset",
    "user_update",
    "user_values",
    "user_version",
]


class AdministrationRefused(PermissionDenied):
    """Not an administrator, or not of this record's partnership."""


def user_can_administer(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.partnership_id
        and user.has_role(Role.ADMINISTRATOR)
    )


def _require_admin(actor) -> None:
    if not user_can_administer(actor):
        raise AdministrationRefused("Only an administrator of the partnership may do this.")


def _require_same_partnership(actor, record) -> None:
    _require_admin(actor)
    if isinstance(record, User):
        if not Membership.objects.filter(user=record, partnership_id=actor.partnership_id).exists():
            raise AdministrationRefused("That person does not work in your partnership.")
    elif record.partnership_id != actor.partnership_id:
        raise AdministrationRefused("That record belongs to another partnership.")


def user_works_elsewhere(*, actor, user: User) -> bool:
    """Whether this person also works in a partnership other than the actor's."""
    return Membership.objects.filter(user=user).exclude(partnership_id=actor.partnership_id).exists()


@dataclass
class UserData:
    first_name: str
    last_name: str
    email: str = ""
    job_title: str = ""
    agency: Agency | None = None
    roles: tuple[str, ...] = ()
    is_active: bool = True


def user_values(user: User) -> dict:
    """What the administration's edit form shows of a user working in a partnership (`work_in`):
    the account's own fields, the agency and the roles held there."""
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "agency": user.agency_id,
        "roles": sorted(user.roles),
        "is_active": user.is_active,
    }


def user_version(user: User) -> int:
    """The version of a user's account as the edit form reads it: a checksum of `user_values`
    (an account has no version column; its roles live in other rows: web.concurrency.content_version)."""
    return content_version(*user_values(user).values())


def agency_version(agency: Agency) -> int:
    return content_version(agency.name, agency.kind)


def _check(actor, data: UserData) -> None:
    if data.agency is not None:
        _require_same_partnership(actor, data.agency)
    unknown = set(data.roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": "Choose roles from the list"})
    if not data.first_name.strip() or not data.last_name.strip():
        raise ValidationError({"first_name": "Enter the person's first and last name"})


def _record(actor, *, action: str, obj, summary: str, details: dict | None = None) -> None:
    access_event_record(action=action, user=actor, obj=obj, summary=summary, details=details or {})


def _set_roles(actor, user: User, roles: tuple[str, ...]) -> None:
    # Only the roles held in the actor's partnership: grants elsewhere are neither shown nor touched.
    here = RoleGrant.objects.filter(user=user, partnership_id=actor.partnership_id)
    held = set(here.values_list("role", flat=True))
    wanted = set(roles)
    if user.pk == actor.pk and Role.ADMINISTRATOR in held and Role.ADMINISTRATOR not in wanted:
        raise ValidationError(
            {"roles": "You cannot remove your own administrator role: ask another administrator"}
        )
    for role in sorted(wanted - held):
        RoleGrant.objects.create(user=user, partnership_id=actor.partnership_id, role=role)
        _record(
            actor,
            action=Action.UPDATE,
            obj=user,
            summary=f"Role granted: {Role(role).label} to user {user.pk}",
            details={"granted": role, "user_id": user.pk},
        )
    for role in sorted(held - wanted):
        here.filter(role=role).delete()
        _record(
            actor,
            action=Action.UPDATE,
            obj=user,
            summary=f"Role removed: {Role(role).label} from user {user.pk}",
            details={"revoked": role, "user_id": user.pk},
        )
    user.__dict__.pop("roles", None)


def user_create(*, actor, username: str, data: UserData) -> tuple[User, str]:
    """A new user of the actor's partnership, with a one-time password to pass on (they set up
    their authenticator app at first sign-in). Returns (user, temporary password)."""
    _require_admin(actor)
    _check(actor, data)
    username = username.strip().lower()
    if not username:
        raise ValidationError({"username": "Enter a username"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken: choose another"})
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = User(
            username=username,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            email=data.email.strip(),
            job_title=data.job_title.strip(),
            organisation=data.agency.organisation if data.agency else None,
            is_active=True,
            is_staff=False,
            is_superuser=False,
        )
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, partnership_id=actor.partnership_id, agency=data.agency)
        _record(actor, action=Action.CREATE, obj=user, summary=f"User {user.pk} created")
        _set_roles(actor, user, data.roles)
    return user, password


def user_update(*, actor, user: User, data: UserData, read_version: int | None = None) -> User:
    """Change a user of the actor's partnership: name, agency, job title, roles, active or not.
    `read_version` is `user_version` as the form was read: refused (`StaleRecord`) when another
    administrator changed the account or its roles here since."""
    _require_same_partnership(actor, user)
    _check(actor, data)
    if user.pk == actor.pk and not data.is_active:
        raise ValidationError({"is_active": "You cannot deactivate your own account"})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.work_in(actor.partnership_id)
        now = user_version(locked)
        if read_version is not None and now != read_version:
            raise StaleRecord(locked, what="account", version=now)
        was_active = locked.is_active
        wide = {
            "first_name": data.first_name.strip(),
            "last_name": data.last_name.strip(),
            "email": data.email.strip(),
            "job_title": data.job_title.strip(),
            "is_active": data.is_active,
        }
        changed = [field for field, value in wide.items() if getattr(locked, field) != value]
        if changed and user_works_elsewhere(actor=actor, user=locked):
            refusal = (
                "This person also works in another partnership: ask their own organisation's "
                "administrator to change this, or remove their roles here"
            )
            raise ValidationError(dict.fromkeys(changed, refusal))
        for field, value in wide.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(wide))
        Membership.objects.filter(user=locked, partnership_id=actor.partnership_id).update(agency=data.agency)
        summary = f"User {locked.pk} changed"
        if was_active != locked.is_active:
            summary += ": deactivated" if not locked.is_active else ": reactivated"
        _record(actor, action=Action.UPDATE, obj=locked, summary=summary)
        _set_roles(actor, locked, data.roles)
    return locked


def user_second_factor_reset(*, actor, user: User) -> int:
    """Remove the user's authenticator devices: at their next sign-in they set up a new one (a lost
    phone). Returns how many were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_same_partnership(actor, user)
    if user_works_elsewhere(actor=actor, user=user):
        raise ValidationError(
            "This person also works in another partnership: ask their own organisation's administrator "
            "to reset their authenticator"
        )
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        _record(actor, action=Action.UPDATE, obj=user, summary=f"Second factor reset for user {user.pk}")
    return removed


def agency_save(
    *, actor, name: str, kind: str, agency: Agency | None = None, read_version: int | None = None
) -> Agency:
    """Add an agency to the actor's partnership, or rename one of its own (`read_version`:
    `agency_version` as the form was read; refused with `StaleRecord` when it changed since)."""
    if agency is not None:
        _require_same_partnership(actor, agency)
    else:
        _require_admin(actor)
    if not name.strip():
        raise ValidationError({"name": "Enter the agency's name"})
    if kind not in AgencyKind.values:
        raise ValidationError({"kind": "Choose the kind of agency"})
    same_name = Agency.objects.filter(partnership_id=actor.partnership_id, name__iexact=name.strip())
    if same_name.exclude(pk=agency.pk if agency else None).exists():
        raise ValidationError({"name": "Your partnership already has an agency of that name"})
    with transaction.atomic():
        created = agency is None
        if not created:
            content_claim(
                agency,
                read_version=read_version,
                values=lambda row: (row.name, row.kind),
                what="agency",
            )
        # A new agency is a new organisation (Agency.save); an organisation already in another
        # partnership joins this one through the deployment's administrators (ADR 0041).
        agency = agency or Agency(partnership_id=actor.partnership_id)
        agency.name = name.strip()
        agency.kind = kind
        agency.save()
        _record(
            actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=agency,
            summary=f"Agency {agency.pk} {'added' if created else 'changed'}",
        )
    return agency


# --- Sign-in through the organisation's identity provider (issue 18, ADR 0042) -------------------


def provider_sign_in_apply(*, provider, claims: dict, decision) -> User | None:
    """Bring the person's memberships and roles into line with what the provider says now, in
    one transaction, and return their user (created at their first sign-in) — or None when the
    decision refuses them and they have never signed in. Runs at EVERY sign-in, so a role whose
    group was removed at the provider is removed here, and a refused person (a leaver) keeps no
    role in any partnership the provider's mappings cover. Each grant and removal is in the
    access log, attributed to the provider."""
    from .models import ExternalIdentity

    subject = str(claims.get("sub") or "")
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=subject)
            .first()
            if subject
            else None
        )
        if identity is None and decision.refused:
            return None
        if identity is None:
            user = _provider_user_create(provider=provider, claims=claims)
            ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
        else:
            user = User.objects.select_for_update().get(pk=identity.user_id)
        covered = set(provider.mappings.values_list("partnership_id", flat=True))
        wanted: dict[int, set[str]] = {}
        agency_in: dict[int, int | None] = {}
        for grant in sorted(decision.grants, key=lambda g: (g.partnership_id, g.agency_id or 0, g.role)):
            wanted.setdefault(grant.partnership_id, set()).add(grant.role)
            agency_in.setdefault(grant.partnership_id, grant.agency_id)
        for partnership_id in sorted(covered | set(wanted)):
            roles = wanted.get(partnership_id, set())
            here = RoleGrant.objects.filter(user=user, partnership_id=partnership_id)
            held = set(here.values_list("role", flat=True))
            for role in sorted(roles - held):
                RoleGrant.objects.create(user=user, partnership_id=partnership_id, role=role)
            for role in sorted(held - roles):
                here.filter(role=role).delete()
            if roles:
                Membership.objects.update_or_create(
                    user=user,
                    partnership_id=partnership_id,
                    defaults={"agency_id": agency_in[partnership_id]},
                )
            else:
                Membership.objects.filter(user=user, partnership_id=partnership_id).delete()
            if roles != held:
                access_event_record(
                    action=Action.UPDATE,
                    user=user,
                    obj=user,
                    summary=f"Roles from {provider.name} at sign-in",
                    details={
                        "partnership_id": partnership_id,
                        "granted": sorted(roles - held),
                        "revoked": sorted(held - roles),
                        "provider": provider.pk,
                    },
                )
    return user


def _provider_user_create(*, provider, claims: dict) -> User:
    email = str(claims.get("email") or "").strip().lower()
    base = email or f"{provider.organisation_id}-{claims['sub']}"
    username = base[:140]
    if User.objects.filter(username__iexact=username).exists():
        username = f"{base[:120]}-{secrets.token_hex(4)}"
    user = User(
        username=username,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        email=email,
        organisation=provider.organisation,
        is_active=True,
    )
    if not (user.first_name or user.last_name) and claims.get("name"):
        user.first_name = str(claims["name"])[:150]
    user.set_unusable_password()  # they sign in through the provider only
    user.save()
    access_event_record(
        action=Action.CREATE,
        user=user,
        obj=user,
        summary=f"User {user.pk} created at sign-in through {provider.name}",
    )
    return user
