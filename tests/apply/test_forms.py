"""The GOV.UK date input check: each message names the date and the part that is wrong."""

import datetime as dt

import pytest

from casereview.apply.forms import INCIDENT_DATE_LABEL, date_from_parts

TODAY = dt.date(2026, 3, 18)


def check(day, month, year, **kwargs):
    return date_from_parts(day, month, year, label=INCIDENT_DATE_LABEL, today=TODAY, **kwargs)


def test_a_real_past_date_is_accepted():
    assert check("5", "3", "2026").value == dt.date(2026, 3, 5)
    assert check(" 18", "03 ", "2026").value == TODAY


@pytest.mark.parametrize(
    ("parts", "message", "wrong"),
    [
        (("", "", ""), "Enter the date the incident happened", ("day", "month", "year")),
        (("5", "", "2026"), "The date the incident happened must include a month", ("month",)),
        (("", "", "2026"), "The date the incident happened must include a day and month", ("day", "month")),
        (("31", "2", "2026"), "The date the incident happened must be a real date", ("day",)),
        (("5", "13", "2026"), "The date the incident happened must be a real date", ("month",)),
        (("five", "3", "2026"), "The date the incident happened must be a real date", ("day",)),
        (("5", "3", "26"), "The year of the date the incident happened must include 4 numbers", ("year",)),
        (
            ("19", "3", "2026"),
            "The date the incident happened must be today or in the past",
            ("day", "month", "year"),
        ),
    ],
)
def test_each_problem_has_a_message_naming_the_date_and_marks_the_wrong_part(parts, message, wrong):
    result = check(*parts)
    assert result.value is None
    assert result.error == message
    assert result.wrong == wrong


def test_a_report_before_the_incident_says_so():
    result = date_from_parts(
        "1",
        "3",
        "2026",
        label="the date you reported it to Northamptonshire Police",
        today=TODAY,
        not_before=dt.date(2026, 3, 2),
        not_before_words="the date the incident happened (2 March 2026)",
    )
    assert result.error == (
        "The date you reported it to Northamptonshire Police must be the same as or after "
        "the date the incident happened (2 March 2026)"
    )
