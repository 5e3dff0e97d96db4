"""Where a member of staff lands after signing in (`web.views.home`). The case list, unless an app
above registered a landing (in its AppConfig.ready()) that has a page for this user: the dashboards
app sends a Chief Executive or senior manager to their dashboard (issue 20)."""

from __future__ import annotations

from collections.abc import Callable

_landings: list[Callable] = []
DEFAULT = "/cases/"


def register_landing(landing: Callable) -> None:
    """`landing(user) -> str | None`: a path for this user, or None to let the next one decide."""
    if landing not in _landings:
        _landings.append(landing)


def landing_for(user) -> str:
    for landing in _landings:
        path = landing(user)
        if path:
            return path
    return DEFAULT
