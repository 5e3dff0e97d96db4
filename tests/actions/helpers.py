"""Set-up for action tests: a case with a SPOC and an action owned by a named officer.

Actions are created by the panel's services (another part of the product); here they are made
directly, with the owner's agency linked to the case as that service does.
"""

from __future__ import annotations

import datetime as dt

from casereview.actions.models import Action
from casereview.applications.models import Application
from casereview.applications.services import application_agency_link
from tests.factories import make_application


def case_with_spoc(
    demo, *, slug: str = "west-northamptonshire", spoc: str = "wn-spoc", **extra
) -> Application:
    application = make_application(demo.partnership(slug), **extra)
    # The SPOC is set by the review's appointment service; a direct update stands in for it here.
    Application.objects.filter(pk=application.pk).update(spoc=demo.user(spoc))
    application.refresh_from_db()
    return application


def action_for(
    application, owner, *, due_on: dt.date, description: str = "Visit the neighbour", **extra
) -> Action:
    agency = extra.pop("owner_agency", None) or owner.agency
    application_agency_link(application=application, agency=agency, reason="Owns an action")
    return Action.objects.create(
        case=application,
        description=description,
        owner_agency=agency,
        owner=owner,
        due_on=due_on,
        **extra,
    )
