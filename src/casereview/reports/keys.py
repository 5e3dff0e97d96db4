"""Normalising the keys the log matches on: caller keys and location keys.

A caller key is whatever stable key an agency holds for the person who reported: a phone number,
an e-mail address or a reference in its own system. A report keeps the key exactly as the agency
sent it (`Report.caller`: the repeat-caller rules count per key, and `casereview repeat-callers`
gives each key back as sent, contracts §7), and beside it the key normalised
(`Report.caller_match`), which is what a victim's e-mail address and phone number, and a person's
partner key, are compared with (docs/reports.md, "Matching"). The same person under two keys is
one person on the people pages (the repeat-callers page groups their keys).
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_PHONE_CHARS = re.compile(r"[\s().\-]")


def caller_as_sent(text: str | None) -> str:
    """A caller key as the agency sent it (contracts §7: no change of case, spacing or form), only
    without the blank space around it that a spreadsheet cell or a form adds."""
    return (text or "").strip()[:200]


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
