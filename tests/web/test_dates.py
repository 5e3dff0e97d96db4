"""The GOV.UK date input check: each message names the date and marks the boxes that are wrong."""

import datetime as dt

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from casereview.web.dates import GovDateField, date_from_parts

TODAY = dt.date(2026, 3, 18)
WORDS = "the date of the decision"
ALL = ("day", "month", "year")


def check(day, month, year, **rules):
    return date_from_parts(day, month, year, words=WORDS, today=TODAY, **rules)


def test_a_real_date_is_returned_with_what_was_typed():
    result = check(" 5", "03 ", "2026")
    assert result.value == dt.date(2026, 3, 5)
    assert (result.day, result.month, result.year) == ("5", "03", "2026")
    assert result.error == "" and result.wrong == ()


@pytest.mark.parametrize(
    ("parts", "message", "wrong"),
    [
        (("", "", ""), "Enter the date of the decision", ALL),
        ((" ", "", "  "), "Enter the date of the decision", ALL),
        (("1", "", "2025"), "The date of the decision must include a month", ("month",)),
        (("", "2", "2025"), "The date of the decision must include a day", ("day",)),
        (("1", "2", ""), "The date of the decision must include a year", ("year",)),
        (("", "", "2025"), "The date of the decision must include a day and month", ("day", "month")),
        (("1", "", ""), "The date of the decision must include a month and year", ("month", "year")),
        (("a", "2", "2025"), "The date of the decision must be a real date", ("day",)),
        (("1", "Feb", "2025"), "The date of the decision must be a real date", ("month",)),
        (("-1", "2", "2O25"), "The date of the decision must be a real date", ("day", "year")),
        (("١", "2", "2025"), "The date of the decision must be a real date", ("day",)),  # not 0-9
        (("1", "2", "25"), "The year of the date of the decision must include 4 numbers", ("year",)),
        (("1", "2", "02025"), "The year of the date of the decision must include 4 numbers", ("year",)),
        (("31", "2", "2025"), "The date of the decision must be a real date", ("day",)),
        (("29", "2", "2025"), "The date of the decision must be a real date", ("day",)),
        (("0", "2", "2025"), "The date of the decision must be a real date", ("day",)),
        (("99999999999999999999", "2", "2025"), "The date of the decision must be a real date", ("day",)),
        (("1", "13", "2025"), "The date of the decision must be a real date", ("month",)),
        (("31", "0", "2025"), "The date of the decision must be a real date", ("month",)),
        (
            ("1", "2", "1899"),
            "The date of the decision must be the same as or after 1 January 1900",
            ("year",),
        ),
        (
            ("1", "2", "0000"),
            "The date of the decision must be the same as or after 1 January 1900",
            ("year",),
        ),
    ],
)
def test_each_problem_has_its_message_and_marks_the_wrong_boxes(parts, message, wrong):
    result = check(*parts)
    assert result.value is None
    assert result.error == message
    assert result.wrong == wrong


def test_a_leap_day_and_the_lowest_year_are_real_dates():
    assert check("29", "2", "2024").value == dt.date(2024, 2, 29)
    assert check("1", "1", "1900").value == dt.date(1900, 1, 1)
    assert check("1", "1", "1950", lowest_year=2000).error == (
        "The date of the decision must be the same as or after 1 January 2000"
    )


def test_past_only_allows_today_and_refuses_tomorrow():
    assert check("18", "3", "2026", past_only=True).value == TODAY
    result = check("19", "3", "2026", past_only=True)
    assert result.error == "The date of the decision must be today or in the past"
    assert result.wrong == ALL


def test_future_only_refuses_today_and_allows_tomorrow():
    assert check("19", "3", "2026", future_only=True).value == dt.date(2026, 3, 19)
    result = check("18", "3", "2026", future_only=True)
    assert result.error == "The date of the decision must be in the future"
    assert result.wrong == ALL


def test_without_a_rule_about_today_any_real_date_is_allowed():
    assert date_from_parts("1", "1", "2999", words=WORDS).value == dt.date(2999, 1, 1)


def test_a_rule_about_today_needs_today():
    with pytest.raises(TypeError):
        date_from_parts("1", "1", "2026", words=WORDS, past_only=True)


def test_not_before_names_the_earlier_date():
    incident = dt.date(2026, 3, 2)
    words = "the date the incident happened (2 March 2026)"
    assert check("2", "3", "2026", not_before=incident, not_before_words=words).value == incident
    result = check("1", "3", "2026", not_before=incident, not_before_words=words)
    assert result.error == (
        "The date of the decision must be the same as or after the date the incident happened (2 March 2026)"
    )
    assert result.wrong == ALL


def test_what_is_typed_is_checked_before_when_it_is():
    # An impossible date is reported as such, not as being in the future.
    assert check("31", "2", "2999", past_only=True).error == "The date of the decision must be a real date"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_typed_as_numbers_is_read_back(day):
    result = date_from_parts(str(day.day), f"{day.month:02}", str(day.year), words=WORDS)
    assert result.value == day and result.error == ""


@given(st.tuples(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6)))
def test_anything_typed_gives_a_date_or_a_message_with_the_boxes_to_mark(parts):
    result = date_from_parts(*parts, words=WORDS, today=TODAY, past_only=True)
    assert (result.value is None) == bool(result.error)
    assert bool(result.wrong) == bool(result.error)
    assert set(result.wrong) <= set(ALL)


# -- The Django form field ------------------------------------------------------------------------


class DecisionForm(forms.Form):
    decided_on = GovDateField(label="Date of the decision", words=WORDS, past_only=True)
    reviewed_on = GovDateField(label="Date reviewed", words="the date reviewed", required=False)


def posted(**typed):
    return {
        "decided_on_day": "5",
        "decided_on_month": "3",
        "decided_on_year": "2026",
        **typed,
    }


@pytest.mark.parametrize(
    ("typed", "message", "wrong"),
    [
        (
            {"decided_on_day": "31", "decided_on_month": "2"},
            "The date of the decision must be a real date",
            ("day",),
        ),
        ({"decided_on_month": ""}, "The date of the decision must include a month", ("month",)),
        ({"decided_on_year": "25"}, "The year of the date of the decision must include 4 numbers", ("year",)),
        ({"decided_on_day": "a"}, "The date of the decision must be a real date", ("day",)),
        (
            {"decided_on_day": "", "decided_on_month": "", "decided_on_year": ""},
            "Enter the date of the decision",
            ALL,
        ),
        ({"decided_on_year": "2999"}, "The date of the decision must be today or in the past", ALL),
    ],
)
def test_the_field_gives_the_same_messages_and_marks_the_wrong_boxes(typed, message, wrong):
    form = DecisionForm(posted(**typed))
    assert not form.is_valid()
    assert form.errors == {"decided_on": [message]}
    assert form.fields["decided_on"].wrong == wrong


def test_the_field_reads_the_three_boxes_and_an_optional_one_may_be_left_empty():
    form = DecisionForm(posted(reviewed_on_day=" ", reviewed_on_year=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"decided_on": dt.date(2026, 3, 5), "reviewed_on": None}
    assert form.fields["decided_on"].wrong == ()
    form = DecisionForm(posted(reviewed_on_day="1"))
    assert form.errors == {"reviewed_on": ["The date reviewed must include a month and year"]}


def test_the_field_keeps_what_was_typed():
    form = DecisionForm(posted(decided_on_day="31", decided_on_month="2"))
    assert form["decided_on"].value() == {"day": "31", "month": "2", "year": "2026"}
