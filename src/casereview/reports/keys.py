"""Normalising the keys the log matches on: caller keys and location keys.

A caller key is whatever stable key an agency holds for the person who reported: a phone number,
an e-mail address or a reference in its own system. Keys are stored normalised, so the same person
reported by two agencies (or twice by one) is one caller, and a victim on a case is matched by
comparing their e-mail address and phone number the same way (docs/reports.md, "Matching").
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_PHONE_CHARS = re.compile(r"[\s().\-]")


def caller_key_normalise(text: str | None) -> str:
    """ "07700 900123", "+44 7700 900123" and "(07700) 900-123" are all "07700900123";
    e-mail addresses are lower-cased; anything else is trimmed, spaces collapsed, case-folded."""
    value = _SPACES.sub(" ", (text or "").strip())
    if not value:
        return ""
    if "@" in value:
        return value.lower().replace(" ", "")
    compact = _PHONE_CHARS.sub("", value)
    if compact.startswith("+44"):
        compact = "0" + compact[3:]
    elif compact.startswith("0044"):
        compact = "0" + compact[4:]
    if compact.isdigit() and len(compact) >= 10:
        return compact
    return value.casefold()[:200]


def location_key_normalise(text: str | None) -> str:
    """Trim and collapse spaces; keep the case the agency used (it is shown back to staff)."""
    return _SPACES.sub(" ", (text or "").strip())[:300]


def location_match_key(text: str | None) -> str:
    """A looser form for matching a victim's address against report locations: case-folded,
    punctuation dropped ("Flat 3, 12 Bemerton St." ~ "flat 3 12 bemerton st")."""
    return _SPACES.sub(" ", re.sub(r"[^\w\s]", " ", (text or "").casefold())).strip()


def postcode_normalise(text: str | None) -> str:
    compact = re.sub(r"\s", "", (text or "").upper())
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"
