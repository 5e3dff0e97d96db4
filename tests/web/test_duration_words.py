"""A length of time in words (web.dates.duration_words), English and Welsh: the sign-in length
cap's message said "{minutes // 60} hours", wrong for a cap that is not a whole number of hours."""

from __future__ import annotations

import pytest
from django.utils import translation

from casereview.web.dates import duration_words


@pytest.mark.parametrize(
    ("minutes", "english", "welsh"),
    [
        (90, "1 hour 30 minutes", "1 awr 30 munud"),
        (480, "8 hours", "8 awr"),
        (60, "1 hour", "1 awr"),
        (45, "45 minutes", "45 munud"),
        (1, "1 minute", "1 munud"),
        (61, "1 hour 1 minute", "1 awr 1 munud"),
        (0, "0 minutes", "0 munud"),
        (150, "2 hours 30 minutes", "2 awr 30 munud"),
    ],
)
def test_hours_and_the_minutes_left_over(minutes, english, welsh):
    with translation.override("en"):
        assert duration_words(minutes) == english
    with translation.override("cy"):
        assert duration_words(minutes) == welsh
