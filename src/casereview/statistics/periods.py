"""Reporting periods: the UK financial year (1 April to 31 March) and its quarters.

The publication duty is "at least every 12 months"; councils publish by financial year, so the
financial year is the default period everywhere (the page, the CSV and `casereview stats`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The end of the period must be on or after its start.")

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.start.month == 4 and self.start.day == 1 and self.end == dt.date(self.start.year + 1, 3, 31):
            return f"the financial year {financial_year_label(self.start.year)}"
        return f"{_written(self.start)} to {_written(self.end)}"


def _written(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def financial_year_label(year: int) -> str:
    """2024 -> "2024/25"."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year(year: int) -> Period:
    """`--year 2024` is 1 April 2024 to 31 March 2025 (contracts §5)."""
    return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))


def financial_year_of(day: dt.date) -> int:
    """The financial year a day falls in, named by the calendar year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def quarter(year: int, number: int) -> Period:
    """Quarter 1 of financial year 2024 is April to June 2024; quarter 4 is January to March 2025."""
    if number not in QUARTER_MONTHS:
        raise ValueError("A quarter is 1, 2, 3 or 4.")
    first, last = QUARTER_MONTHS[number]
    calendar_year = year + 1 if number == 4 else year
    end_day = (dt.date(calendar_year + (last == 12), (last % 12) + 1, 1) - dt.timedelta(days=1)).day
    return Period(dt.date(calendar_year, first, 1), dt.date(calendar_year, last, end_day))


def quarter_label(number: int) -> str:
    first, last = QUARTER_MONTHS[number]
    return f"Quarter {number} ({dt.date(2000, first, 1):%B} to {dt.date(2000, last, 1):%B})"
