"""Access to a case granted beyond being party to it, contributed by other parts of the product.

`applications_visible_to` (selectors.py) is the one place access is decided. An agency officer
sees the cases their agency is party to, and — through this registry — the cases another part of
the product says their agency was granted (the people app: a case's lead agency granting a
request made through search and signpost). An app registers in its AppConfig.ready():

    from casereview.applications.access_grants import register
    register("people_access_requests", lambda user: <a queryset of application ids>)

Each source takes the user and returns a queryset of case ids (e.g. `values("case_id")`)
granted to that user's agency. It must grant only what was granted: a pending or refused request
grants nothing. The partnership scope and a withdrawn consent still apply on top of it.
"""

from __future__ import annotations

from collections.abc import Callable

_sources: dict[str, Callable] = {}


def register(key: str, source: Callable) -> None:
    _sources[key] = source


def granted_ids(user) -> list:
    """The querysets of application ids granted to `user`'s agency, one per registered source."""
    return [source(user) for _, source in sorted(_sources.items())]
