"""Period arithmetic (contracts.md §2), at the edges the domain names, and as properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casereview.core.calendar import get_calendar
from casereview.core.periods import (
    Duration,
    DurationError,
    add_months,
    period_beginning_with,
    period_ending_with,
)

ONE_MONTH = Duration.parse("1 month")
SIX_MONTHS = Duration.parse("6 months")
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


class TestDurationParse:
    @pytest.mark.parametrize(
        ("text", "amount", "unit", "canonical"),
        [
            ("30 days", 30, "days", "30 days"),
            ("1 day", 1, "days", "1 day"),
            ("5 working days", 5, "working_days", "5 working days"),
            ("1 working day", 1, "working_days", "1 working day"),
            ("3 weeks", 3, "weeks", "3 weeks"),
            ("1 month", 1, "months", "1 month"),
            ("6 months", 6, "months", "6 months"),
            ("  6   months ", 6, "months", "6 months"),
        ],
    )
    def test_reads_every_form(self, text, amount, unit, canonical):
        duration = Duration.parse(text)
        assert (duration.amount, duration.unit, str(duration)) == (amount, unit, canonical)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "30",
            "days",
            "thirty days",
            "3 fortnights",
            "1.5 months",
            "-1 days",
            "5 working weeks",
            "6 Months",
        ],
    )
    def test_refuses_malformed_strings_saying_what_is_expected(self, text):
        with pytest.raises(DurationError, match='"N days", "N working days", "N weeks" or "N months"'):
            Duration.parse(text)

    def test_refuses_non_strings(self):
        with pytest.raises(DurationError, match="got 30"):
            Duration.parse(30)

    def test_refuses_zero_unless_allowed(self):
        with pytest.raises(DurationError, match="1 or more"):
            Duration.parse("0 days")
        assert Duration.parse("0 days", allow_zero=True) == Duration(0, "days")


class TestMonthsBeginningWith:
    @pytest.mark.parametrize(
        ("start", "last"),
        [
            (date(2025, 1, 15), date(2025, 2, 14)),  # contracts §2
            (date(2025, 1, 31), date(2025, 2, 28)),  # no 31 February: the month's last day
            (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
            (date(2025, 1, 30), date(2025, 2, 28)),
            (date(2025, 1, 29), date(2025, 2, 28)),  # no 29 Feb in 2025
            (date(2024, 1, 29), date(2024, 2, 28)),  # 29 Feb exists in 2024: the day before it
            (date(2025, 3, 1), date(2025, 3, 31)),  # contracts §2
            (date(2025, 2, 1), date(2025, 2, 28)),
            (date(2024, 12, 15), date(2025, 1, 14)),  # across the year end
            (date(2025, 3, 31), date(2025, 4, 30)),
        ],
    )
    def test_one_month(self, start, last):
        assert period_beginning_with(ONE_MONTH, start) == (start, last)

    def test_six_months(self):
        assert period_beginning_with(SIX_MONTHS, date(2024, 10, 16)) == (
            date(2024, 10, 16),
            date(2025, 4, 15),
        )
        assert period_beginning_with(SIX_MONTHS, date(2024, 8, 31)) == (date(2024, 8, 31), date(2025, 2, 28))


class TestMonthsEndingWith:
    @pytest.mark.parametrize(
        ("duration", "end", "first"),
        [
            (SIX_MONTHS, date(2025, 7, 15), date(2025, 1, 16)),  # contracts §2
            (SIX_MONTHS, date(2025, 4, 15), date(2024, 10, 16)),
            (ONE_MONTH, date(2025, 4, 15), date(2025, 3, 16)),
            (ONE_MONTH, date(2025, 3, 31), date(2025, 3, 1)),  # 31 Feb clamps to 28 Feb
            (ONE_MONTH, date(2025, 3, 28), date(2025, 3, 1)),
            (ONE_MONTH, date(2025, 2, 28), date(2025, 1, 29)),
            (ONE_MONTH, date(2025, 4, 30), date(2025, 3, 31)),
            (SIX_MONTHS, date(2025, 8, 31), date(2025, 3, 1)),  # 31 Feb again
        ],
    )
    def test_examples(self, duration, end, first):
        assert period_ending_with(duration, end) == (first, end)

    @given(end=dates, months=st.integers(min_value=1, max_value=24))
    def test_holds_exactly_the_days_whose_period_beginning_with_them_reaches_the_end(self, end, months):
        """The statutory reading (s.104(11)(b)): an application on E is "within the period of N
        months beginning with" complaint day C exactly when C falls in the N months ending with E."""
        duration = Duration(months, "months")
        first, last = period_ending_with(duration, end)
        assert last == end
        assert period_beginning_with(duration, first)[1] >= end
        assert period_beginning_with(duration, first - timedelta(days=1))[1] < end


