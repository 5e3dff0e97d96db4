"""Is the panel properly made up? The seats of a meeting put to the core's quorum rule.

The rule itself is the local policy's `[panel]` section, applied by
`casereview.core.panels.quorum_shortfalls` (at least `min_relevant_bodies` of the council, police,
social housing provider and health body; every role in `required_roles` — West Northamptonshire:
the four bodies, the SPOC, an independent chair and a minute taker). This module turns panel
members into the roles the core counts, and adds what only the case knows: the chair must not be
the SPOC.

Before the meeting the check WARNS; it does not stop a meeting being scheduled, because a panel
short of a member is fixed by inviting one, and the warning, shown on the case and the meeting page
before the day, is what makes that happen. When the meeting is recorded it counts only those who
attended, adds the independent chair and the victim's voice (`core.panels.held_shortfalls`), and
a meeting short of any of them is recorded as held only with the chair's reason for going ahead
(`panels.services.panel_record`); it is then "inquorate" on the meeting, the case and the lists,
in the victim's outcome letter, and in the statistics only where the policy counts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from casereview.core.panels import held_shortfalls, quorum_shortfalls
from casereview.core.policy import Panel

RELEVANT_BODY_KINDS = ("council", "police", "housing", "health")
# Used when a policy has no [panel] section: the statutory guidance's "at least three".
DEFAULT_PANEL = Panel(min_relevant_bodies=3, required_roles=())


@dataclass(frozen=True)
class Seat:
    """One panel member as the check needs them."""

    role: str  # panels.models.MemberRole
    agency_kind: str | None = None
    user_id: int | None = None
    attended: bool | None = None

    @property
    def counts_as(self) -> str | None:
        """The core's panel role (vocabulary.PANEL_ROLES) this seat fills, if any."""
        if self.role == "representative":
            return self.agency_kind if self.agency_kind in RELEVANT_BODY_KINDS else None
        if self.role in ("spoc", "independent_chair", "minute_taker"):
            return self.role
        return None


@dataclass(frozen=True)
class QuorumResult:
    problems: tuple[str, ...]
    after_meeting: bool

    @property
    def ok(self) -> bool:
        return not self.problems


def quorum_check(
    seats: list[Seat], *, panel: Panel | None, after_meeting: bool = False, victim_voice: str | None = None
) -> QuorumResult:
    """What is missing from the panel, in words the SPOC can act on.

    Before the meeting every invited member counts; `after_meeting` counts only those recorded as
    having attended, so a meeting held without its quorum shows on the record. Given how the
    victim's voice was heard (`victim_voice`, once the meeting is recorded) it is the held check:
    the independent chair and the victim's voice are needed too.
    """
    counted = [s for s in seats if s.attended] if after_meeting else list(seats)
    roles = [s.counts_as for s in counted if s.counts_as]
    if victim_voice is not None:
        problems = list(held_shortfalls(panel or DEFAULT_PANEL, roles, victim_voice=victim_voice))
    else:
        problems = list(quorum_shortfalls(panel or DEFAULT_PANEL, roles))
    spocs = {s.user_id for s in counted if s.role == "spoc" and s.user_id}
    if any(s.role == "independent_chair" and s.user_id in spocs for s in counted if s.user_id):
        problems.append("The chair is also the SPOC: the chair must be independent of the case.")
    return QuorumResult(problems=tuple(problems), after_meeting=after_meeting)
