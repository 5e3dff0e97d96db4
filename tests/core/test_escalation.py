"""The overdue-action ladder (seed 004 §13)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from casereview.core.escalation import EscalationDue, escalation_schedule, escalations_reached
from casereview.core.policy import load_policy

from .conftest import DELETE, make_policy

WNC = load_policy("west-northamptonshire")
DUE = date(2025, 3, 7)  # a Friday


def test_the_west_northamptonshire_ladder_dates():
    assert escalation_schedule(WNC, action_due_on=DUE) == [
        EscalationDue("chase_owner", "action_owner", date(2025, 3, 8)),  # overdue: the day after it was due
        EscalationDue("line_manager", "line_manager", date(2025, 3, 29)),  # more than 3 weeks
        EscalationDue("head_of_service", "head_of_service", date(2025, 5, 8)),  # more than 2 months
        EscalationDue("chief_executive", "chief_executive", date(2025, 6, 8)),  # more than 3 months
    ]


def test_nothing_on_the_due_day():
    assert escalations_reached(WNC, action_due_on=DUE, today=DUE) == []


def test_overdue_the_next_day_the_spoc_chases_the_owner():
    assert [s.name for s in escalations_reached(WNC, action_due_on=DUE, today=DUE + timedelta(days=1))] == [
        "chase_owner"
    ]


def test_exactly_three_weeks_is_not_more_than_three_weeks():
    assert [s.name for s in escalations_reached(WNC, action_due_on=DUE, today=date(2025, 3, 28))] == [
        "chase_owner"
    ]
    assert [s.name for s in escalations_reached(WNC, action_due_on=DUE, today=date(2025, 3, 29))][
        -1
    ] == "line_manager"


def test_where_the_line_manager_is_the_head_of_service_it_goes_to_the_chief_executive():
    reached = escalations_reached(
        WNC, action_due_on=DUE, today=date(2025, 5, 8), line_manager_is_head_of_service=True
    )
    assert [(s.name, s.recipient) for s in reached] == [
        ("chase_owner", "action_owner"),
        ("line_manager", "line_manager"),
        ("head_of_service", "chief_executive"),
    ]


def test_month_ends_clamp():
    schedule = {s.name: s.reached_on for s in escalation_schedule(WNC, action_due_on=date(2024, 12, 31))}
    assert schedule["head_of_service"] == date(
        2025, 3, 1
    )  # 2 months after 31 Dec is 28 Feb; more than that is 1 Mar


def test_steps_in_working_days_use_the_calendar():
    policy = make_policy(
        "statutory",
        {"escalation.steps": [{"name": "chase", "more_than": "5 working days", "recipient": "spoc"}]},
    )
    # Due Thursday 15 September 2022: 5 working days later is Friday 23 September (State Funeral on the 19th).
    assert escalation_schedule(policy, action_due_on=date(2022, 9, 15))[0].reached_on == date(2022, 9, 24)


def test_a_policy_without_a_ladder():
    assert (
        escalations_reached(
            make_policy("statutory", {"escalation": DELETE}), action_due_on=DUE, today=date(2030, 1, 1)
        )
        == []
    )


@given(
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 1, 1)),
    first=st.integers(min_value=0, max_value=200),
    later=st.integers(min_value=0, max_value=200),
)
def test_a_later_sweep_only_adds_steps(due, first, later):
    """So a sweep that records each step it sends sends each exactly once, even after missed days."""
    earlier = escalations_reached(WNC, action_due_on=due, today=due + timedelta(days=first))
    after = escalations_reached(WNC, action_due_on=due, today=due + timedelta(days=first + later))
    assert after[: len(earlier)] == earlier


def test_a_working_day_step_is_dated_on_the_calendar_given_and_reached_on_it():
    """The deployment's calendar (its own closures) is the one a working-day step counts on, for the
    schedule and for the steps reached; the policy's calendar only when none is given."""
    from casereview.core.calendar import get_calendar

    policy = make_policy(
        "statutory",
        {"escalation.steps": [{"name": "chase", "more_than": "5 working days", "recipient": "spoc"}]},
    )
    due = date(2025, 3, 3)  # a Monday; 5 working days later is Monday 10 March, reached on the 11th
    closed = get_calendar(extra=[date(2025, 3, 5)], environ={})  # a closure day: one working day later
    chase = [EscalationDue("chase", "spoc", date(2025, 3, 12))]
    assert escalation_schedule(policy, action_due_on=due) == [
        EscalationDue("chase", "spoc", date(2025, 3, 11))
    ]
    assert escalation_schedule(policy, action_due_on=due, calendar=closed) == chase
    assert escalations_reached(policy, action_due_on=due, today=date(2025, 3, 11), calendar=closed) == []
    assert escalations_reached(policy, action_due_on=due, today=date(2025, 3, 12), calendar=closed) == chase
