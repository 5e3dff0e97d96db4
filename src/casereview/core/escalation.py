"""The overdue-action ladder: who hears about an action from a review's plan that is not done.

Seed 004 §13 (West Northamptonshire): "Where an action is not completed within the agreed
timeframe the SPOC will contact the person assigned the action. If the action remains outstanding
for more than three weeks the SPOC will escalate this to the assigned person's direct line manager.
Outstanding actions that remain incomplete for more than two months will be escalated to the Head
of Service and where the immediate line manager is the Head of Service it will be escalated to the
Chief Executive. If actions remain incomplete for more than three months this will be escalated to
the Chief Executive." The policy holds the ladder as ``[[escalation.steps]]``; this module dates it.

A step with ``more_than = P`` is reached on the first day the action has been outstanding for
*more than* P past its due date: the day after ``P.after(due date)`` (see periods.Duration.after).
So with an action due on Friday 7 March 2025: "more than 0 days" is reached on 8 March (it is
overdue), "more than 3 weeks" on 29 March, "more than 2 months" on 8 May.

The functions are pure, with "today" passed in, so a daily sweep can ask "which steps has this
action reached?" and send each step it has not already recorded — exactly once, even if the sweep
missed some days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from casereview.core.calendar import WorkingCalendar
from casereview.core.policy import Policy

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class EscalationDue:
    """A step of the ladder for one action: its ``name`` (unique within the policy: record it to
    send once), who it goes to (vocabulary.ESCALATION_RECIPIENTS), and the day it was reached."""

    name: str
    recipient: str
    reached_on: date


def escalation_schedule(
    policy: Policy,
    *,
    action_due_on: date,
    line_manager_is_head_of_service: bool = False,
    calendar: WorkingCalendar | None = None,
) -> list[EscalationDue]:
    """Every step of the policy's ladder for an action due on ``action_due_on``, in date order.

    Useful to show "escalates to the line manager on 29 March" before it happens. Steps reached on
    the same day keep the policy's order. ``calendar`` is needed only for steps in working days
    (the policy's own calendar is used if not given).
    """
    if calendar is None and any(step.more_than.needs_calendar for step in policy.escalation):
        calendar = policy.working_calendar()
    schedule = []
    for step in policy.escalation:
        recipient = step.recipient
        if line_manager_is_head_of_service and step.recipient_when_line_manager_is_head_of_service:
            recipient = step.recipient_when_line_manager_is_head_of_service
        reached_on = step.more_than.after(action_due_on, calendar) + ONE_DAY
        schedule.append(EscalationDue(step.name, recipient, reached_on))
    return sorted(schedule, key=lambda due: due.reached_on)  # stable: ties keep policy order


def escalations_reached(
    policy: Policy,
    *,
    action_due_on: date,
    today: date,
    line_manager_is_head_of_service: bool = False,
    calendar: WorkingCalendar | None = None,
) -> list[EscalationDue]:
    """The steps an action still outstanding on ``today`` has reached, earliest first.

    An action that is complete should not be passed in at all: completion stops the ladder.
    """
    return [
        due
        for due in escalation_schedule(
            policy,
            action_due_on=action_due_on,
            line_manager_is_head_of_service=line_manager_is_head_of_service,
            calendar=calendar,
        )
        if due.reached_on <= today
    ]
