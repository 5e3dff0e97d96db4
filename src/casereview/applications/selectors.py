"""Reads of applications. Access is decided HERE and nowhere else: every list, page, export,
letter, file and search starts from `applications_visible_to(user)`."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
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
    their agency is party to and whose victim has not withdrawn consent to sharing with partner
    agencies (casereview.privacy). Anyone else, and anyone signed out, sees none.

    A user object that came through a request carries `is_verified()` (django-otp): one who has
    not completed the second factor sees nothing here either, whatever the middleware did.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.partnership_id is None:
        return Application.objects.none()
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and not is_verified():
        return Application.objects.none()
    in_partnership = Application.objects.filter(partnership_id=user.partnership_id)
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return in_partnership
    if user.has_role(Role.AGENCY_OFFICER) and user.agency_id is not None:
        from casereview.privacy.models import ConsentWithdrawal

        withdrawn = ConsentWithdrawal.objects.filter(application=OuterRef("pk"), reinstated_at__isnull=True)
        shared = in_partnership.exclude(Exists(withdrawn))
        return shared.filter(agencies__agency_id=user.agency_id).distinct()
    return Application.objects.none()


def application_get_for_user(user, reference: str, *, purpose: str = "Case record") -> Application:
    """One case by reference, or 404 when it does not exist *or* the user may not see it — the
    two are indistinguishable, so guessing references reveals nothing.

    Every successful call is a read of personal data and is recorded in the access log with
    `purpose`; a refused call for a case that exists is recorded too (the data protection officer
    looks for people trying references they should not).
    """
    from casereview.audit.services import access_event_record, audit_read

    application = applications_visible_to(user).filter(reference=reference).first()
    if application is None:
        if isinstance(reference, str) and Application.objects.filter(reference=reference).exists():
            access_event_record(
                action="denied",
                user=user,
                case_reference=reference,
                summary="Case outside the user's scope: 404 given",
            )
        raise Http404("No such case")
    audit_read(user=user, obj=application, purpose=purpose)
    return application
