"""Demo partnerships, agencies and one user for each role (contracts §1: `west-northamptonshire`
and `islington`, each on its preset; and `cardiff`, a Welsh partnership on its own policy, which
sends bilingual correspondence to people who chose Welsh). Idempotent: re-running changes nothing."""

from importlib import resources

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured

from .mfa import DEMO_TOTP_SECRET, demo_device_ensure, demo_devices_bulk_create
from .models import Agency, AgencyKind, Membership, Partnership, Role, RoleGrant, User

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo data only, printed by `make run`

PARTNERSHIPS = [
    {
        "slug": "west-northamptonshire",
        "name": "West Northamptonshire Council",
        "policy_ref": "west-northamptonshire",
        "reference_prefix": "WN",
        "contact_email": "asbcasereview@westnorthants.example.gov.uk",
        "contact_phone": "0300 126 7000",
        "address": "One Angel Square\nAngel Street\nNorthampton\nNN1 1ED",
        "agencies": [
            ("West Northamptonshire Council", AgencyKind.COUNCIL),
            ("Northamptonshire Police", AgencyKind.POLICE),
            ("Northamptonshire Partnership Homes", AgencyKind.HOUSING),
            ("NHS Northamptonshire ICB", AgencyKind.HEALTH),
            ("Victim Support", AgencyKind.OTHER),
        ],
    },
    {
        "slug": "islington",
        "name": "Islington Council",
        "policy_ref": "islington",
        "reference_prefix": "IS",
        "contact_email": "asbcasereview@islington.example.gov.uk",
        "contact_phone": "020 7527 2000",
        "address": "Town Hall\nUpper Street\nLondon\nN1 2UD",
        "agencies": [
            ("Islington Council", AgencyKind.COUNCIL),
            ("Metropolitan Police", AgencyKind.POLICE),
            ("Islington Homes", AgencyKind.HOUSING),
            ("NHS North Central London ICB", AgencyKind.HEALTH),
            ("Parkguard", AgencyKind.OTHER),
        ],
    },
]


def cardiff_policy() -> str:
    """The Welsh demo partnership's own policy: the statutory preset, renamed, with bilingual
    correspondence for a person who chose Welsh (docs/policies.md, `[correspondence]`) and the
    Cardiff postcode area for the online form."""
    text = resources.files("casereview.core.presets").joinpath("statutory.toml").read_text("utf-8")
    text = (
        text.replace('id = "statutory"', 'id = "cardiff"', 1)
        .replace(
            'name = "ASB Case Review: the statutory minimum"',
            'name = "Cardiff Community Safety Partnership"',
            1,
        )
        .replace('version = "2025-01-01"', 'version = "2026-12-01"', 1)
    )
    return (
        text.rstrip("\n")
        + "\n\n[correspondence]\n"
        + 'welsh = "bilingual"  # Welsh Language Standards: Welsh and English, the Welsh first\n'
        + "\n[postcodes]\n"
        + 'prefixes = ["CF3", "CF5", "CF10", "CF11", "CF14", "CF15", "CF23", "CF24"]\n'
    )


PARTNERSHIPS.append(
    {
        "slug": "cardiff",
        "name": "Cardiff Council",
        "policy_ref": "statutory",
        "policy_text": cardiff_policy(),
        "reference_prefix": "CA",
        "contact_email": "asbcasereview@cardiff.example.gov.uk",
        "contact_phone": "029 2087 2087",
        "address": "County Hall\nAtlantic Wharf\nCardiff\nCF10 4UW",
        "agencies": [
            ("Cardiff Council", AgencyKind.COUNCIL),
            ("South Wales Police", AgencyKind.POLICE),
            ("Cardiff Community Housing Association", AgencyKind.HOUSING),
            ("Cardiff and Vale University Health Board", AgencyKind.HEALTH),
            ("Victim Support Cymru", AgencyKind.OTHER),
        ],
    }
)

# username suffix, first name, last name, role, the kind of agency they work for
USERS = [
    ("csm", "Chris", "Morgan", Role.COMMUNITY_SAFETY_MANAGER, AgencyKind.COUNCIL),
    ("spoc", "Sam", "Patel", Role.SPOC, AgencyKind.COUNCIL),
    ("police", "Pat", "Okafor", Role.AGENCY_OFFICER, AgencyKind.POLICE),
    ("housing", "Hannah", "Lewis", Role.AGENCY_OFFICER, AgencyKind.HOUSING),
    ("health", "Harpreet", "Singh", Role.AGENCY_OFFICER, AgencyKind.HEALTH),
    ("senior", "Alex", "Reid", Role.SENIOR_MANAGER, AgencyKind.COUNCIL),
    ("chair", "Jordan", "Blake", Role.PANEL_CHAIR, AgencyKind.OTHER),
    ("hos", "Morgan", "Hughes", Role.HEAD_OF_SERVICE, AgencyKind.COUNCIL),
    ("ceo", "Dana", "Whitfield", Role.CHIEF_EXECUTIVE, AgencyKind.COUNCIL),
    ("dpo", "Robin", "Ellis", Role.DATA_PROTECTION_OFFICER, AgencyKind.COUNCIL),
    ("analyst", "Kim", "Nguyen", Role.ANALYST, AgencyKind.COUNCIL),
    ("admin", "Ash", "Taylor", Role.ADMINISTRATOR, AgencyKind.COUNCIL),
    # The Police and Crime Commissioner's office: no agency of the partnership (issue 20).
    ("lpb", "Lee", "Parry", Role.LOCAL_POLICING_BODY, None),
]


