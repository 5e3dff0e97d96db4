"""The cuckooing address tracker's pure rules: is a report at this address, and how many addresses
were open, in monitoring or archived on a given day (seed 003: "38 addresses, down from 90 a year
ago"). No Django; dates are passed in (ADR 0063).

Matching a report to an address is deliberately conservative: a re-opened address tells an
officer to act, so a near miss ("10 Holloway Road" for "Flat 2, 10 Holloway Road") must not
re-open it. A report matches an address when its UPRN is the address's UPRN, or — with no UPRN
on the report — when it carries the address's postcode and the rest of one address, folded
(case, accents and punctuation dropped), is the other followed only by more words (the town:
"flat 2 10 holloway road" ~ "flat 2 10 holloway road london").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from casereview.core.names import fold

#: The tracker's statuses (seed 003: monitored on a tracker, archived, re-opened).
STATUSES = ("open", "monitoring", "archived")

_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_UPRN = re.compile(r"^(?:UPRN[\s:]*)?0*([0-9]{1,12})$", re.IGNORECASE)


def uprn_of(text: str) -> str:
    """The UPRN a location key is, as digits without leading zeros; "" when it is not one."""
    match = _UPRN.match((text or "").strip())
    return match.group(1) if match and match.group(1) else ""


@dataclass(frozen=True)
class AddressKey:
    """An address as compared: its folded words without the postcode, and the postcode compact."""

    words: str
    postcode: str


def address_key(address: str, postcode: str = "") -> AddressKey:
    """``address`` folded, with any postcode in it taken out (and used when ``postcode`` is not
    given)."""
    upper = (address or "").upper()
    found = _POSTCODE.search(upper)
    compact = re.sub(r"\s+", "", (postcode or "").upper())
    if found:
        compact = compact or found.group(1) + found.group(2)
        upper = upper[: found.start()] + " " + upper[found.end() :]
    return AddressKey(words=fold(upper), postcode=compact)


def addresses_match(report: AddressKey, place: AddressKey) -> bool:
    """Whether a report's location is the place (see the module docstring)."""
    if not report.postcode or report.postcode != place.postcode or not report.words or not place.words:
        return False
    shorter, longer = sorted((report.words, place.words), key=len)
    return longer == shorter or longer.startswith(shorter + " ")


def report_matches(location: str, *, place_uprn: str, place_address: str, place_postcode: str) -> str | None:
    """How a report at ``location`` matches a place: ``"uprn"``, ``"address"``, or None."""
    uprn = uprn_of(location)
    if uprn:
        return "uprn" if place_uprn and uprn == uprn_of(place_uprn) else None
    if addresses_match(address_key(location), address_key(place_address, place_postcode)):
        return "address"
    return None


# --- Counts over time --------------------------------------------------------------------------


def status_on(history: Sequence[tuple[date, str]], day: date) -> str | None:
    """An address's status at the end of ``day``: the last change made on or before it; None
    when it was not yet on the tracker. ``history`` is (date, new status) in the order made."""
    status = None
    for changed_on, new_status in history:
        if changed_on <= day:
            status = new_status
    return status


def counts_on(histories: Iterable[Sequence[tuple[date, str]]], day: date) -> dict[str, int]:
    """How many addresses were in each status at the end of ``day``."""
    counts = dict.fromkeys(STATUSES, 0)
    for history in histories:
        status = status_on(history, day)
        if status is not None:
            counts[status] += 1
    return counts


def month_ends(today: date, months: int) -> list[date]:
    """The last days of the ``months`` months before ``today``'s month, oldest first, then
    ``today`` itself (the month so far)."""
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        ends.append(date(year, month, calendar.monthrange(year, month)[1]))
    return [*reversed(ends), today]


def counts_over_time(
    histories: Mapping[object, Sequence[tuple[date, str]]], today: date, months: int = 12
) -> list[tuple[date, dict[str, int]]]:
    """(day, counts) at each month end of the last ``months`` months, then today."""
    values = list(histories.values())
    return [(day, counts_on(values, day)) for day in month_ends(today, months)]


def a_year_before(today: date) -> date:
    """The same day a year earlier (29 February: the 28th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)
