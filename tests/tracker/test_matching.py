"""The tracker's pure rules (core/tracker.py): which report is at a tracked address, and the
counts over time (ADR 0063)."""

from __future__ import annotations

from datetime import date

import pytest

from casereview.core.tracker import (
    a_year_before,
    address_key,
    addresses_match,
    counts_on,
    counts_over_time,
    month_ends,
    report_matches,
    status_on,
    uprn_of,
)

PLACE = {
    "place_uprn": "100021234567",
    "place_address": "Flat 2\n10 Holloway Road\nLondon",
    "place_postcode": "N7 8JG",
}


@pytest.mark.parametrize(
    ("location", "how"),
    [
        ("100021234567", "uprn"),
        ("UPRN 100021234567", "uprn"),
        ("00100021234567", "uprn"),
        ("100021234568", None),  # another UPRN: never matched by address instead
        ("Flat 2, 10 Holloway Road, London N7 8JG", "address"),
        ("flat 2 10 holloway rd N7 8JG", None),  # "rd" is not "road": conservative
        ("Flat 2, 10 Holloway Road N78JG", "address"),  # no town, postcode without its space
        ("10 Holloway Road, London N7 8JG", None),  # the whole house is not the flat
        ("Flat 2, 10 Holloway Road, London N7 8JH", None),  # another postcode
        ("Flat 2, 10 Holloway Road, London", None),  # no postcode: not enough
        ("Flat 2, 10 Holloway Road, London N7 8JG, rear garden", "address"),  # more words after: still there
        ("", None),
    ],
)
def test_a_report_matches_by_uprn_or_by_address_and_postcode(location, how):
    assert report_matches(location, **PLACE) == how


def test_a_place_without_a_uprn_is_matched_only_by_address():
    place = {**PLACE, "place_uprn": ""}
    assert report_matches("100021234567", **place) is None
    assert report_matches("Flat 2, 10 Holloway Road N7 8JG", **place) == "address"


def test_keys():
    assert uprn_of("uprn: 0012") == "12"
    assert uprn_of("12 Acacia Avenue") == ""
    assert address_key("Flat 2, 10 Llŷn Road, CF10 1AA") == address_key("flat 2 10 llyn road", "cf101aa")
    assert not addresses_match(address_key("", "N7 8JG"), address_key("", "N7 8JG"))


def test_status_on_a_day_is_the_last_change_made_by_its_end():
    history = [(date(2025, 1, 10), "open"), (date(2025, 3, 1), "archived"), (date(2025, 3, 1), "open")]
    assert status_on(history, date(2025, 1, 9)) is None
    assert status_on(history, date(2025, 1, 10)) == "open"
    assert status_on(history, date(2025, 3, 1)) == "open"  # archived and re-opened the same day


def test_counts_over_time_at_month_ends_and_a_year_ago():
    histories = {
        1: [(date(2025, 1, 10), "open"), (date(2025, 3, 5), "monitoring"), (date(2025, 6, 1), "archived")],
        2: [(date(2025, 2, 28), "open")],
        3: [(date(2025, 7, 1), "open")],
    }
    assert counts_on(histories.values(), date(2025, 2, 28)) == {"open": 2, "monitoring": 0, "archived": 0}
    series = counts_over_time(histories, date(2025, 7, 15), months=6)
    assert [day for day, _ in series] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
        date(2025, 6, 30),
        date(2025, 7, 15),
    ]
    assert series[2][1] == {"open": 1, "monitoring": 1, "archived": 0}
    assert series[-1][1] == {"open": 2, "monitoring": 0, "archived": 1}


def test_month_ends_cross_the_year_and_a_year_before_a_leap_day():
    assert month_ends(date(2026, 1, 15), 2) == [date(2025, 11, 30), date(2025, 12, 31), date(2026, 1, 15)]
    assert month_ends(date(2024, 3, 1), 1) == [date(2024, 2, 29), date(2024, 3, 1)]
    assert a_year_before(date(2024, 2, 29)) == date(2023, 2, 28)
    assert a_year_before(date(2026, 12, 6)) == date(2025, 12, 6)


def test_counts_over_time_are_by_default_the_twelve_month_ends_before_today_then_today():
    series = counts_over_time({1: [(date(2025, 1, 10), "open")]}, date(2026, 1, 15))
    assert [day for day, _ in series] == month_ends(date(2026, 1, 15), 12)
    assert len(series) == 13 and series[0][0] == date(2025, 1, 31) and series[-1][0] == date(2026, 1, 15)