def _demo_usernames() -> list[str]:
    return [f"{spec['reference_prefix'].lower()}-{suffix}" for spec in PARTNERSHIPS for suffix, *_ in USERS]


def _users_bulk_create(partnership, prefix: str, agencies: dict, hashed: str) -> dict[str, User]:
    """The partnership's demo users, as the idempotent path makes them, in four statements."""
    users = {
        suffix: User(
            username=f"{prefix}-{suffix}",
            first_name=first,
            last_name=last,
            email=f"{prefix}-{suffix}@example.gov.uk",
            organisation=agencies[kind].organisation if kind else None,
            job_title=role.label,
            password=hashed,
        )
        for suffix, first, last, role, kind in USERS
    }
    User.objects.bulk_create(users.values())
    users = {
        user.username.removeprefix(f"{prefix}-"): user
        for user in User.objects.filter(username__in=[u.username for u in users.values()])
    }
    Membership.objects.bulk_create(
        Membership(user=users[suffix], partnership=partnership, agency=agencies[kind] if kind else None)
        for suffix, _, _, _, kind in USERS
    )
    RoleGrant.objects.bulk_create(
        RoleGrant(user=users[suffix], partnership=partnership, role=role) for suffix, _, _, role, _ in USERS
    )
    demo_devices_bulk_create(list(users.values()))
    return users


def load(stdout, *, one_by_one: bool = False) -> None:
    if getattr(settings, "PRODUCTION", False):
        # Demo users share a published password and authenticator secret.
        raise ImproperlyConfigured("The demo data must never be loaded into a production database.")
    sign_ins = []
    # Into an empty database (a new deployment's demo, every test), the users, their memberships,
    # roles and authenticators are written in one statement each, with one password hash shared by
    # all (the demo's password is published anyway); otherwise each is looked up and added only if
    # missing, so a second run changes nothing. tests/accounts/test_demo.py shows both give the
    # same data.
    fresh = not one_by_one and not User.objects.filter(username__in=_demo_usernames()).exists()
    hashed = make_password(DEMO_PASSWORD) if fresh else ""
    for spec in PARTNERSHIPS:
        partnership, _ = Partnership.objects.update_or_create(
            slug=spec["slug"],
            defaults={k: v for k, v in spec.items() if k not in {"slug", "agencies"}},
        )
        agencies = {}
        for name, kind in spec["agencies"]:
            agency, _ = Agency.objects.get_or_create(
                partnership=partnership, name=name, defaults={"kind": kind}
            )
            agencies.setdefault(kind, agency)
        prefix = spec["reference_prefix"].lower()
        if fresh:
            users = _users_bulk_create(partnership, prefix, agencies, hashed)
        else:
            users = {}
            for suffix, first, last, role, kind in USERS:
                username = f"{prefix}-{suffix}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "email": f"{username}@example.gov.uk",
                        "organisation": agencies[kind].organisation if kind else None,
                        "job_title": role.label,
                    },
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                Membership.objects.get_or_create(
                    user=user, partnership=partnership, defaults={"agency": agencies[kind] if kind else None}
                )
                RoleGrant.objects.get_or_create(user=user, partnership=partnership, role=role)
                demo_device_ensure(user)
                users[suffix] = user
        sign_ins.extend(
            (f"{prefix}-{suffix}", role.label, partnership.name) for suffix, _, _, role, _ in USERS
        )
        # The escalation ladder needs line managers: officers report to the CSM, the CSM to the
        # Head of Service, the Head of Service to the Chief Executive.
        for suffix in ("spoc", "police", "housing", "health", "analyst"):
            User.objects.filter(pk=users[suffix].pk, line_manager__isnull=True).update(
                line_manager=users["csm"]
            )
        User.objects.filter(pk=users["csm"].pk, line_manager__isnull=True).update(line_manager=users["hos"])
        User.objects.filter(pk=users["hos"].pk, line_manager__isnull=True).update(line_manager=users["ceo"])
        # The administrator manages their partnership's accounts in the product's own pages
        # (/account/administration/), never in the Django admin (superusers only: issue 13).
    stdout.write(
        f"Demo sign-ins (password for all: {DEMO_PASSWORD}). The security code comes from an\n"
        f"authenticator app set up with the demo key {DEMO_TOTP_SECRET}, or run\n"
        f"`.venv/bin/casereview demo-code` in another terminal to print the current code:"
    )
    for username, role, partnership in sign_ins:
        stdout.write(f"  {username:<22} {role:<34} {partnership}")
