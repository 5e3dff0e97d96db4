"""What other apps hold that points at a person or a place, moved by a merge and put back by its
unmerge (ADR 0037: an app above the people app registers at `ready()`; the people app never
imports it). The people app's own links are its `services.PERSON_LINKS` / `PLACE_LINKS`.

A registrant gives two functions, each called inside the merge's (or unmerge's) transaction:

- ``move(kind=, kept=, duplicate=)`` moves its rows from the duplicate to the kept record, through
  its own service, and returns what it moved as ``[model label, id, field]`` entries;
- ``restore(kind=, kept=, duplicate=, moved=)`` puts exactly those entries back on the duplicate.

`kind` is "person" or "place" (`models.MergeKind`). The merge record keeps each entry with the
registrant's name, so the unmerge hands each registrant back its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MergeLinks:
    move: Callable[..., list]
    restore: Callable[..., None]


_REGISTRY: dict[str, MergeLinks] = {}


def register_merge_links(name: str, *, move: Callable[..., list], restore: Callable[..., None]) -> None:
    """Registering the same name again replaces it (ready() can run twice in tests)."""
    _REGISTRY[name] = MergeLinks(move=move, restore=restore)


def merge_links_move(*, kind: str, kept, duplicate) -> list[list]:
    """Every registrant's rows moved: ``[label, id, field, registrant]`` entries."""
    moved = []
    for name, links in _REGISTRY.items():
        moved += [[*entry, name] for entry in links.move(kind=kind, kept=kept, duplicate=duplicate)]
    return moved


def merge_links_restore(*, kind: str, kept, duplicate, moved: list[list]) -> None:
    """Hand each registrant back the entries it moved (those with its name)."""
    for name, links in _REGISTRY.items():
        mine = [entry[:3] for entry in moved if len(entry) > 3 and entry[3] == name]
        if mine:
            links.restore(kind=kind, kept=kept, duplicate=duplicate, moved=mine)
