"""The escalation ladder for one action: built once from the policy, named one way everywhere.

The dating of the ladder is the pure core's (`casereview.core.escalation`, from the policy's
[escalation] steps; seed 004 §13 for West Northamptonshire). This module is the one place the app
turns it into rungs: each rung's number on the ladder, who it goes to in plain words, and its
title — "Step 4: the Chief Executive" — which the action page, the overdue list, the case event,
the in-app notices and the emails all print from `Rung.title` / `rung_title`, so they cannot
disagree. It also decides which rung the sweep sends (`rung_to_send`): one at a time, on its
own date, each once, and for an action already long overdue only the highest rung it has reached.

Why the Chief Executive can appear at two rungs: seed 004 §13 escalates at two months to the Head
of Service, "and where the immediate line manager is the Head of Service it will be escalated to
the Chief Executive", and at three months to the Chief Executive in any case. Where the owner's
line manager is the Head of Service, the Head of Service was already told at three weeks (as line
manager), so the two-month step goes over their head to the Chief Executive — and the three-month
step tells the Chief Executive again that the action is still not done a month later. These are
two different rungs, each sent once; the policy's
`recipient_when_line_manager_is_head_of_service` is how a council states this rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from casereview.core.escalation import escalation_schedule

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


def rung_title(position: int, recipient: str) -> str:
    """The one way a rung is named: "Step 4: the Chief Executive"."""
    return f"Step {position}: {recipient_label(recipient)}"


@dataclass(frozen=True)
class Rung:
    """One step of the ladder as it applies to one action."""

    position: int  # 1-based: the rung's place on this action's ladder, earliest first
    name: str  # the policy's name for the step (chase_owner, line_manager, …)
    recipient: str  # who it goes to, after the line-manager-is-Head-of-Service variant
    reached_on: date  # the first day the step is reached

    @property
    def who(self) -> str:
        return recipient_label(self.recipient)

    @property
    def title(self) -> str:
        return rung_title(self.position, self.recipient)


def ladder(policy, *, due_on: date, line_manager_is_head_of_service: bool, calendar=None) -> list[Rung]:
    """Every rung of the policy's ladder for an action due on `due_on`, earliest first, numbered
    in that order (the order the table on the action page shows them)."""
    return [
        Rung(position=number, name=due.name, recipient=due.recipient, reached_on=due.reached_on)
        for number, due in enumerate(
            escalation_schedule(
                policy,
                action_due_on=due_on,
                line_manager_is_head_of_service=line_manager_is_head_of_service,
                calendar=calendar,
            ),
            start=1,
        )
    ]


def rung_to_send(rungs: list[Rung], *, sent: Iterable[str], today: date) -> Rung | None:
    """The one rung the sweep should send today, if any: the highest rung reached by `today`,
    when neither it nor a later rung has been sent. A sweep that runs every day sends each rung on
    its own date; one that meets an action already months overdue (the sweep was not running, the
    action was imported late) sends only the rung that applies now — the lower ones are passed
    over for good, not sent in a burst of out-of-date notices."""
    sent = set(sent)
    reached = [rung for rung in rungs if rung.reached_on <= today]
    if not reached:
        return None
    top = reached[-1]
    if any(rung.name in sent for rung in rungs[top.position - 1 :]):
        return None
    return top


def passed_over(rungs: list[Rung], *, sent: Iterable[str]) -> set[str]:
    """The rungs never sent because a later rung was sent first (see `rung_to_send`)."""
    sent = set(sent)
    last_sent = max((rung.position for rung in rungs if rung.name in sent), default=0)
    return {rung.name for rung in rungs if rung.position < last_sent and rung.name not in sent}