class TestDays:
    def test_thirty_days_beginning_with_d_end_on_d_plus_29(self):
        assert period_beginning_with(Duration.parse("30 days"), date(2025, 1, 1)) == (
            date(2025, 1, 1),
            date(2025, 1, 30),
        )

    def test_seven_days(self):
        assert period_beginning_with(Duration.parse("7 days"), date(2025, 3, 1))[1] == date(2025, 3, 7)

    def test_fourteen_days_ending_with(self):
        assert period_ending_with(Duration.parse("14 days"), date(2025, 3, 14)) == (
            date(2025, 3, 1),
            date(2025, 3, 14),
        )

    def test_weeks_are_seven_days(self):
        assert period_beginning_with(Duration.parse("2 weeks"), date(2025, 3, 1))[1] == date(2025, 3, 14)

    def test_working_days_beginning_with_a_working_day_count_it(self):
        calendar = get_calendar(environ={})
        # Monday 2 June 2025: 5 working days are 2-6 June.
        assert period_beginning_with(Duration.parse("5 working days"), date(2025, 6, 2), calendar) == (
            date(2025, 6, 2),
            date(2025, 6, 6),
        )
        assert period_ending_with(Duration.parse("5 working days"), date(2025, 6, 6), calendar) == (
            date(2025, 6, 2),
            date(2025, 6, 6),
        )

    def test_working_days_need_a_calendar(self):
        with pytest.raises(ValueError, match="needs a working-day calendar"):
            period_beginning_with(Duration.parse("5 working days"), date(2025, 6, 2))


@given(start=dates, amount=st.integers(min_value=1, max_value=400), unit=st.sampled_from(["days", "weeks"]))
def test_days_and_weeks_beginning_and_ending_are_the_same_dates(start, amount, unit):
    duration = Duration(amount, unit)
    first, last = period_beginning_with(duration, start)
    assert (last - first).days + 1 == amount * (7 if unit == "weeks" else 1)
    assert period_ending_with(duration, last) == (first, last)


@given(start=dates, months=st.integers(min_value=1, max_value=24))
def test_months_beginning_with_d_and_ending_with_its_last_day_are_the_same_dates(start, months):
    """Exact, except where month-end clamping makes several start days end on the same day
    (30 Jan, 31 Jan and 1 Feb all begin one-month periods ending 28 Feb 2025): then the period
    ending with that day begins on the earliest of them, which is what the statute requires."""
    duration = Duration(months, "months")
    first, last = period_beginning_with(duration, start)
    back_first, back_last = period_ending_with(duration, last)
    assert back_last == last
    assert period_beginning_with(duration, back_first)[1] == last
    if period_beginning_with(duration, start - timedelta(days=1))[1] != last:
        assert back_first == start
    else:
        assert back_first < start


def test_the_month_end_exception_is_real():
    # All three begin periods ending 28 February 2025 …
    for start in (date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31), date(2025, 2, 1)):
        assert period_beginning_with(ONE_MONTH, start)[1] == date(2025, 2, 28)
    # … so the month ending with 28 February begins on the earliest.
    assert period_ending_with(ONE_MONTH, date(2025, 2, 28))[0] == date(2025, 1, 29)


class TestAfter:
    """ "Within N from D": D excluded (periods module docstring)."""

    def test_days(self):
        assert Duration.parse("28 days").after(date(2025, 3, 1)) == date(2025, 3, 29)

    def test_weeks(self):
        assert Duration.parse("3 weeks").after(date(2025, 3, 7)) == date(2025, 3, 28)

    @pytest.mark.parametrize(
        ("day", "months", "due"),
        [
            (date(2025, 1, 15), 1, date(2025, 2, 15)),
            (date(2025, 1, 31), 1, date(2025, 2, 28)),
            (date(2024, 1, 31), 1, date(2024, 2, 29)),
            (date(1976, 9, 30), 4, date(1977, 1, 30)),  # Dodds v Walker: notice 30 Sep, 4 months -> 30 Jan
            (date(2025, 12, 31), 2, date(2026, 2, 28)),
        ],
    )
    def test_months_use_the_corresponding_date(self, day, months, due):
        assert Duration(months, "months").after(day) == due

    def test_working_days(self):
        calendar = get_calendar(environ={})
        assert Duration.parse("5 working days").after(date(2025, 6, 2), calendar) == date(2025, 6, 9)
        with pytest.raises(ValueError, match="calendar"):
            Duration.parse("5 working days").after(date(2025, 6, 2))

    @given(day=dates, amount=st.integers(min_value=1, max_value=400))
    def test_days_after_is_the_end_of_the_period_beginning_the_next_day(self, day, amount):
        duration = Duration(amount, "days")
        assert duration.after(day) == period_beginning_with(duration, day + timedelta(days=1))[1]


@given(day=dates, months=st.integers(min_value=-30, max_value=30))
def test_add_months_keeps_the_day_or_clamps_to_month_end(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)
