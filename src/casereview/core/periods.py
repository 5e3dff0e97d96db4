"""Statutory period arithmetic: "a period of N months beginning with", "within N days from".

Everything here follows contracts.md §2, which follows the way Acts of Parliament count time. The
product meets periods in two forms, and they are deliberately different:

**Periods that include a named day** ("beginning with", "ending with"). The 2014 Act defines a
qualifying complaint by them (s.104(11)): the complaint is made "within the period of one month
beginning with" the day of the behaviour, and the application "within the period of six months
beginning with" the day of the complaint. "Beginning with" includes the named day (Zoan v Rouamba
[2000] 1 WLR 1509), so:

- N days beginning with D is D .. D+N-1 ("report within 30 days" of behaviour on D: on or before
  D+29);
- N months beginning with D ends the day before the day numbered D.day, N months later; where that
  month has no such day, on its last day (15 Jan -> 14 Feb; 31 Jan -> 28 or 29 Feb; 1 Mar -> 31 Mar);
- N months ending with E begins the day after the day N months before E (clamped the same way).
  That is the s.104(11)(b) test read from the other end: it holds exactly the days C such that E
  falls within the period of N months beginning with C (tests/core/test_periods.py checks this
  day by day). So "the complaint was made in the six months ending with the application date" is
  the same test as the statute's.

The two directions are not perfect mirror images at month ends: 30 Jan, 31 Jan and 1 Feb all begin
one-month periods ending on 28 Feb, so the one-month period *ending with* 28 Feb begins on the
earliest of them, 29 Jan. That is what the statutory reading requires, not a rounding slip.

**Deadlines that run from an event** ("within 28 days from the letter", "5 working days from
receipt"). "From" excludes the day of the event (the general rule in English law; contracts §2
says so for working days), so the due date is:

- N working days: the Nth working day after D (``WorkingCalendar.add_working_days``);
- N days / N weeks: D + N days / D + 7N days, i.e. the last day of the period of N days beginning
  with the day after D. A letter dated 1 March with "28 days to appeal" may be appealed up to and
  including 29 March;
- N months: the corresponding date N months later, or that month's last day where there is none
  (Dodds v Walker [1980] 1 WLR 1061, HL: a period of months "after" or "from" a day ends on the
  corresponding date). 15 Jan + 1 month -> 15 Feb; 31 Jan -> 28/29 Feb.

All dates are ``datetime.date``; nothing here reads the clock.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - import for type checkers only, avoids a cycle
    from casereview.core.calendar import WorkingCalendar

ONE_DAY = timedelta(days=1)

#: The units a policy may use, as stored in ``Duration.unit``.
DAYS = "days"
WORKING_DAYS = "working_days"
WEEKS = "weeks"
MONTHS = "months"
UNITS = (DAYS, WORKING_DAYS, WEEKS, MONTHS)

_SPELLING = {DAYS: "day", WORKING_DAYS: "working day", WEEKS: "week", MONTHS: "month"}
_DURATION_TEXT = re.compile(r"(\d+)\s+(working\s+days?|days?|weeks?|months?)")
_EXPECTED = '"N days", "N working days", "N weeks" or "N months"'


class DurationError(ValueError):
    """A string that is not a period such as "30 days"; the policy loader names the key."""


@dataclass(frozen=True, order=False)
class Duration:
    """A length of time as a policy states it: "30 days", "5 working days", "3 weeks", "6 months".

    Kept in the unit the policy used rather than converted to days, because a month is not a fixed
    number of days and a working day depends on the calendar.
    """

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise DurationError(f"unknown unit {self.unit!r} (expected one of {', '.join(UNITS)})")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 0:
            raise DurationError(f"the number must be a whole number, 0 or more: {self.amount!r}")

    @classmethod
    def parse(cls, text: object, *, allow_zero: bool = False) -> Duration:
        """Read "N days" | "N working days" | "N weeks" | "N months" (singular also accepted).

        Zero is refused unless ``allow_zero``: a window or deadline of "0 days" is almost always a
        typing mistake, whereas an escalation step "more than 0 days overdue" is meaningful.
        """
        if not isinstance(text, str):
            raise DurationError(f"expected a period such as {_EXPECTED}, got {text!r}")
        match = _DURATION_TEXT.fullmatch(text.strip())
        if not match:
            raise DurationError(f"not a period: {text!r} (expected {_EXPECTED})")
        amount = int(match.group(1))
        words = match.group(2).split()
        unit = WORKING_DAYS if words[0] == "working" else words[-1].rstrip("s") + "s"
        if amount == 0 and not allow_zero:
            raise DurationError(f"not a period: {text!r} (the number must be 1 or more)")
        return cls(amount, unit)

    def __str__(self) -> str:
        word = _SPELLING[self.unit]
        return f"{self.amount} {word}" if self.amount == 1 else f"{self.amount} {word}s"

    @property
    def needs_calendar(self) -> bool:
        return self.unit == WORKING_DAYS

    def after(self, day: date, calendar: WorkingCalendar | None = None) -> date:
        """The last day of a deadline "within <self> from ``day``" (see the module docstring).

        ``day`` itself is excluded: 5 working days from Monday 2 June 2025 is Monday 9 June; 28 days
        from 1 March is 29 March; 1 month from 31 January is 28 (or 29) February.
        """
        if self.unit == WORKING_DAYS:
            return _require(calendar, self).add_working_days(day, self.amount)
        if self.unit == MONTHS:
            return add_months(day, self.amount)
        return day + timedelta(days=self._days())

    def _days(self) -> int:
        return self.amount * 7 if self.unit == WEEKS else self.amount


def add_months(day: date, months: int) -> date:
    """The corresponding date ``months`` later (or earlier, if negative), clamped to month end.

    31 Jan + 1 -> 28 Feb (29 in a leap year); 31 Mar - 1 -> 28/29 Feb. The building block of both
    month rules; on its own it is the Dodds v Walker "corresponding date".
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def period_beginning_with(
    duration: Duration, start: date, calendar: WorkingCalendar | None = None
) -> tuple[date, date]:
    """The first and last day (both inclusive) of the period of ``duration`` beginning with ``start``.

    For working days the period runs from ``start`` to the Nth working day counting ``start``
    itself if it is a working day (and needs ``calendar``).
    """
    if duration.unit == MONTHS:
        index = start.year * 12 + (start.month - 1) + duration.amount
        year, month = divmod(index, 12)
        month += 1
        last_day_of_month = monthrange(year, month)[1]
        if start.day <= last_day_of_month:
            return start, date(year, month, start.day) - ONE_DAY
        return start, date(year, month, last_day_of_month)
    if duration.unit == WORKING_DAYS:
        if duration.amount == 0:
            return start, start - ONE_DAY  # empty, like 0 days
        return start, _require(calendar, duration).add_working_days(start - ONE_DAY, duration.amount)
    return start, start + timedelta(days=duration._days() - 1)


def period_ending_with(
    duration: Duration, end: date, calendar: WorkingCalendar | None = None
) -> tuple[date, date]:
    """The first and last day (both inclusive) of the period of ``duration`` ending with ``end``.

    Months: begins the day after the day N months before ``end``, clamped to month end (so 6 months
    ending with 15 July begins 16 January). Working days: the last N working days up to ``end``.
    """
    if duration.unit == MONTHS:
        return add_months(end, -duration.amount) + ONE_DAY, end
    if duration.unit == WORKING_DAYS:
        working = _require(calendar, duration)
        first, counted = end + ONE_DAY, 0
        while counted < duration.amount:
            first -= ONE_DAY
            if working.is_working_day(first):
                counted += 1
        return first, end
    return end - timedelta(days=duration._days() - 1), end


def _require(calendar: WorkingCalendar | None, duration: Duration) -> WorkingCalendar:
    if calendar is None:
        raise ValueError(f"{duration} needs a working-day calendar (get_calendar(...))")
    return calendar
