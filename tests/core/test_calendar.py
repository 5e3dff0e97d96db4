"""Working days and England and Wales bank holidays, cross-checked against GOV.UK's own data."""

import json
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casereview.core.calendar import ENVIRONMENT_VARIABLE, WorkingCalendar, get_calendar
from casereview.core.errors import PolicyError

CALENDAR = get_calendar(environ={})  # the library's holidays only, whatever this machine's environment says
YEARS = range(2018, 2028)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


def _govuk_text_file(folder):
    days = set()
    for line in (folder / "ew_bank_holidays.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            days.add(date.fromisoformat(line.split("\t")[0]))
    return days


def _govuk_json_file(folder):
    (path,) = folder.glob("govuk_bank-holidays*.json")
    events = json.loads(path.read_text(encoding="utf-8"))["england-and-wales"]["events"]
    return {date.fromisoformat(event["date"]) for event in events}


class TestAgainstGovUk:
    """The pinned ``holidays`` library against two copies of GOV.UK's feed (ADR 0002)."""

    def test_matches_the_text_file_year_by_year(self, shared_data):
        govuk = _govuk_text_file(shared_data)
        for year in YEARS:
            expected = sorted(d for d in govuk if d.year == year)
            assert expected, f"the shared file has no {year}"
            assert list(CALENDAR.bank_holidays(year)) == expected, year

    def test_matches_the_json_feed_for_every_year_it_covers(self, shared_data):
        govuk = _govuk_json_file(shared_data)
        for year in sorted({d.year for d in govuk}):
            assert list(CALENDAR.bank_holidays(year)) == sorted(d for d in govuk if d.year == year), year


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2020, 5, 8), "VE Day 75: the early May bank holiday moved from Monday 4 May"),
        (date(2022, 6, 2), "Platinum Jubilee: the spring bank holiday moved"),
        (date(2022, 6, 3), "Platinum Jubilee"),
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of King Charles III"),
        (date(2020, 12, 28), "substitute for Boxing Day on a Saturday"),
        (date(2021, 12, 27), "substitute for Christmas Day on a Saturday"),
        (date(2021, 12, 28), "substitute for Boxing Day on a Sunday"),
        (date(2022, 1, 3), "substitute for New Year's Day on a Saturday"),
        (date(2022, 12, 27), "substitute for Christmas Day on a Sunday"),
        (date(2027, 12, 28), "substitute for Boxing Day on a Sunday"),
    ],
)
def test_one_off_and_substitute_days_are_not_working_days(day, why):
    assert day in CALENDAR.bank_holidays(day.year), why
    assert not CALENDAR.is_working_day(day), why


@pytest.mark.parametrize(
    "day",
    [date(2020, 5, 4), date(2022, 5, 30)],  # the usual days of the two holidays that moved
)
def test_the_usual_day_of_a_moved_holiday_is_a_working_day(day):
    assert CALENDAR.is_working_day(day)


def test_wales_has_the_same_bank_holidays_as_england():
    """Why one calendar called "england-and-wales" is right."""
    for year in YEARS:
        england = set(holidays.country_holidays("GB", subdiv="ENG", years=year))
        wales = set(holidays.country_holidays("GB", subdiv="WLS", years=year))
        assert england == wales, year


def test_weekend_dates_of_substituted_holidays_are_left_out_as_govuk_does():
    assert date(2021, 12, 25) not in CALENDAR.bank_holidays(2021)  # a Saturday
    assert CALENDAR.is_bank_holiday(date(2021, 12, 25))


class TestAddWorkingDays:
    def test_the_contract_examples(self):
        assert CALENDAR.add_working_days(date(2025, 6, 2), 5) == date(2025, 6, 9)
        # Thursday 15 September 2022 + 5 skips the State Funeral on Monday 19 September.
        assert CALENDAR.add_working_days(date(2022, 9, 15), 5) == date(2022, 9, 23)

    def test_the_day_itself_never_counts(self):
        assert CALENDAR.add_working_days(date(2025, 6, 7), 1) == date(2025, 6, 9)  # from a Saturday
        assert CALENDAR.add_working_days(date(2025, 6, 6), 1) == date(2025, 6, 9)  # from a Friday

    def test_across_christmas_and_new_year(self):
        # Monday 22 December 2025: 23, 24, 29, 30, 31 December, then 2 January (1 January is a holiday).
        assert CALENDAR.add_working_days(date(2025, 12, 22), 6) == date(2026, 1, 2)

    def test_zero_is_the_day_itself(self):
        assert CALENDAR.add_working_days(date(2025, 6, 7), 0) == date(2025, 6, 7)

    def test_negative_is_an_error(self):
        with pytest.raises(ValueError, match="negative"):
            CALENDAR.add_working_days(date(2025, 6, 2), -1)


