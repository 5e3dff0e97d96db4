"""The disclosure control: what one party to a case must never be told about another (no Django).

The procedure's one promise that cannot be broken: a letter or a document addressed to the victim
or the applicant never carries an alleged perpetrator's identifying details, and what is served
on or disclosed to an alleged perpetrator never carries the victim's, the reporter's or the
witnesses' (domain.md §3; issue 13). `find_disclosures` reads the *final text* of a document,
part by part, and reports every detail of a protected person it finds there, saying which
detail and where.

What counts as a person's detail appearing (each tested with a generated corpus of leak forms and
a control corpus of ordinary letters, tests/core/test_disclosure.py):

* Text is compared after Unicode NFKC normalisation (full-width and styled letters become plain
  ones), confusable folding (a Cyrillic "а" or Greek "ο" that looks like a Latin letter counts as
  that letter: the Unicode confusables table, from the pinned `confusable-homoglyphs`; ADR 0013),
  accent stripping ("Zoë" is "Zoe") and case folding. Anything that is not a letter or digit
  separates words, and a detail may be spread over adjacent words ("R a v e n s w o r t h",
  "Ravens-worth") or run together ("DarrenRavensworth"); a match starts and ends on a word's edge,
  so "Hall" is not found in "Halloran".
* Names (the name and every alias): the whole name in any order, and each part of two letters or
  more on its own — the surname alone, the first name alone, "Mr Ravensworth", "D Ravensworth".
  The titles a name begins with are not parts ("Mr", "Dr"), but its last word always is, and a
  title word that is the person's name ("Darren Lord", "Sam Master") is a part like any other.
  A part that is also an everyday English word ("May", "Will", "Rose", "Green", `COMMON_WORDS`)
  or a title word ("Lord", "Master") is found on its own only where it reads as a name: with a
  capital letter and not at the start of a sentence; a month's name ("May", "June") only after a title
  ("Ms May"). With the rest of the name or an initial beside it, it is always found. Lower-case
  "you may" and "we will" are words, not names.
* Addresses: the postcode in any spacing or case ("NN16 8AB", "nn168ab"), the street with or
  without its number ("12 Ravensworth Road", "12a Ravensworth Road", "Ravensworth Rd"), a
  building's or house's name ("Kestrel House", "Rose Cottage"), and the premise line and whole
  address as before. Common abbreviations count as the word (Rd, St, Ave, …). A town alone is
  not a detail.
* Dates of birth in any common written form with a year: 12/03/1980, 12-3-80, 12.3.80,
  1980-03-12, 12031980, 12 March 1980, 12th of Mar 1980, March 12, 1980.
* Phone numbers in any spacing, with +44, 0044 or 0: compared on their national digits. A UK
  landline's local number, the digits after its area code, is found alone too, as people give it
  ("523456" for "01536 523456", "7946 0000" for "020 7946 0000"), in any spacing, unless it is the
  end of a longer number ("01604 523456" is another town's) or a local number under 6 digits. A
  false alarm holds the letter for an officer to edit; a miss would send the number.

The recipient's own name and address block (the part labelled `RECIPIENT_BLOCK`) is not checked:
it is theirs. Where a form found elsewhere is *also* one of the recipient's own details —
neighbours share a street and a postcode, relatives a surname — the finding is marked `shared`:
the document is held for a manager to release with a reason, never sent silently and never
refused outright. Any other finding refuses the document.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from confusable_homoglyphs import confusables

__all__ = [
    "COMMON_WORDS",
    "REDACTED",
    "RECIPIENT_BLOCK",
    "TITLES",
    "Finding",
    "Part",
    "Protected",
    "redact_disclosures",
    "find_disclosures",
    "fold",
    "name_parts",
]

EXCERPT_CHARS = 40
RECIPIENT_BLOCK = "the recipient's name and address"
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "master", "sir", "dame", "prof", "rev", "lord", "lady"}
)
# Everyday words that are also given names or surnames: found alone only where they read as a name.
# fmt: off
_COMMON_WORDS_TEXT = """
    al et co ltd
    a an and are as at be but by can do for from had has have he her his i if in is it its me my
    no not of on or our she so than that the their them then there they this to up us was we
    were what when where which who will with would you your may might must shall should could
    april may june august march rose grace hope faith joy dawn mark will bill sue pat rob drew
    ray jack frank grant miles victor sunny summer autumn holly ivy daisy lily violet heather
    iris olive ruby amber pearl crystal crystal penny sandy rusty rich chase hunter archer baker
    butler carter cook cooper fisher fletcher mason miller porter potter shepherd smith taylor
    turner walker ward weaver white black brown green grey gray gold silver young old long short
    little small large king queen prince bishop knight lord page hall hill wood woods field
    fields lane street park parks church marsh moss brook brooks bush stone rock ford bridge
    bank banks well wells house home north south east west sharp strong wise good best bright
    fair free hart bell case review council police panel office officer manager team action
    actions
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
# fmt: on
MONTH_WORDS = frozenset(m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:]))

