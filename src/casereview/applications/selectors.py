"""Reads of applications. Access is decided HERE and nowhere else: every list, page, export,
letter, file and search starts from `applications_visible_to(user)`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from casereview.accounts.models import Role

from .models import Application

# Roles that see every case of their own partnership. An agency officer sees only the cases their
# agency is party to (ApplicationAgency); a user with no role sees nothing.
PARTNERSHIP_WIDE_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SPOC,
    Role.SENIOR_MANAGER,
    Role.PANEL_CHAIR,
    Role.HEAD_OF_SERVICE,
    Role.CHIEF_EXECUTIVE,
    Role.DATA_PROTECTION_OFFICER,
    Role.ADMINISTRATOR,
)


def applications_visible_to(user) -> QuerySet[Application]:
    """The cases this user may see: their partnership's, and for an agency officer only those
    their agency is party to. Anyone else, and anyone signed out, sees none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.partnership_id is None:
        return Application.objects.none()
    in_partnership = Application.objects.filter(partnership_id=user.partnership_id)
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return in_partnership
    if user.has_role(Role.AGENCY_OFFICER) and user.agency_id is not None:
        return in_partnership.filter(agencies__agency_id=user.agency_id).distinct()
    return Application.objects.none()


def application_get_for_user(user, reference: str) -> Application:
    """One case by reference, or 404 when it does not exist *or* the user may not see it — the
    two are indistinguishable, so guessing references reveals nothing."""
    application = applications_visible_to(user).filter(reference=reference).first()
    if application is None:
        raise Http404("No such case")
    return application