class TestWorkingDaysBetween:
    def test_counts_days_after_start_up_to_and_including_end(self):
        assert CALENDAR.working_days_between(date(2025, 6, 2), date(2025, 6, 9)) == 5
        assert CALENDAR.working_days_between(date(2025, 6, 2), date(2025, 6, 2)) == 0
        assert CALENDAR.working_days_between(date(2025, 6, 6), date(2025, 6, 8)) == 0  # Friday to Sunday

    def test_is_negative_when_end_is_before_start(self):
        assert CALENDAR.working_days_between(date(2025, 6, 9), date(2025, 6, 2)) == -5

    def test_skips_bank_holidays(self):
        assert CALENDAR.working_days_between(date(2022, 9, 15), date(2022, 9, 23)) == 5


@given(day=dates, count=st.integers(min_value=1, max_value=300))
def test_adding_working_days_lands_on_a_working_day(day, count):
    assert CALENDAR.is_working_day(CALENDAR.add_working_days(day, count))


@given(day=dates, count=st.integers(min_value=0, max_value=300))
def test_adding_working_days_grows_with_n(day, count):
    assert CALENDAR.add_working_days(day, count + 1) > CALENDAR.add_working_days(day, count)


@given(day=dates, count=st.integers(min_value=0, max_value=300))
def test_between_undoes_add(day, count):
    assert CALENDAR.working_days_between(day, CALENDAR.add_working_days(day, count)) == count


@given(start=dates, days=st.integers(min_value=-400, max_value=400))
def test_between_agrees_with_counting_day_by_day(start, days):
    """The week-at-a-time shortcut in working_days_between against the obvious loop (see
    style.md on DBT LITE's working_days_in_range bug: date code deserves this)."""
    end = start + timedelta(days=days)
    low, high = min(start, end), max(start, end)
    counted = sum(
        1 for n in range(1, (high - low).days + 1) if CALENDAR.is_working_day(low + timedelta(days=n))
    )
    assert CALENDAR.working_days_between(start, end) == (counted if end >= start else -counted)


class TestOneOffBankHolidays:
    def test_extra_days_from_the_policy(self):
        calendar = get_calendar(extra=[date(2027, 6, 4)], environ={})
        assert not calendar.is_working_day(date(2027, 6, 4))
        assert date(2027, 6, 4) in calendar.bank_holidays(2027)

    def test_cancelled_days_from_the_policy(self):
        calendar = get_calendar(cancelled=[date(2027, 5, 3)], environ={})
        assert calendar.is_working_day(date(2027, 5, 3))
        assert date(2027, 5, 3) not in calendar.bank_holidays(2027)

    def test_the_environment_file(self, tmp_path):
        path = tmp_path / "extra-bank-holidays.txt"
        path.write_text(
            "# One-off bank holidays\n\n2027-06-04   A one-off holiday\n"
            "-2027-05-03  moved # to 7 May\n2027-05-07\n",
            encoding="utf-8",
        )
        calendar = get_calendar(environ={ENVIRONMENT_VARIABLE: str(path)})
        assert not calendar.is_working_day(date(2027, 6, 4))
        assert not calendar.is_working_day(date(2027, 5, 7))
        assert calendar.is_working_day(date(2027, 5, 3))
        assert CALENDAR.add_working_days(date(2027, 6, 3), 1) == date(2027, 6, 4)
        assert calendar.add_working_days(date(2027, 6, 3), 1) == date(2027, 6, 7)

    def test_a_bad_line_in_the_environment_file_names_the_file_and_line(self, tmp_path):
        path = tmp_path / "extra.txt"
        path.write_text("2027-06-04\n2027-13-01\n", encoding="utf-8")
        with pytest.raises(PolicyError) as raised:
            get_calendar(environ={ENVIRONMENT_VARIABLE: str(path)})
        assert raised.value.key == ENVIRONMENT_VARIABLE
        assert f"{path}, line 2" in str(raised.value)

    def test_a_missing_environment_file_is_an_error(self, tmp_path):
        with pytest.raises(PolicyError, match="cannot read"):
            get_calendar(environ={ENVIRONMENT_VARIABLE: str(tmp_path / "nope.txt")})


def test_an_unknown_calendar_is_a_policy_error_on_the_key_calendar():
    with pytest.raises(PolicyError) as raised:
        get_calendar("scotland", environ={})
    assert raised.value.key == "calendar"
    assert "england-and-wales" in str(raised.value)
    with pytest.raises(PolicyError):
        WorkingCalendar("narnia")


def test_the_next_working_day_steps_over_weekends_and_bank_holidays():
    assert CALENDAR.next_working_day(date(2025, 5, 1)) == date(2025, 5, 2)  # Thursday to Friday
    assert CALENDAR.next_working_day(date(2025, 5, 2)) == date(
        2025, 5, 6
    )  # Monday 5 May: early May bank holiday
    assert CALENDAR.next_working_day(date(2025, 5, 3)) == date(2025, 5, 6)  # from a Saturday
