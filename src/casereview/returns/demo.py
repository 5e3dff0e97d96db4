"""The demo force area (issue 20): Northamptonshire Police serves North and West Northamptonshire.

Adds North Northamptonshire (its own users, one for each role, as accounts.demo makes them), with
the force, the ICB and the Police, Fire and Crime Commissioner's office working in both; a
Northamptonshire Police officer (np-officer) and the commissioner's office (np-pcc) who work in
both councils and choose which after signing in; the force area "Northamptonshire"; and a spread of
cases in North Northamptonshire for the figures, as statistics.demo makes them. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from casereview.accounts.demo import DEMO_PASSWORD, USERS
from casereview.accounts.mfa import demo_device_ensure
from casereview.accounts.models import (
    Agency,
    AgencyKind,
    Membership,
    Organisation,
    Partnership,
    Role,
    RoleGrant,
    User,
)
from casereview.statistics.periods import financial_year_of

from .models import ForceArea

NN = {
    "slug": "north-northamptonshire",
    "name": "North Northamptonshire Council",
    "policy_ref": "statutory",
    "reference_prefix": "NNC",
    "contact_email": "asbcasereview@northnorthants.example.gov.uk",
    "contact_phone": "0300 126 3000",
    "address": "Sheerness House\n41 Meadow Road\nKettering\nNN16 8TL",
}
# (name, kind, the West Northamptonshire agency whose organisation it shares, if any)
NN_AGENCIES = [
    ("North Northamptonshire Council", AgencyKind.COUNCIL, None),
    ("Northamptonshire Police", AgencyKind.POLICE, "Northamptonshire Police"),
    ("Greatwell Homes", AgencyKind.HOUSING, None),
    ("NHS Northamptonshire ICB", AgencyKind.HEALTH, "NHS Northamptonshire ICB"),
    ("Victim Support", AgencyKind.OTHER, "Victim Support"),
]
PCC_OFFICE = "Northamptonshire Police, Fire and Crime Commissioner"


def _user(username, first, last, organisation, job_title, hashed: str):
    """`hashed`: one hash of the published demo password for all of them, as accounts.demo does (the
    production hasher takes about 0.6 s a hash, by design: 9 s of `make run` for these 15)."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.gov.uk",
            "organisation": organisation,
            "job_title": job_title,
        },
    )
    if created:
        user.password = hashed
        user.save(update_fields=["password"])
    demo_device_ensure(user)
    return user


def load(stdout) -> None:
    wn = Partnership.objects.filter(slug="west-northamptonshire").first()
    if wn is None:
        return
    nn, _ = Partnership.objects.update_or_create(
        slug=NN["slug"], defaults={k: v for k, v in NN.items() if k != "slug"}
    )
    agencies = {}
    for name, kind, shared in NN_AGENCIES:
        organisation = None
        if shared:
            wn_agency = Agency.objects.filter(partnership=wn, name=shared).first()
            organisation = wn_agency.organisation if wn_agency else None
        agency = Agency.objects.filter(partnership=nn, name=name).first()
        if agency is None:
            agency = Agency(partnership=nn, name=name, kind=kind, organisation=organisation)
            agency.save()
        agencies.setdefault(kind, agency)
    hashed = make_password(DEMO_PASSWORD)
    users = {}
    for suffix, first, last, role, kind in USERS:
        agency = agencies[kind] if kind else None
        user = _user(
            f"nnc-{suffix}", first, last, agency.organisation if agency else None, role.label, hashed
        )
        Membership.objects.get_or_create(user=user, partnership=nn, defaults={"agency": agency})
        RoleGrant.objects.get_or_create(user=user, partnership=nn, role=role)
        users[suffix] = user
    for suffix in ("spoc", "police", "housing", "health", "analyst"):
        User.objects.filter(pk=users[suffix].pk, line_manager__isnull=True).update(line_manager=users["csm"])
    User.objects.filter(pk=users["csm"].pk, line_manager__isnull=True).update(line_manager=users["hos"])
    User.objects.filter(pk=users["hos"].pk, line_manager__isnull=True).update(line_manager=users["ceo"])

    # The force's officer and the commissioner's office, each working in both councils.
    wn_police = Agency.objects.get(partnership=wn, name="Northamptonshire Police")
    officer = _user("np-officer", "Nia", "Prentice", wn_police.organisation, "Police constable", hashed)
    pcc_org, _ = Organisation.objects.get_or_create(name=PCC_OFFICE, defaults={"kind": AgencyKind.OTHER})
    pcc = _user("np-pcc", "Lee", "Okoro", pcc_org, "Performance officer, commissioner's office", hashed)
    for partnership, police in ((wn, wn_police), (nn, agencies[AgencyKind.POLICE])):
        Membership.objects.get_or_create(user=officer, partnership=partnership, defaults={"agency": police})
        RoleGrant.objects.get_or_create(user=officer, partnership=partnership, role=Role.AGENCY_OFFICER)
        Membership.objects.get_or_create(user=pcc, partnership=partnership, defaults={"agency": None})
        RoleGrant.objects.get_or_create(user=pcc, partnership=partnership, role=Role.LOCAL_POLICING_BODY)

    area, _ = ForceArea.objects.get_or_create(
        slug="northamptonshire", defaults={"name": "Northamptonshire", "local_policing_body": PCC_OFFICE}
    )
    area.partnerships.add(wn, nn)
    created = _cases(nn, users)
    stdout.write(
        "The force area Northamptonshire (West and North Northamptonshire): np-officer (a Northamptonshire\n"
        "Police officer) and np-pcc (the commissioner's office) work in both and choose after signing in;\n"
        "nnc-<role> as for the other councils.\n"
        f"North Northamptonshire cases for the figures: {created} created."
    )


def _cases(partnership, users) -> int:
    """As statistics.demo does for the other councils (its plan, keyed the same way)."""
    from casereview.applications.demo import DEMO_DOMAIN
    from casereview.applications.models import Application
    from casereview.statistics.demo import CURRENT_YEAR, NAMES, PREVIOUS_YEAR, _case

    today = timezone.localdate()
    current = financial_year_of(today)
    plan = [(current - 1, spec) for spec in PREVIOUS_YEAR] + [(current, spec) for spec in CURRENT_YEAR]
    created = 0
    for index, (year, spec) in enumerate(plan):
        days, outcome, *rest = spec
        received = dt.date(year, 4, 1) + dt.timedelta(days=days)
        if received > today - dt.timedelta(days=50):
            continue
        key = f"stats-{year}-{index:02d}"
        if Application.objects.filter(partnership=partnership, victim__email=f"{key}@{DEMO_DOMAIN}").exists():
            continue
        _case(
            partnership,
            users,
            key,
            received,
            outcome,
            rest[0] if rest else 0,
            NAMES[-1 - index % len(NAMES)],
            today,
        )
        created += 1
    return created
