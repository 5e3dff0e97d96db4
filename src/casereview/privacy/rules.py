"""Who may do what with data protection records — `rules` predicates (the project's pattern for
actions: each app keeps its own in <app>/rules.py; docs/access.md lists them all).

Which cases a user may see at all is decided only by applications_visible_to; these say what a
user who can see a case may do with it. Check with `user.has_perm("privacy.<name>", obj)`.
"""

import rules

from casereview.accounts.models import Role


@rules.predicate
def is_data_protection_officer(user):
    return user.is_authenticated and user.has_role(Role.DATA_PROTECTION_OFFICER)


@rules.predicate
def is_case_manager(user):
    """Those who run cases. Not the Head of Service or Chief Executive: they see cases for the
    escalation of overdue actions and hold no special category data (docs/access.md)."""
    return user.is_authenticated and user.has_role(
        Role.COMMUNITY_SAFETY_MANAGER, Role.SPOC, Role.SENIOR_MANAGER
    )


@rules.predicate
def needs_special_category_data(user):
    """Those who assess risk and vulnerability and run the panel; not agency officers (they see what
    their own agency holds), not analysts or administrators."""
    return user.is_authenticated and user.has_role(
        Role.COMMUNITY_SAFETY_MANAGER,
        Role.SPOC,
        Role.SENIOR_MANAGER,
        Role.PANEL_CHAIR,
        Role.DATA_PROTECTION_OFFICER,
    )


rules.add_perm("privacy.view_special_category", needs_special_category_data)
rules.add_perm("privacy.record_special_category", is_case_manager)
rules.add_perm("privacy.manage_consent", is_case_manager | is_data_protection_officer)
rules.add_perm("privacy.manage_legal_hold", is_data_protection_officer | is_case_manager)
rules.add_perm("privacy.add_evidence", is_case_manager)
rules.add_perm("privacy.view_audit_log", is_data_protection_officer)
rules.add_perm("privacy.manage_data_subject_requests", is_data_protection_officer)
rules.add_perm("privacy.run_retention", is_data_protection_officer)
