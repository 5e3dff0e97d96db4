"""Edges that `make mutate` found no test for (docs/testing.md, "Mutation testing"): each test here
kills one or more surviving mutants of the core."""

from datetime import date

import pytest

from casereview.core.calendar import CALENDARS, ENVIRONMENT_VARIABLE, WorkingCalendar, get_calendar
from casereview.core.errors import PolicyError
from casereview.core.escalation import escalation_schedule, escalations_reached
from casereview.core.panels import quorum_shortfalls
from casereview.core.policy import Panel, load_policy


def test_an_unknown_calendar_made_directly_names_the_key_the_name_and_the_known_ones():
    with pytest.raises(PolicyError) as raised:
        WorkingCalendar("narnia")
    assert raised.value.key == "calendar"
    known = ", ".join(sorted(CALENDARS))
    assert raised.value.problem == f"unknown calendar 'narnia' (known: {known})"
    assert "england-and-wales" in known and "XX" not in known


def test_the_environment_file_adds_to_the_policys_own_changes(tmp_path):
    path = tmp_path / "extra.txt"
    path.write_text("2027-05-07\n-2027-08-30\n", encoding="utf-8")
    calendar = get_calendar(
        extra=[date(2027, 6, 4)], cancelled=[date(2027, 5, 3)], environ={ENVIRONMENT_VARIABLE: str(path)}
    )
    assert not calendar.is_working_day(date(2027, 6, 4)) and not calendar.is_working_day(date(2027, 5, 7))
    assert calendar.is_working_day(date(2027, 5, 3)) and calendar.is_working_day(date(2027, 8, 30))


def test_an_unreadable_environment_file_is_an_error_on_the_environment_variable(tmp_path):
    with pytest.raises(PolicyError) as raised:
        get_calendar(environ={ENVIRONMENT_VARIABLE: str(tmp_path / "nope.txt")})
    assert raised.value.key == ENVIRONMENT_VARIABLE


def test_the_escalation_ladder_by_default_assumes_the_line_manager_is_not_the_head_of_service():
    policy = load_policy("west-northamptonshire")
    due, today = date(2025, 3, 3), date(2025, 6, 30)
    assert escalations_reached(policy, action_due_on=due, today=today) == escalations_reached(
        policy, action_due_on=due, today=today, line_manager_is_head_of_service=False
    )
    assert escalations_reached(policy, action_due_on=due, today=today) != escalations_reached(
        policy, action_due_on=due, today=today, line_manager_is_head_of_service=True
    )


def test_the_steps_reached_are_those_of_the_schedule_on_the_calendar_given():
    policy = load_policy("west-northamptonshire")
    due, today = date(2025, 3, 3), date(2025, 3, 4)
    closed = get_calendar(extra=[date(2025, 3, 4)], environ={})  # the day after it was due: a holiday
    assert escalations_reached(policy, action_due_on=due, today=today, calendar=closed) == [
        step
        for step in escalation_schedule(policy, action_due_on=due, calendar=closed)
        if step.reached_on <= today
    ]


def test_a_panel_with_no_relevant_body_says_none_attend():
    assert quorum_shortfalls(Panel(min_relevant_bodies=3, required_roles=()), []) == (
        "The panel needs representatives of at least 3 relevant bodies; 0 attending (none).",
    )


def test_a_duration_made_directly_refuses_an_unknown_unit_and_a_number_that_is_not_whole():
    from casereview.core.periods import UNITS, Duration, DurationError

    with pytest.raises(DurationError) as raised:
        Duration(3, "fortnights")
    assert str(raised.value) == f"unknown unit 'fortnights' (expected one of {', '.join(UNITS)})"
    assert "(expected one of days, working_days, weeks, months)" in str(raised.value)
    for amount in (-1, 1.5, True):
        with pytest.raises(DurationError) as raised:
            Duration(amount, "days")
        assert str(raised.value) == f"the number must be a whole number, 0 or more: {amount!r}"
    assert Duration(0, "days").amount == 0


def test_a_period_of_zero_or_one_working_days_beginning_with_a_working_day():
    from casereview.core.periods import Duration, period_beginning_with

    calendar = get_calendar(environ={})
    monday = date(2025, 3, 3)
    assert period_beginning_with(Duration(0, "working_days"), monday, calendar) == (monday, date(2025, 3, 2))
    assert period_beginning_with(Duration(1, "working_days"), monday, calendar) == (monday, monday)