_STREET_WORDS = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "cresc": "crescent",
    "dr": "drive",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "gdns": "gardens",
    "gdn": "garden",
    "tce": "terrace",
    "ter": "terrace",
    "wy": "way",
    "hse": "house",
    "apt": "apartment",
}
STREET_TYPES = frozenset(
    set(_STREET_WORDS.values())
    | {"way", "walk", "row", "hill", "grove", "park", "mews", "parade", "rise", "view", "green", "vale"}
    | {"avenue", "boulevard", "broadway", "causeway", "circus", "crescent", "drove", "end", "esplanade"}
    | {"road", "street", "lane", "close", "drive", "court", "place", "square", "gardens", "terrace"}
) - {"house", "apartment"}
BUILDING_WORDS = frozenset(
    {"house", "court", "cottage", "cottages", "mansions", "tower", "towers", "lodge", "farm", "hall"}
    | {"building", "buildings", "block", "apartments", "heights", "point", "manor", "barn", "villa"}
)
_UNIT_WORDS = frozenset({"flat", "apartment", "unit", "room", "maisonette", "suite", "floor"})
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"[0-9]+[a-z]?")  # folded: "12", "12a" (not "3rd": a word of the street)


@dataclass(frozen=True)
class Protected:
    """One person whose details the document's reader must not be told.

    `label` says who without naming them ("alleged perpetrator 1", "the victim", "witness 2").
    """

    label: str
    name: str = ""
    aliases: tuple[str, ...] = ()
    address: str = ""
    postcode: str = ""
    date_of_birth: dt.date | None = None
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """A piece of the document's final text and where it is ("paragraph 3", "recommendation 2")."""

    where: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A protected person's detail found in the document."""

    who: str  # Protected.label
    field: str  # "name" | "address" | "postcode" | "date of birth" | "phone number"
    where: str  # Part.where
    excerpt: str
    shared: bool = False  # also one of the recipient's own details: hold, do not refuse

    def message(self) -> str:
        text = f"The {self.field} of {self.who} appears in {self.where}: “{self.excerpt}”."
        if self.shared:
            text += " It is also the recipient's own detail, so a manager must decide."
        return text


# --- Normalisation ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _confusable(char: str) -> str:
    """The Latin letter or digit `char` looks like, or `char` itself (Unicode's confusables table)."""
    if char.isascii() or not char.isalpha():
        return char
    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry.get("homoglyphs", []):
            candidate = glyph.get("c", "")
            if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
                return candidate
    return char


