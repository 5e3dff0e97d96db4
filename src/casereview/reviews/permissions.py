"""Who may do what in the review. Access to the case itself is decided by
`applications.selectors.applications_visible_to`; these say what a user who can already see the
case may do with it."""

from __future__ import annotations

from casereview.accounts.models import Role
from casereview.applications.rules import can_run_review  # the case's SPOC or a manager

# Roles that see the whole review record of a case they can see (the victim's account, the risk
# assessment, every agency's response). Agency officers see only their own agency's part.
REVIEW_RECORD_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SPOC,
    Role.PANEL_CHAIR,
    Role.SENIOR_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.CHIEF_EXECUTIVE,
    Role.DATA_PROTECTION_OFFICER,
)


def can_appoint_spoc(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COMMUNITY_SAFETY_MANAGER)


def can_see_review_record(user, application) -> bool:
    if not user.is_authenticated or user.partnership_id != application.partnership_id:
        return False
    return can_run_review(user, application) or user.has_role(*REVIEW_RECORD_ROLES)
