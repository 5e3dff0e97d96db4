"""Where a repeat caller's triage and a hotspot can go next, as the apps above the report log say
(issue 16; ADR 0037: the report log never imports them).

The standing panels (`referrals`) register at `ready()`: for the triages shown, a link to the
referral each one led to, or the route to refer the caller to a panel that takes repeat callers;
for the hotspots shown, the same for an Enhanced Partnership Response. With nothing registered the
pages show no onward links.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Onward:
    """One link: its words, where it goes, and the words a screen reader hears after them."""

    text: str
    url: str
    hidden: str = ""


#: ``routes(user=…, triages=[…])`` → {triage id: [Onward, …]}
TriageRoutes = Callable[..., dict[int, list[Onward]]]
#: ``routes(user=…, locations=[…])`` → {location: [Onward, …]}
HotspotRoutes = Callable[..., dict[str, list[Onward]]]

_ROUTES: dict[str, Callable] = {}


def register_onward_routes(*, triage: TriageRoutes, hotspot: HotspotRoutes) -> None:
    """Registering again replaces them (ready() can run twice in tests)."""
    _ROUTES["triage"] = triage
    _ROUTES["hotspot"] = hotspot


def triage_onward(*, user, triages: Sequence) -> dict[int, list[Onward]]:
    routes = _ROUTES.get("triage")
    triages = [triage for triage in triages if triage is not None]
    if routes is None or not triages:
        return {}
    return routes(user=user, triages=triages)


def hotspot_onward(*, user, locations: Sequence[str]) -> dict[str, list[Onward]]:
    routes = _ROUTES.get("hotspot")
    if routes is None or not locations:
        return {}
    return routes(user=user, locations=list(locations))