def fold(text: str) -> str:
    """NFKC, confusables to Latin, accents off, case folded: the form every comparison uses."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(_confusable(char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class _Token:
    norm: str
    start: int
    end: int
    raw: str


def _tokens(text: str, *, street_words: bool = False) -> list[_Token]:
    result = []
    for match in _TOKEN.finditer(unicodedata.normalize("NFC", text)):
        norm = fold(match.group())
        if street_words:
            norm = _STREET_WORDS.get(norm, norm)
        result.append(_Token(norm, match.start(), match.end(), match.group()))
    return result


def _find_sequence(tokens: Sequence[_Token], target: str) -> Iterable[tuple[int, int]]:
    """Token index spans (i, j inclusive) where adjacent tokens, concatenated, equal `target`."""
    if not target:
        return
    for i, first in enumerate(tokens):
        if not first.norm or not target.startswith(first.norm):
            continue
        joined = first.norm
        j = i
        while len(joined) < len(target) and j + 1 < len(tokens):
            j += 1
            joined += tokens[j].norm
            if not target.startswith(joined):
                break
        if joined == target:
            yield i, j


def _excerpt(text: str, start: int, end: int) -> str:
    before = max(0, start - EXCERPT_CHARS)
    after = min(len(text), end + EXCERPT_CHARS)
    snippet = " ".join(text[before:after].split())
    return ("…" if before else "") + snippet + ("…" if after < len(text) else "")


# --- Names -----------------------------------------------------------------------------------------


def name_parts(name: str) -> list[str]:
    """The folded words of a name, the titles before it left out ("Mr Darren Lord": darren, lord).

    Only titles that lead the name are left out, and never its last word: a title word is a
    person's name too ("Darren Lord", "Sam Master", a person recorded as "Lady Lord" or
    "Master Master"), and leaving it out found the rest of the name only, or nothing at all."""
    words = [t.norm for t in _tokens(name)]
    start = 0
    while start < len(words) - 1 and words[start] in TITLES:
        start += 1
    return words[start:]


def _name_forms(name: str) -> tuple[set[str], set[str]]:
    """(whole forms, single parts) of a name as folded, concatenated token strings."""
    parts = name_parts(name)
    if not parts:
        return set(), set()
    significant = [p for p in parts if len(p) >= 2]
    whole = {"".join(parts)}
    if len(significant) >= 2:
        first, last = significant[0], significant[-1]
        whole |= {"".join(significant), first + last, last + first, first[0] + last}
    singles = set(significant)
    whole = {w for w in whole if len(w) >= 3}
    return whole, singles


def _reads_as_name(tokens: Sequence[_Token], i: int, text: str) -> bool:
    """Whether an everyday word at token `i` reads as a name here (see the module docstring)."""
    token = tokens[i]
    if not token.raw[:1].isupper():
        return False
    after_title = i > 0 and tokens[i - 1].norm in TITLES
    if token.norm in MONTH_WORDS:  # "in May", "12 March": a month unless a title says otherwise
        return after_title
    if after_title:
        return True
    before = text[: token.start].rstrip()
    at_sentence_start = not before or before[-1] in ".!?\n•*"
    return not at_sentence_start


# --- Addresses -------------------------------------------------------------------------------------


def _address_lines(address: str) -> list[list[str]]:
    lines = []
    for piece in re.split(r"[,\n;]+", address):
        words = [t.norm for t in _tokens(piece, street_words=True)]
        if words:
            lines.append(words)
    return lines


def postcodes_in(text: str) -> set[str]:
    """UK postcodes written in `text`, folded and without spaces ("nn168ab")."""
    return {fold(a + b) for a, b in _POSTCODE.findall(fold(text).upper())}


def address_forms(address: str, postcode: str = "") -> dict[str, set[str]]:
    """{"address": forms, "postcode": forms} as folded, concatenated token strings."""
    lines = _address_lines(address)
    forms: set[str] = set()
    codes = postcodes_in(f"{address}\n{postcode}")
    premise: list[str] = []
    building: list[str] = []
    for line in lines:
        premise.extend(line)
        building = line
        is_bare_number = all(_HOUSE_NUMBER.fullmatch(word) for word in line)
        is_unit_only = line[0] in _UNIT_WORDS and len(line) <= 2
        if not (is_bare_number or is_unit_only):
            break
    has_number = any(ch.isdigit() for word in premise for ch in word)
    has_word = any(len(word) >= 3 and word.isalpha() for word in premise)
    named_house = not has_number and len(premise) >= 2 and premise[-1] not in STREET_TYPES
    if (has_number and has_word) or named_house:
        forms.add("".join(premise))
        forms.add("".join(word for line in lines for word in line))
        if building != premise and len(building) >= 2:
            forms.add("".join(building))
    for line in lines:
        words = [w for w in line if fold(w) not in codes]
        # A street: its words after any number, ending in a street type ("ravensworthroad").
        for k, word in enumerate(words):
            if word in STREET_TYPES and k > 0:
                start = k
                while (
                    start > 0
                    and not _HOUSE_NUMBER.fullmatch(words[start - 1])
                    and words[start - 1] not in _UNIT_WORDS
                ):
                    start -= 1
                street = words[start : k + 1]
                if len(street) >= 2:
                    forms.add("".join(street))
                    # A unit's letter written on the street's line ("Flat B Mill Lane"): the
                    # street is found without it too ("Mill Lane").
                    if len(street) >= 3 and len(street[0]) == 1:
                        forms.add("".join(street[1:]))
                    if start > 0 and _HOUSE_NUMBER.fullmatch(words[start - 1]):
                        forms.add(words[start - 1] + "".join(street))
        # A building or a house by its name ("Kestrel House", "Rose Cottage").
        for k, word in enumerate(words):
            if (
                word in BUILDING_WORDS
                and k > 0
                and words[k - 1].isalpha()
                and words[k - 1] not in _UNIT_WORDS
            ):
                forms.add(words[k - 1] + word)
        if named_house and line is lines[0]:
            forms.add("".join(words))
    return {"address": {f for f in forms if len(f) >= 6}, "postcode": codes}


# --- Dates of birth --------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SEP = r"\s*[/.\-\\ ]\s*"
_DATE_PATTERNS = [
    (re.compile(rf"(?<!\d)(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})(?!\d)"), "dmy"),
    (re.compile(rf"(?<!\d)(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)"), "dmy"),
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})\s*(?:st|nd|rd|th)?[\s.,\-/]*(?:of\s+)?({_MONTH_RE})\.?[\s.,\-/]*(\d{{4}}|\d{{2}})(?!\d)",
            re.IGNORECASE,
        ),
        "dMy",
    ),
    (
        re.compile(
            rf"\b({_MONTH_RE})\.?\s*(\d{{1,2}})\s*(?:st|nd|rd|th)?[\s.,]*(\d{{4}}|'\d{{2}})(?!\d)",
            re.IGNORECASE,
        ),
        "Mdy",
    ),
]


def _year_matches(written: str, year: int) -> bool:
    written = written.lstrip("'")
    return int(written) == year if len(written) == 4 else int(written) == year % 100


def _date_spans(text: str, day: dt.date) -> Iterable[tuple[int, int]]:
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            if order == "dmy":
                d, m, y = int(a), int(b), c
            elif order == "ymd":
                y, m, d = a, int(b), int(c)
            elif order == "dMy":
                d, m, y = int(a), _MONTHS[b.lower()], c
            else:
                m, d, y = _MONTHS[a.lower()], int(b), c
            if d == day.day and m == day.month and _year_matches(y, day.year):
                yield match.start(), match.end()


# --- Phone numbers ---------------------------------------------------------------------------------

_PHONE = re.compile(r"(?<![\d])(?:\+|00)?\d[\d\s().\-/]{7,20}\d(?!\d)")


def phone_digits(text: str) -> str:
    """A UK phone number's national digits: "+44 (0)7700 900123" and "07700900123" are "7700900123"."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and len(digits) >= 12:
        digits = digits[2:]
    return digits.lstrip("0")


