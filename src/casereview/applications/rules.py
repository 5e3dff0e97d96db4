"""Who may do what to a case (django-rules). Seeing a case is decided elsewhere, once:
`selectors.applications_visible_to`. These rules apply only to a case the user can already see,
so a refusal here is a 403, while a case out of scope stays a 404.

Permissions (checked with ``user.has_perm("applications.<name>", application)``):

- ``record_application`` (no object): community safety manager, SPOC, senior manager, administrator
- ``acknowledge``, ``edit_evidence``, ``decide``, ``withdraw``: the same roles, for a case of their
  own partnership; agency officers and the other roles only read
- ``decide_discretion`` (accept although the threshold is not met): community safety manager or
  senior manager (seed 004 §11: the manager's professional judgement)
- ``decide_safeguarding`` (the senior manager route, seed 004 §5, §8): senior manager
"""

from __future__ import annotations

import rules

from casereview.accounts.models import Role

from .models import ALLOWED_TRANSITIONS, Status

CASEWORK_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.SPOC, Role.SENIOR_MANAGER, Role.ADMINISTRATOR)


def _has(*roles):
    @rules.predicate
    def predicate(user) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.is_active and user.has_role(*roles))

    return predicate


@rules.predicate
def same_partnership(user, application) -> bool:
    return application is not None and getattr(user, "partnership_id", None) == application.partnership_id


@rules.predicate
def case_is_open(user, application) -> bool:
    return application is not None and application.is_open


@rules.predicate
def case_can_be_withdrawn(user, application) -> bool:
    """Withdrawn is a status the case may move to now (models.ALLOWED_TRANSITIONS): up to and
    including panel held. A monitored case is closed instead."""
    return application is not None and Status.WITHDRAWN in ALLOWED_TRANSITIONS.get(application.status, ())


DECIDABLE = frozenset({Status.ACKNOWLEDGED, Status.AWAITING_CONSENT, Status.DECLINED})


@rules.predicate
def case_is_decidable(user, application) -> bool:
    """Acknowledged first (the process's order); a declined case may be reconsidered (accepted)."""
    return application is not None and application.status in DECIDABLE


@rules.predicate
def case_awaits_acknowledgement(user, application) -> bool:
    return application is not None and application.status == Status.RECEIVED


def can_run_review(user, application) -> bool:
    """The case's SPOC, or a community safety manager (who covers when the SPOC is away): who runs
    the review and its action plan. It is here, with the case that holds the SPOC, so the actions
    app, which sits below the review (ADR 0037), asks it without importing the review."""
    if not user.is_authenticated or user.partnership_id != application.partnership_id:
        return False
    return user.has_role(Role.COMMUNITY_SAFETY_MANAGER) or (
        application.spoc_id is not None and application.spoc_id == user.pk
    )


is_caseworker = _has(*CASEWORK_ROLES)
is_csm_or_senior = _has(Role.COMMUNITY_SAFETY_MANAGER, Role.SENIOR_MANAGER)
is_senior_manager = _has(Role.SENIOR_MANAGER)

rules.add_perm("applications.record_application", is_caseworker)
rules.add_perm("applications.acknowledge", is_caseworker & same_partnership & case_awaits_acknowledgement)
rules.add_perm("applications.edit_evidence", is_caseworker & same_partnership & case_is_open)
rules.add_perm("applications.decide", is_caseworker & same_partnership & case_is_decidable)
rules.add_perm("applications.decide_discretion", is_csm_or_senior & same_partnership & case_is_decidable)
rules.add_perm("applications.decide_safeguarding", is_senior_manager & same_partnership & case_is_decidable)
rules.add_perm("applications.withdraw", is_caseworker & same_partnership & case_can_be_withdrawn)
