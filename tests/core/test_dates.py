"""Dates in words (core/dates.py), as the letters and the reasons print them.

The reasons write ISO dates through a cache (reasons._iso_date_words), so these call
``format_date`` itself: under mutmut a cached answer would hide a change to it."""

from datetime import date

import pytest

from casereview.core.dates import format_date


@pytest.mark.parametrize(
    "day, english, welsh",
    [
        (date(2025, 1, 1), "1 January 2025", "1 Ionawr 2025"),
        (date(2025, 4, 15), "15 April 2025", "15 Ebrill 2025"),
        (date(2026, 12, 31), "31 December 2026", "31 Rhagfyr 2026"),
    ],
)
def test_a_date_in_words_in_english_and_in_welsh(day, english, welsh):
    assert format_date(day) == english
    assert format_date(day, language="en") == english
    assert format_date(day, language="cy") == welsh
