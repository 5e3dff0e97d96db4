"""The escalation ladder for one action, as the actions app uses it.

The dating of the ladder is the pure core's (`casereview.core.escalation`, from the policy's
[escalation] steps; seed 004 §13 for West Northamptonshire). This module adds what the app needs
around it: each rung's position on the ladder (1 for the first step in the policy) and plain words
for who a step goes to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casereview.core.escalation import escalation_schedule


@dataclass(frozen=True)
class Rung:
    """One step of the ladder as it applies to one action."""

    position: int  # 1-based, in policy order
    name: str  # the policy's name for the step (chase_owner, line_manager, …)
    recipient: str  # who it goes to, after the line-manager-is-Head-of-Service variant
    reached_on: date  # the first day the step is reached


def ladder(policy, *, due_on: date, line_manager_is_head_of_service: bool, calendar=None) -> list[Rung]:
    """Every rung of the policy's ladder for an action due on `due_on`, earliest first."""
    positions = {step.name: n for n, step in enumerate(policy.escalation, start=1)}
    return [
        Rung(position=positions[due.name], name=due.name, recipient=due.recipient, reached_on=due.reached_on)
        for due in escalation_schedule(
            policy,
            action_due_on=due_on,
            line_manager_is_head_of_service=line_manager_is_head_of_service,
            calendar=calendar,
        )
    ]


RECIPIENT_LABELS = {
    "action_owner": "the action's owner",
    "spoc": "the SPOC",
    "line_manager": "the owner's line manager",
    "head_of_service": "the Head of Service",
    "chief_executive": "the Chief Executive",
    "community_safety_manager": "the community safety manager",
}


def recipient_label(recipient: str) -> str:
    return RECIPIENT_LABELS.get(recipient, recipient.replace("_", " "))
