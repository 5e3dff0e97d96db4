"""People's names as staff type them: accent- and case-insensitive, with common name variants.

"Llyr" must find "Llŷr", "bill jones" must find "William Jones": staff search for a victim and the
repeat-application check both compare names through this module.

* ``fold`` is the stored form (``Person.name_key``): Unicode compatibility-decomposed with the
  accents dropped ("ŷ" → "y", "é" → "e"), case-folded, punctuation as spaces, spaces collapsed.
  Stored by the service that saves the person, so a search is a plain ``contains`` on an
  indexed column and behaves the same on SQLite and PostgreSQL.
* ``name_forms`` adds the variants of the first name: the ``nicknames`` dataset (a hand-curated
  list of English given names and their nicknames — Bill/William, Bob/Robert, Liz/Elizabeth …;
  docs/architecture/decisions/0010-name-matching.md) plus a small table of Welsh forms the
  dataset lacks (Dai/David …). The variants are for *finding and suggesting*: a repeat is still
  only suggested when a postcode, email, phone or address matches too, and staff decide.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from nicknames import NickNamer

# Welsh given names and their usual short or English forms, which the dataset does not hold.
# Both directions are used. Keep it small: each entry must be a name people really treat as the
# same person's name.
LOCAL_VARIANTS: dict[str, frozenset[str]] = {
    "dai": frozenset({"david", "dafydd"}),
    "dafydd": frozenset({"david", "dai", "dewi"}),
    "dewi": frozenset({"david", "dafydd"}),
    "sion": frozenset({"john"}),
    "ieuan": frozenset({"evan", "ifan"}),
    "ifan": frozenset({"evan", "ieuan"}),
    "gwil": frozenset({"gwilym", "william"}),
    "gwilym": frozenset({"william", "gwil"}),
}

_SEPARATORS = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """The name as it is stored and compared: no accents, no case, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.sub(" ", bare.casefold()).replace("_", " ").split())


@cache
def _namer() -> NickNamer:
    return NickNamer()


@cache
def given_name_variants(given: str) -> frozenset[str]:
    """A folded given name and the names it is commonly a variant of (both ways)."""
    namer = _namer()
    forms = {given} | namer.canonicals_of(given) | namer.nicknames_of(given)
    forms |= LOCAL_VARIANTS.get(given, frozenset())
    forms |= {name for name, variants in LOCAL_VARIANTS.items() if given in variants}
    return frozenset(fold(form) for form in forms if form)


def name_forms(text: str) -> frozenset[str]:
    """The folded name and its forms with the first name replaced by each of its variants:
    "Bill Jones" → {"bill jones", "william jones", "will jones", …}. Empty for an empty name."""
    folded = fold(text)
    if not folded:
        return frozenset()
    first, _, rest = folded.partition(" ")
    return frozenset(" ".join(filter(None, (form, rest))) for form in given_name_variants(first))


def same_name(a: str, b: str) -> bool:
    """Are these two written names the same person's name, allowing accents, case and variants?"""
    return bool(name_forms(a) & name_forms(b))
