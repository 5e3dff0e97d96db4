"""The recompute's windows counted in numpy (reports.selectors._windows_over, ADR 0090) against a
plain count of every location-day: any order of rows, days before 2000 (negative day numbers),
gaps, a location that is never a hotspot, one row alone."""

import datetime as dt
import random

import numpy as np
import pytest

from casereview.reports.selectors import _DAY_ZERO, _windows_over


def plainly(rows: list[tuple[str, int, int]], back: int, more_than: int) -> list[tuple]:
    """(location, days, first, last, peak) by counting each location-day's window row by row."""
    by_location: dict[str, dict[int, int]] = {}
    for location, day, reports in rows:
        by_location.setdefault(location, {})[day] = reports
    found = []
    for location, days in by_location.items():
        hot = []
        for day in sorted(days):
            count = sum(n for other, n in days.items() if day - back <= other <= day)
            if count > more_than:
                hot.append((day, count))
        if hot:
            found.append(
                (
                    location,
                    len(hot),
                    _DAY_ZERO + dt.timedelta(days=hot[0][0]),
                    _DAY_ZERO + dt.timedelta(days=hot[-1][0]),
                    max(count for _, count in hot),
                )
            )
    return sorted(found)


def windows(rows: list[tuple[str, int, int]], back: int, more_than: int) -> list[tuple]:
    locations = sorted({location for location, _, _ in rows})
    index = {location: i for i, location in enumerate(locations)}
    owner = np.array([index[location] for location, _, _ in rows], dtype=np.int64)
    days = np.array([day for _, day, _ in rows], dtype=np.int64)
    reports = np.array([n for _, _, n in rows], dtype=np.int64)
    return sorted(_windows_over(locations, owner, days, reports, back, more_than))


@pytest.mark.parametrize("seed", range(6))
def test_numpy_windows_equal_a_plain_count_of_every_location_day(seed):
    chance = random.Random(seed)
    rows = []
    for location in [f"L{n}" for n in range(12)]:
        busy = chance.choice([0.05, 0.3, 0.8])
        start = chance.randrange(-400, 9000)  # some before 1 January 2000
        rows += [
            (location, start + day, chance.randint(1, 4)) for day in range(120) if chance.random() < busy
        ]
    chance.shuffle(rows)  # the database's order is not promised: any order gives the same answer
    for back, more_than in [(13, 6), (6, 3), (0, 2), (27, 12)]:
        expected = plainly(rows, back, more_than)
        assert expected, "the rows must make hotspots, or the comparison proves nothing"
        assert windows(rows, back, more_than) == expected


def test_no_rows_and_no_hotspots():
    assert windows([], 13, 6) == []
    assert windows([("Only", 5, 6)], 13, 6) == []
    assert windows([("Only", 5, 7)], 13, 6) == [("Only", 1, dt.date(2000, 1, 6), dt.date(2000, 1, 6), 7)]


@pytest.mark.django_db
def test_the_recompute_of_reports_before_2000_matches_the_core_reference(demo):
    """Days before 1 January 2000 have negative day numbers: packed on PostgreSQL as
    (day_number << 32) | reports, they must come back as the same days (ADR 0090)."""
    from casereview.core.hotspots import hotspot_history as reference_hotspot_history
    from casereview.reports.selectors import hotspot_history

    from .helpers import generate_reports
    from .test_rules import as_reference

    islington = demo.partnership("islington")
    generate_reports(islington, seed=3, n=500, start=dt.date(1999, 11, 20), days=60)
    expected = [h.to_dict() for h in reference_hotspot_history(islington.policy, as_reference(islington))]
    assert expected and min(h["first"] for h in expected) < dt.date(2000, 1, 1)
    assert hotspot_history(islington) == expected
