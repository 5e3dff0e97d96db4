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

Two more, for the pages, so the officer sees the other apps' rows as well as the people app's own:

- ``counts(kind=, kept=, duplicate=)`` says what the merge would move, as ``{what: how many}``
  (the confirmation page lists it beside the people app's own counts);
- ``describe(row=, field=)`` names a row made since the merge in words (the unmerge page asks
  where each goes: "The Community MARAC referral IS-P-2026-0001 (its person)").

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
    counts: Callable[..., dict] | None = None
    describe: Callable[..., str] | None = None


_REGISTRY: dict[str, MergeLinks] = {}


def register_merge_links(
    name: str,
    *,
    move: Callable[..., list],
    restore: Callable[..., None],
    made_since: Callable[..., list] | None = None,
    counts: Callable[..., dict] | None = None,
    describe: Callable[..., str] | None = None,
) -> None:
    """Registering the same name again replaces it (ready() can run twice in tests)."""
    _REGISTRY[name] = MergeLinks(
        move=move, restore=restore, made_since=made_since, counts=counts, describe=describe
    )


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


def merge_links_counts(*, kind: str, kept, duplicate) -> dict[str, int]:
    """What every registrant would move from the duplicate to the kept record: ``{what: count}``."""
    counts: dict[str, int] = {}
    for links in _REGISTRY.values():
        if links.counts is not None:
            for what, count in links.counts(kind=kind, kept=kept, duplicate=duplicate).items():
                counts[what] = counts.get(what, 0) + count
    return counts


def merge_links_describe(*, row, field: str, registrant: str) -> str | None:
    """A registrant's row in words, or None when it gives no words for its rows."""
    links = _REGISTRY.get(registrant)
    if links is None or links.describe is None:
        return None
    return links.describe(row=row, field=field)
