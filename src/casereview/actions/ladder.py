"""The escalation ladder for an overdue action, read from the local policy's [escalation] section.

Pure: no Django, no clock. Given the policy's steps, the date the action is due, "today" and whether
the owner's line manager is the Head of Service, it says which rungs have been reached and to whom
each goes. West Northamptonshire (seed 004 §13):

    overdue                 -> the SPOC chases the owner            (more than 0 days)
    more than three weeks   -> the owner's direct line manager       (more than 3 weeks)
    more than two months    -> the Head of Service, or the Chief
                               Executive where the line manager IS
                               the Head of Service                  (more than 2 months)
    more than three months  -> the Chief Executive                  (more than 3 months)

"More than N past the due date" is read as: today is after the day that is N from the due date
(`Duration.after`, the same "from" arithmetic as every deadline). An action due on 1 March is
overdue on 2 March; more than three weeks overdue on 23 March; more than two months overdue on
2 May.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class Rung:
    """One step of the ladder as it applies to one action."""

    position: int  # 1-based, in policy order
    name: str  # the policy's name for the step (chase_owner, line_manager, …)
    recipient: str  # who it goes to, after the line-manager-is-Head-of-Service variant
    reached_on: date  # the first day the step is reached


def ladder(
    steps: Iterable[Any], *, due_on: date, line_manager_is_head_of_service: bool, calendar=None
) -> list[Rung]:
    """Every rung of the ladder for an action due on `due_on`, with the day each is reached."""
    rungs = []
    for position, step in enumerate(steps, start=1):
        threshold = step.more_than.after(due_on, calendar)
        recipient = step.recipient
        variant = getattr(step, "recipient_when_line_manager_is_head_of_service", None)
        if variant and line_manager_is_head_of_service:
            recipient = variant
        rungs.append(
            Rung(
                position=position,
                name=step.name,
                recipient=recipient,
                reached_on=threshold + timedelta(days=1),
            )
        )
    return rungs


def steps_reached(
    steps: Iterable[Any],
    *,
    due_on: date,
    today: date,
    line_manager_is_head_of_service: bool,
    calendar=None,
) -> list[Rung]:
    """The rungs reached by `today`, lowest first. An action not yet overdue has reached none."""
    return [
        rung
        for rung in ladder(
            steps,
            due_on=due_on,
            line_manager_is_head_of_service=line_manager_is_head_of_service,
            calendar=calendar,
        )
        if today >= rung.reached_on
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