def _phone_spans(text: str, wanted: set[str]) -> Iterable[tuple[int, int]]:
    for match in _PHONE.finditer(text):
        if phone_digits(match.group()) in wanted:
            yield match.start(), match.end()


def _local_number(national: str) -> str:
    """A UK landline's local number, the digits after its area code, as people give it without the
    code ("523456" for "01536 523456"); "" for any other number or a local number under 6 digits.

    `national` is `phone_digits`' form. The area code's length is read from the national
    numbering plan's shapes: 02x is two digits (London's "7946 0000"), 011x and 01x1 three (Leeds,
    Birmingham: 7 digits), any other 01 four (6 digits). A five-digit code (a few rural exchanges)
    is read as four: its local number, the five digits after, is then not looked for alone — nor is
    any 5-digit local number of a nine-digit number ("01647 23456"): too short to tell from other
    figures. A mobile or non-geographic number (07, 03, 08) is dialled whole: no local number."""
    if len(national) != 10 or national[0] not in "12":
        return ""
    if national[0] == "2":
        return national[2:]
    if national[1] == "1" or national[2] == "1":
        return national[3:]
    return national[4:]


#: The end of a longer number just before a local number: a digit, then one or two of what may
#: stand between an area code and the local number ("01604 523456", "(01604) 523456", "01604-523456").
_NUMBER_BEFORE = re.compile(r"\d[\s().\-/]{1,2}\Z")


