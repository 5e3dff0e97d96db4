"""Working days: which days count when a procedure says "5 working days".

A working day is a Monday to Friday that is not a bank holiday of the policy's calendar. The only
calendar so far is ``england-and-wales`` (every partnership this product serves is in England or
Wales, whose bank holidays are the same).

Where the bank holidays come from (ADR 0002): the maintained ``holidays`` library, pinned in
pyproject.toml, rather than a fetch from GOV.UK at run time — the core must work offline and give
the same answer tomorrow as today. tests/core/test_calendar.py cross-checks the library against
two GOV.UK copies in ../shared/data/bank-holidays/ for 2018–2027, including the one-off days (VE
Day 2020-05-08, the Platinum Jubilee 2022-06-02/03, the State Funeral 2022-09-19, the Coronation
2023-05-08) and substitute days.

A bank holiday announced after the pinned library was released (they are made by royal
proclamation, sometimes months ahead) is added **without a code change**, in either of two ways:

- the policy file: ``extra_bank_holidays = ["2027-06-04"]`` (and ``cancelled_bank_holidays`` for
  a holiday moved away from its usual day, as the May holiday was in 2020) — for one partnership;
- the environment: ``CASEREVIEW_EXTRA_BANK_HOLIDAYS=/path/to/file``, a file with one ISO date per
  line (``#`` starts a comment; text after the date is ignored, so a name may follow it; a
  leading ``-`` cancels a date) — for the whole installation. Read each time a calendar is made.

docs/policies.md tells a council how; upgrading ``holidays`` later makes both unnecessary.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays

from casereview.core.dates import parse_iso_date
from casereview.core.errors import PolicyError

ONE_DAY = timedelta(days=1)
ENVIRONMENT_VARIABLE = "CASEREVIEW_EXTRA_BANK_HOLIDAYS"
DEFAULT_CALENDAR = "england-and-wales"


@lru_cache(maxsize=256)
def _england_and_wales(year: int) -> frozenset[date]:
    """England and Wales bank holidays in ``year``, as the ``holidays`` library knows them.

    The library lists a holiday falling at a weekend (Christmas Day 2021, a Saturday) as well as its
    substitute weekday (27 December); GOV.UK lists only the substitute. The weekend date does not
    matter for working days (weekends never are), and ``bank_holidays`` drops it.
    """
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


#: Calendar name -> bank holidays of a year. Add Scotland or Northern Ireland here if needed.
CALENDARS: Mapping[str, Callable[[int], frozenset[date]]] = {DEFAULT_CALENDAR: _england_and_wales}


@dataclass(frozen=True)
class WorkingCalendar:
    """Bank holidays of one calendar, plus any added or cancelled locally. Immutable and hashable."""

    name: str
    added: frozenset[date] = field(default_factory=frozenset)
    cancelled: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.name not in CALENDARS:
            raise PolicyError("calendar", _unknown_calendar(self.name))

    def is_bank_holiday(self, day: date) -> bool:
        if day in self.added:
            return True
        return day in CALENDARS[self.name](day.year) and day not in self.cancelled

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def bank_holidays(self, year: int) -> tuple[date, ...]:
        """The bank holidays of ``year`` that are days off, in order — the list GOV.UK publishes.

        Weekend dates of holidays that have a substitute weekday are left out (see
        ``_england_and_wales``); one-off days added locally are included.
        """
        days = (CALENDARS[self.name](year) - self.cancelled) | {d for d in self.added if d.year == year}
        return tuple(sorted(d for d in days if d.weekday() < 5))

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` ("N working days from D", contracts §2).

        ``day`` itself never counts, whether or not it is a working day: 5 working days from
        Monday 2 June 2025 is Monday 9 June; from Saturday 7 June it is Friday 13 June. ``count``
        0 returns ``day`` unchanged (nothing to add) — callers wanting "the next working day on or
        after D" should use ``next_working_day(D - 1 day)``. A negative ``count`` is an error:
        "N working days before" is not a rule any procedure uses, and its inverse is ambiguous.
        """
        if count < 0:
            raise ValueError(f"cannot add a negative number of working days ({count})")
        while count:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.add_working_days(day, 1)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after ``start``, up to and including ``end`` (contracts §4).

        The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``.
        When ``end`` is before ``start`` the answer is negative — minus the working days after
        ``end`` up to and including ``start`` — so "working days overdue" and "working days left"
        are one function, and ``between(a, b) == -between(b, a)``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        # Whole weeks have five weekdays each; count only the remainder day by day.
        days = (end - start).days
        weeks, remainder = divmod(days, 7)
        weekdays = weeks * 5 + sum(
            1 for offset in range(1, remainder + 1) if (start + timedelta(days=offset)).weekday() < 5
        )
        holidays_in_range = sum(
            1
            for year in range(start.year, end.year + 1)
            for holiday in self.bank_holidays(year)
            if start < holiday <= end
        )
        return weekdays - holidays_in_range


def get_calendar(
    name: str = DEFAULT_CALENDAR,
    extra: Iterable[date] = (),
    cancelled: Iterable[date] = (),
    *,
    environ: Mapping[str, str] | None = None,
) -> WorkingCalendar:
    """The working-day calendar called ``name``, with one-off changes applied.

    ``extra`` / ``cancelled`` come from the policy (``extra_bank_holidays`` /
    ``cancelled_bank_holidays``); the file named by the environment variable
    ``CASEREVIEW_EXTRA_BANK_HOLIDAYS`` is added to both. ``environ`` is for tests.

    An unknown ``name`` is a ``PolicyError`` on the key ``calendar``.
    """
    if name not in CALENDARS:
        raise PolicyError("calendar", _unknown_calendar(name))
    added, removed = set(extra), set(cancelled)
    path = (os.environ if environ is None else environ).get(ENVIRONMENT_VARIABLE, "").strip()
    if path:
        file_added, file_removed = read_bank_holiday_file(Path(path))
        added |= file_added
        removed |= file_removed
    return WorkingCalendar(name, frozenset(added), frozenset(removed - added))


def read_bank_holiday_file(path: Path) -> tuple[set[date], set[date]]:
    """Read the one-off bank holiday file: ``(added, cancelled)``.

    Errors are ``PolicyError`` on the key ``CASEREVIEW_EXTRA_BANK_HOLIDAYS`` naming the file and
    line, because a typo here would silently move every deadline.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(ENVIRONMENT_VARIABLE, f"cannot read {path}: {error.strerror}") from None
    added: set[date] = set()
    cancelled: set[date] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        target = added
        if content.startswith("-"):
            target, content = cancelled, content[1:].strip()
        word = content.split()[0]
        try:
            target.add(parse_iso_date(word))
        except ValueError as error:
            raise PolicyError(ENVIRONMENT_VARIABLE, f"{path}, line {number}: {error}") from None
    return added, cancelled


def _unknown_calendar(name: object) -> str:
    return f"unknown calendar {name!r} (known: {', '.join(sorted(CALENDARS))})"
