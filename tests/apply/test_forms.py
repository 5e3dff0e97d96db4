"""The application's date questions: each message names the date and marks the part that is wrong
(the rules are web.dates', tested in tests/web/test_dates.py)."""

import datetime as dt

import pytest

from casereview.apply.forms import IncidentReportsForm, IncidentWhenForm

TODAY = dt.date(2026, 3, 18)


def when(day, month, year):
    form = IncidentWhenForm(
        {"occurred_day": day, "occurred_month": month, "occurred_year": year}, today=TODAY
    )
    form.is_valid()
    return form


def test_a_real_past_date_is_accepted():
    assert when("5", "3", "2026").cleaned_data["occurred_on"] == dt.date(2026, 3, 5)
    assert when(" 18", "03 ", "2026").cleaned_data["occurred_on"] == TODAY


@pytest.mark.parametrize(
    ("parts", "message", "wrong"),
    [
        (("", "", ""), "Enter the date the incident happened", ("day", "month", "year")),
        (("5", "", "2026"), "The date the incident happened must include a month", ("month",)),
        (("", "", "2026"), "The date the incident happened must include a day and month", ("day", "month")),
        (("31", "2", "2026"), "The date the incident happened must be a real date", ("day",)),
        (("5", "13", "2026"), "The date the incident happened must be a real date", ("month",)),
        (("five", "3", "2026"), "The date the incident happened must be a real date", ("day",)),
        (("12345", "3", "2026"), "The date the incident happened must be a real date", ("day",)),
        (("5", "3", "26"), "The year of the date the incident happened must include 4 numbers", ("year",)),
        (
            ("19", "3", "2026"),
            "The date the incident happened must be today or in the past",
            ("day", "month", "year"),
        ),
    ],
)
def test_each_problem_has_a_message_naming_the_date_and_marks_the_wrong_part(parts, message, wrong):
    form = when(*parts)
    assert form.errors == {"occurred": [message]}  # one message, at the date, not at a box
    assert form.cleaned_data["occurred_on"] is None
    assert form.date_wrong["occurred"] == wrong
    assert form.error_summary() == [{"href": f"#occurred_{wrong[0]}", "text": message}]
    assert [part["error"] for part in form.occurred["parts"]] == [
        p in wrong for p in ("day", "month", "year")
    ]


def test_a_report_before_the_incident_says_so():
    form = IncidentReportsForm(
        {"police-reported_day": "1", "police-reported_month": "3", "police-reported_year": "2026"},
        reported=[("police", "Northamptonshire Police")],
        occurred_on=dt.date(2026, 3, 2),
        today=TODAY,
    )
    assert not form.is_valid()
    assert form.errors["police-reported"] == [
        "The date you reported it to Northamptonshire Police must be the same as or after "
        "the date the incident happened (2 March 2026)"
    ]