def _local_spans(text: str, wanted: set[str]) -> Iterable[tuple[int, int]]:
    """Where one of the local numbers `wanted` is written alone: its digits in order, at most one
    space, dot or hyphen between two, with no digit either side, and not the end of a longer
    number ("01604 523456" is another town's number; "01536 523456" is found whole by `_PHONE`)."""
    for local in wanted:
        for match in re.finditer(r"(?<!\d)" + r"[\s.\-]?".join(local) + r"(?!\d)", text):
            start = match.start()
            if not _NUMBER_BEFORE.search(text, max(0, start - 3), start):
                yield start, match.end()


# --- The check -------------------------------------------------------------------------------------


@dataclass
class _Forms:
    person: Protected
    whole_names: set[str] = field(default_factory=set)
    name_parts: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    local_numbers: set[str] = field(default_factory=set)


def _forms(person: Protected) -> _Forms:
    forms = _Forms(person)
    for name in (person.name, *person.aliases):
        whole, singles = _name_forms(name)
        forms.whole_names |= whole
        forms.name_parts |= singles
    found = address_forms(person.address, person.postcode)
    forms.addresses = found["address"]
    forms.postcodes = found["postcode"]
    forms.phones = {p for p in (phone_digits(x) for x in person.phones) if len(p) >= 6}
    forms.local_numbers = {n for n in (_local_number(p) for p in forms.phones) if n}
    return forms


def _own_forms(own_details: Iterable[str]) -> tuple[set[str], str]:
    """Every name word, address form and postcode of the recipient's own details, and their text."""
    texts = [t for t in own_details if t and t.strip()]
    owned: set[str] = set()
    for text in texts:
        whole, singles = _name_forms(text)
        owned |= whole | singles
        found = address_forms(text)
        owned |= found["address"] | found["postcode"]
        owned |= {t.norm for t in _tokens(text, street_words=True)}
    joined = " ".join("".join(t.norm for t in _tokens(text, street_words=True)) for text in texts)
    return owned, joined


def find_disclosures(
    parts: Iterable[Part], people: Iterable[Protected], *, own_details: Iterable[str] = ()
) -> list[Finding]:
    """Every appearance of a protected person's detail in the parts of a document, in reading order.

    `own_details` are the recipient's own name and address (and, for a letter to an applicant,
    the victim's): a detail found that is also theirs is `shared` (held for a manager), not
    refused. The recipient's own block (`RECIPIENT_BLOCK`) is not read.
    """
    owned, owned_text = _own_forms(own_details)

    def is_own(form: str) -> bool:
        return form in owned or (len(form) >= 6 and form in owned_text)

    everyone = [_forms(person) for person in people]
    findings: list[Finding] = []
    for part in parts:
        if part.where == RECIPIENT_BLOCK:
            continue
        found = _found(part.text, everyone, where=part.where, is_own=is_own)
        findings.extend(finding for _, _, finding in sorted(found, key=lambda item: item[0]))
    unique: dict[tuple[str, str, str, bool], Finding] = {}
    for finding in findings:  # one finding per person, detail, place and kind (shared or not)
        unique.setdefault((finding.who, finding.field, finding.where, finding.shared), finding)
    return list(unique.values())


