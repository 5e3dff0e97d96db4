"""What other apps hold that points at a person or a place, moved by a merge and put back by its
unmerge (ADR 0037: an app above the people app registers at `ready()`; the people app never
imports it). The people app's own links are its `services.PERSON_LINKS` / `PLACE_LINKS`.

A registrant gives three functions, each called inside the merge's (or unmerge's) transaction:

- ``move(kind=, kept=, duplicate=, actor=)`` moves its rows from the duplicate to the kept record,
  through its own service, and returns what it moved as ``[model label, id, field]`` entries;
- ``restore(kind=, kept=, duplicate=, moved=, actor=)`` puts exactly those entries back on the
  duplicate (an entry that no longer points at the kept record is left as it is);
- ``made_since(kind=, kept=, since=)`` lists its rows pointing at the kept record that were made
  after the merge (``since``), as ``(row, field)``: the unmerge asks the officer, for each, which
  record it belongs to — as it asks for its own links — and hands those sent to the duplicate to
  ``restore``. Without it, such a row would stay on the kept record whatever the officer said of
  the people app's own links made at the same time (a referral's person and its case's subject).

`kind` is "person" or "place" (`models.MergeKind`); `actor` is who merges or unmerges, for a
registrant that records the change on its own timeline. The merge record keeps each entry with the
registrant's name, so the unmerge hands each registrant back its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MergeLinks:
    move: Callable[..., list]
    restore: Callable[..., None]
    made_since: Callable[..., list] | None = None


_REGISTRY: dict[str, MergeLinks] = {}


def register_merge_links(
    name: str,
    *,
    move: Callable[..., list],
    restore: Callable[..., None],
    made_since: Callable[..., list] | None = None,
) -> None:
    """Registering the same name again replaces it (ready() can run twice in tests)."""
    _REGISTRY[name] = MergeLinks(move=move, restore=restore, made_since=made_since)


def merge_links_move(*, kind: str, kept, duplicate, actor) -> list[list]:
    """Every registrant's rows moved: ``[label, id, field, registrant]`` entries."""
    moved = []
    for name, links in _REGISTRY.items():
        moved += [
            [*entry, name] for entry in links.move(kind=kind, kept=kept, duplicate=duplicate, actor=actor)
        ]
    return moved


def merge_links_restore(*, kind: str, kept, duplicate, moved: list[list], actor) -> None:
    """Hand each registrant back the entries it moved (those with its name)."""
    for name, links in _REGISTRY.items():
        mine = [entry[:3] for entry in moved if len(entry) > 3 and entry[3] == name]
        if mine:
            links.restore(kind=kind, kept=kept, duplicate=duplicate, moved=mine, actor=actor)


def merge_links_made_since(*, kind: str, kept, since) -> list[tuple[object, str, str]]:
    """Every registrant's rows made after the merge that point at the kept record:
    ``(row, field, registrant)``."""
    found = []
    for name, links in _REGISTRY.items():
        if links.made_since is not None:
            found += [
                (row, field, name) for row, field in links.made_since(kind=kind, kept=kept, since=since)
            ]
    return found
