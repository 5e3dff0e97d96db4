"""Cases at each step of the review, built through the real services."""

from __future__ import annotations

import datetime as dt

from casereview.accounts.models import Agency, Role, RoleGrant, User
from casereview.applications.models import AllegedPerpetrator, Status
from casereview.applications.services import application_set_status
from casereview.reviews import services as review_services
from tests.factories import make_application

ACKNOWLEDGED_ON = dt.date(2025, 4, 16)
ACCEPTED_ON = dt.date(2025, 4, 22)
APPOINTED_ON = dt.date(2025, 4, 24)


def accepted_application(demo, slug: str = "west-northamptonshire", **kwargs):
    partnership = demo.partnership(slug)
    prefix = partnership.reference_prefix.lower()
    csm = demo.user(f"{prefix}-csm")
    application = make_application(partnership, **kwargs)
    application_set_status(
        application=application,
        to=Status.ACKNOWLEDGED,
        actor=csm,
        summary="Acknowledged.",
        occurred_on=ACKNOWLEDGED_ON,
    )
    application_set_status(
        application=application, to=Status.ACCEPTED, actor=csm, summary="Accepted.", occurred_on=ACCEPTED_ON
    )
    return application


def independent_spoc(demo, slug: str = "west-northamptonshire", username: str = "wn-spoc-2") -> User:
    """A SPOC working for an agency that received none of the case's reports."""
    partnership = demo.partnership(slug)
    agency, _ = Agency.objects.get_or_create(
        partnership=partnership, name="Community Safety Partnership Team", defaults={"kind": "other"}
    )
    user = User.objects.filter(username=username).first() or User.objects.create_user(
        username=username,
        first_name="Indira",
        last_name="Shah",
        partnership=partnership,
        agency=agency,
        job_title="ASB Case Review SPOC",
        email=f"{username}@example.gov.uk",
    )
    RoleGrant.objects.get_or_create(user=user, partnership=partnership, role=Role.SPOC)
    return User.objects.get(pk=user.pk)


def in_review_application(demo, slug: str = "west-northamptonshire", **kwargs):
    application = accepted_application(demo, slug, **kwargs)
    prefix = demo.partnership(slug).reference_prefix.lower()
    review_services.spoc_appoint(
        application=application,
        spoc=demo.user(f"{prefix}-spoc"),
        actor=demo.user(f"{prefix}-csm"),
        appointed_on=APPOINTED_ON,
        override_reason="Works in community safety, not the ASB team that took the report.",
    )
    application.refresh_from_db()
    return application


def add_perpetrator(
    application,
    name="Darren Kettering",
    address="14 Acacia Avenue\nNorthampton\nNN1 4XX",
    date_of_birth=dt.date(1990, 3, 12),
):
    return AllegedPerpetrator.objects.create(
        application=application, name=name, address=address, date_of_birth=date_of_birth
    )
