"""Who a caller key belongs to, as the people app knows it (ADR 0037: the people app registers at
`ready()`; the report log never imports it).

The repeat-caller rules count per key as the agency sent it (contracts §7); a person known to
several agencies reports under several keys. The repeat-callers page asks this registry which of
its keys belong to a person the user may open, and shows each such person with every key they
reported under.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class CallerPerson:
    """A person the user may open, with every caller key their reports were made under."""

    person_id: int
    label: str
    url: str
    keys: list[str] = field(default_factory=list)


CallerPeopleLookup = Callable[..., list[CallerPerson]]

_LOOKUP: dict[str, CallerPeopleLookup] = {}


def register_caller_people(lookup: CallerPeopleLookup) -> None:
    """``lookup(user=…, partnership=…, keys=[…])`` returns the people (visible to the user) whose
    reports were made under any of the keys, each with all of their keys. Registering again
    replaces it (ready() can run twice in tests)."""
    _LOOKUP["people"] = lookup


def caller_people(*, user, partnership, keys: Sequence[str]) -> list[CallerPerson]:
    lookup = _LOOKUP.get("people")
    if lookup is None or not keys:
        return []
    return lookup(user=user, partnership=partnership, keys=list(keys))
