"""The registry of case kinds (ADR 0048): which kinds of case exist, each with its status table.

The review's kind is registered here; an app that adds a kind (Community MARAC, cuckooing, early
intervention) registers its `core.case_kinds.CaseKindTable` in its `AppConfig.ready()`:

    from casereview.applications.kinds import register_case_kind
    register_case_kind(MARAC_KIND)

so this app never imports the apps above it (ADR 0037), as `case_sections` does for the case page.
"""

from __future__ import annotations

from collections.abc import Callable

from casereview.core.case_kinds import REVIEW_KIND, CaseKindTable

_kinds: dict[str, CaseKindTable] = {}
# Families of kinds whose names the local policy makes ("panel:cmarac", "panel:cuckooing" …): a
# prefix and the function that makes the table of any kind under it, on first use (ADR 0064).
_families: dict[str, Callable[[str], CaseKindTable]] = {}


class UnknownCaseKind(LookupError):
    pass


def register_case_kind(table: CaseKindTable) -> None:
    """Add a kind of case. Registering the same table again (a reloaded app) is harmless; a
    different table under a kind already taken is a mistake and is refused."""
    existing = _kinds.get(table.kind)
    if existing is not None and existing != table:
        raise ValueError(f"The case kind {table.kind!r} is already registered with another table.")
    _kinds[table.kind] = table


def register_case_kind_family(prefix: str, make: Callable[[str], CaseKindTable]) -> None:
    """Add a family of kinds named by the local policy: every kind starting with `prefix` has the
    table `make(kind)`, registered the first time it is asked for (the referrals app registers
    "panel:" for the standing panels the policy declares)."""
    _families[prefix] = make


def case_kind(kind: str) -> CaseKindTable:
    """The table of a kind of case; UnknownCaseKind for a kind no app registered."""
    try:
        return _kinds[kind]
    except KeyError:
        for prefix, make in _families.items():
            if kind.startswith(prefix) and len(kind) > len(prefix):
                register_case_kind(make(kind))
                return _kinds[kind]
        raise UnknownCaseKind(
            f"No case kind {kind!r} is registered (known: {', '.join(sorted(_kinds)) or 'none'})."
        ) from None


def case_kinds() -> list[CaseKindTable]:
    """Every registered kind, in the order registered (the review first)."""
    return list(_kinds.values())


def case_kind_families() -> list[str]:
    """The prefixes of the families of kinds registered ("panel:"), in the order registered."""
    return list(_families)


def unregister_case_kind(kind: str) -> None:
    """For tests that register a kind of their own."""
    if kind != REVIEW_KIND.kind:
        _kinds.pop(kind, None)


register_case_kind(REVIEW_KIND)