def _found(
    raw: str, everyone: list[_Forms], *, where: str, is_own, everyday: frozenset[str] = frozenset()
) -> list[tuple[int, int, Finding]]:
    """(start, end, finding) of every protected detail in `raw`. Names and addresses are found in
    its NFC form, dates and phones in its NFKC form: the same text, with the same positions, when
    `raw` is already NFKC (as `redact_disclosures` makes it). `everyday` adds words that are found
    alone only where they read as a name, as `COMMON_WORDS` are."""
    text = unicodedata.normalize("NFC", raw)
    name_tokens = _tokens(text)
    address_tokens = _tokens(text, street_words=True)
    folded = unicodedata.normalize("NFKC", text)
    common = COMMON_WORDS | TITLES | everyday
    found: list[tuple[int, int, Finding]] = []

    def add(person, kind, start, end, form):
        found.append(
            (start, end, Finding(person.label, kind, where, _excerpt(text, start, end), is_own(form)))
        )

    for forms in everyone:
        person = forms.person
        for form in sorted(forms.whole_names, key=len, reverse=True):
            for i, j in _find_sequence(name_tokens, form):
                add(person, "name", name_tokens[i].start, name_tokens[j].end, form)
        for form in forms.name_parts:
            for i, j in _find_sequence(name_tokens, form):
                if form in common and not (i == j and _reads_as_name(name_tokens, i, text)):
                    continue
                add(person, "name", name_tokens[i].start, name_tokens[j].end, form)
        for form in forms.addresses:
            for i, j in _find_sequence(address_tokens, form):
                add(person, "address", address_tokens[i].start, address_tokens[j].end, form)
        for form in forms.postcodes:
            for i, j in _find_sequence(address_tokens, form):
                add(person, "postcode", address_tokens[i].start, address_tokens[j].end, form)
        if person.date_of_birth is not None:
            for start, end in _date_spans(folded, person.date_of_birth):
                found.append(
                    (start, end, Finding(person.label, "date of birth", where, _excerpt(folded, start, end)))
                )
        if forms.phones:
            spans = [*_phone_spans(folded, forms.phones), *_local_spans(folded, forms.local_numbers)]
            for start, end in spans:
                found.append(
                    (start, end, Finding(person.label, "phone number", where, _excerpt(folded, start, end)))
                )
    return found


REDACTED = "[redacted]"


def redact_disclosures(
    text: str,
    people: Iterable[Protected],
    *,
    replacement: str = REDACTED,
    everyday: Iterable[str] = (),
) -> str:
    """`text` with every detail of the protected people found by the same rules as
    `find_disclosures` (names and their parts, aliases, addresses with or without the number,
    postcodes in any spacing, dates of birth in any format, phone numbers; after NFKC, confusable
    folding and accent stripping) replaced by `replacement` — for a document that is disclosed
    rather than refused, such as a subject access export (the requester's own copy of what is held).
    The text comes back NFKC-normalised (styled and full-width letters as plain ones). `everyday`:
    more words found alone only where they read as a name ("family", "youths")."""
    text = unicodedata.normalize("NFKC", text or "")
    everyone = [_forms(person) for person in people]
    common = frozenset(fold(word) for word in everyday)
    spans = sorted(
        (start, end)
        for start, end, _ in _found(text, everyone, where="", is_own=lambda form: False, everyday=common)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + replacement + text[end:]
    return text


def refusals(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that refuse the document outright (not the recipient's own detail)."""
    return [f for f in findings if not f.shared]
