"""Reading and writing dates the way the product's users see them.

Two small rules kept in one place: input dates are strict ``YYYY-MM-DD`` (``date.fromisoformat``
alone would also accept ``20250415`` and week dates, which no partner system means), and dates in
letters read ``15 April 2025`` whatever the server's locale is (``strftime("%B")`` is
locale-dependent, so the month names are spelled out here).
"""

import re
from collections.abc import Iterable
from datetime import date

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def parse_iso_date(text: object) -> date:
    """Parse ``YYYY-MM-DD`` strictly; raise ``ValueError`` naming the expected form otherwise."""
    if isinstance(text, str) and _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"not a date (YYYY-MM-DD): {text!r}")


#: The months in Welsh: a date in a Welsh letter reads ``15 Ebrill 2025`` (no mutation after a
#: day's number).
WELSH_MONTH_NAMES = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def format_date(day: date, *, language: str = "en") -> str:
    """``15 April 2025``: the form GOV.UK style uses in letters; ``15 Ebrill 2025`` in Welsh (``cy``)."""
    months = WELSH_MONTH_NAMES if language == "cy" else MONTH_NAMES
    return f"{day.day} {months[day.month - 1]} {day.year}"


def join_words(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
