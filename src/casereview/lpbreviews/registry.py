"""Where a partnership's local policing body is, filled at ready() by the app that knows force areas
(`returns`, a layer above: ADR 0037). Without it, or for a partnership in no force area, the route
is still the law: England's dates, and the body named generically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PolicingBody:
    #: e.g. "Northamptonshire Police, Fire and Crime Commissioner"; empty: not known.
    name: str
    #: "england" or "wales": whose commencement date applies.
    nation: str
    force_area: str = ""


_lookup: Callable[[object], PolicingBody | None] | None = None


def register_policing_body_lookup(lookup: Callable[[object], PolicingBody | None]) -> None:
    """`lookup(partnership)`: the local policing body of the partnership's force area, or None."""
    global _lookup
    _lookup = lookup


def policing_body_of(partnership) -> PolicingBody:
    found = _lookup(partnership) if _lookup is not None else None
    return found or PolicingBody(name="", nation="england")
