"""Who of the staff may see and act on what the person sent from their own view (ADR 0072).

These apply to a case the user can already see (`applications.selectors.case_get_for_user`): out
of scope stays a 404 before any of these is asked.

- ``portal.see_sent_items``: the diary entries, uploads and the victim's view for the panel, and
  downloading a cleared upload — the partnership's caseworkers (community safety manager, SPOC,
  senior manager, administrator), as for the case's evidence. Not the partner agencies' officers:
  what the victim sends is for the SPOC to review first; what belongs on the case becomes an
  incident, which the agencies party to the case then see.
- ``portal.review_diary``: marking a diary entry reviewed — who runs the review (the case's SPOC,
  or a community safety manager covering), as for the action plan.
- ``portal.diary_to_incident``: turning a diary entry into an incident — the same people, while the
  case's evidence may be edited (`applications.edit_evidence`: the case is open).
"""

from __future__ import annotations

import rules

from casereview.applications.rules import can_run_review, is_caseworker, same_partnership


@rules.predicate
def runs_the_review(user, case) -> bool:
    return case is not None and bool(getattr(user, "is_authenticated", False)) and can_run_review(user, case)


@rules.predicate
def may_edit_evidence(user, case) -> bool:
    return user.has_perm("applications.edit_evidence", case)


rules.add_perm("portal.see_sent_items", is_caseworker & same_partnership)
rules.add_perm("portal.review_diary", is_caseworker & same_partnership & runs_the_review)
rules.add_perm(
    "portal.diary_to_incident", is_caseworker & same_partnership & runs_the_review & may_edit_evidence
)
