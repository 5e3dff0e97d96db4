"""The perpetrator redaction guarantee, as pure matching logic (no Django).

A letter to the victim (or to the person who applied for them) must never carry a recorded alleged
perpetrator's name, address or date of birth (seed 004 §11; domain.md §3). `letter_issue` renders
the letter, extracts the final text block by block (`parts_from_html`) and asks `find_withheld`
whether any withheld detail appears; if it does the letter is refused and the officer is told
which detail, where (the part of the letter) and a short excerpt.

The checks run on the *final rendered text*, not on the inputs, so it does not matter whether a
name arrived through the template, a recommendation, an action's description or extra context.

Matching rules (documented in docs/letters.md, tested with examples and Hypothesis):

* Text is tokenised into runs of letters and digits. Tokens are compared after Unicode
  normalisation (accents removed: "Zoë" matches "Zoe") and case folding. Anything that is not a
  letter or digit — spaces, line breaks, punctuation, HTML markup (already stripped), entities
  (already decoded) — separates tokens, and a detail may be spread over several adjacent tokens:
  "J-o-h-n  Smith", "JOHN\\nSMITH", "John.Smith" and "Jo<b>hn</b> Smith" all match "John Smith".
  A match must start at the start of a token and end at the end of one, so "Smith" does not match
  inside "Smithson" and "Ann Lee" does not match "Ann Leeds".
* Names: titles (Mr, Mrs, Ms, Miss, Mx, Dr) are ignored. The name as recorded matches; so do its
  parts of two or more characters in order (middle initials dropped), first and last name without
  the middle names, the last name before the first ("Smith, John"), and the first initial with the
  last name ("J Smith"). A name recorded as a single word matches alone only if it has at least
  three characters: a one- or two-letter token ("Al", "O") is too common to refuse letters over.
  A surname on its own is not matched: victims and perpetrators are often family or share a
  surname, and "Dear Mrs Smith" must still be sendable.
* Addresses: the premise (the first line: "12 Acacia Avenue", "Flat 3, 12 Acacia Avenue",
  "Rose Cottage") matches in any layout of commas, spaces and line breaks, with common street
  abbreviations treated as the word (Rd, St, Ave, Ln, Cl, Cres, Dr, Ct, Pl, Sq, Gdns, Tce); so does
  the whole address. The postcode alone and the street name alone are not matched: neighbours
  share both with the victim, whose own address is on the letter.
* Dates of birth: any written form of the date with a year — 12/03/1985, 12-3-85, 12.03.1985,
  1985-03-12, 12 March 1985, 12th of Mar 1985, March 12, 1985 — matches. A day and month without
  a year do not (incident dates would trip it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = [
    "Finding",
    "Part",
    "TITLES",
    "Withheld",
    "address_spans",
    "find_withheld",
    "parts_from_html",
]

EXCERPT_CHARS = 40
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master", "sir", "dame", "prof"})
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
_STREET_TYPES = frozenset(
    set(_STREET_WORDS.values())
    | {"way", "walk", "row", "hill", "grove", "park", "mews", "parade", "rise", "view", "green", "vale"}
    | {"avenue", "boulevard", "broadway", "causeway", "circus", "crescent", "drove", "end", "esplanade"}
) - {"house", "apartment"}
_UNIT_WORDS = frozenset({"flat", "apartment", "unit", "room", "maisonette", "suite", "floor"})
MIN_SINGLE_NAME = 3


@dataclass(frozen=True)
class Withheld:
    """One alleged perpetrator's details that a victim-facing letter must not contain.

    `label` says which perpetrator without naming them ("alleged perpetrator 1").
    """

    label: str
    name: str = ""
    address: str = ""
    date_of_birth: dt.date | None = None


@dataclass(frozen=True)
class Part:
    """A piece of the letter's final text and where it is ("Recommendation 2", "Paragraph 3")."""

    where: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A withheld detail found in the letter."""

    who: str  # Withheld.label
    field: str  # "name" | "address" | "date of birth"
    where: str  # Part.where
    excerpt: str

    def message(self) -> str:
        return f"The {self.field} of {self.who} appears in {self.where}: “{self.excerpt}”."


# --- Tokens -----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class _Token:
    norm: str
    start: int
    end: int


def _tokens(text: str, *, street_words: bool = False) -> list[_Token]:
    result = []
    for match in _TOKEN.finditer(text):
        norm = _fold(match.group())
        if street_words:
            norm = _STREET_WORDS.get(norm, norm)
        result.append(_Token(norm, match.start(), match.end()))
    return result


def _find_sequence(tokens: Sequence[_Token], target: str) -> Iterable[tuple[int, int]]:
    """Spans (start, end character offsets) where adjacent tokens, concatenated, equal `target`."""
    if not target:
        return
    for i, first in enumerate(tokens):
        if not target.startswith(first.norm):
            continue
        joined = first.norm
        j = i
        while len(joined) < len(target) and j + 1 < len(tokens):
            j += 1
            joined += tokens[j].norm
            if not target.startswith(joined):
                break
        if joined == target:
            yield first.start, tokens[j].end


def _excerpt(text: str, start: int, end: int) -> str:
    before = max(0, start - EXCERPT_CHARS)
    after = min(len(text), end + EXCERPT_CHARS)
    snippet = " ".join(text[before:after].split())
    return ("…" if before else "") + snippet + ("…" if after < len(text) else "")


# --- Names -----------------------------------------------------------------------------------------


def name_variants(name: str) -> set[str]:
    """The concatenated token strings that count as this name appearing (see the module docstring)."""
    parts = [t.norm for t in _tokens(name) if t.norm not in TITLES]
    if not parts:
        return set()
    significant = [p for p in parts if len(p) >= 2]
    variants: set[str] = set()
    if len(significant) <= 1:
        single = significant[0] if significant else "".join(parts)
        if len(parts) > 1 and len("".join(parts)) >= MIN_SINGLE_NAME:
            variants.add("".join(parts))  # "J Smith" recorded as such
        if len(single) >= MIN_SINGLE_NAME and len(parts) == 1:
            variants.add(single)
        return variants
    first, last = significant[0], significant[-1]
    variants.add("".join(parts))
    variants.add("".join(significant))
    variants.add(first + last)
    variants.add(last + first)
    variants.add(first[0] + last)
    return variants


# --- Addresses -------------------------------------------------------------------------------------


def _address_components(address: str) -> list[list[str]]:
    components = []
    for piece in re.split(r"[,\n;]+", address):
        words = [t.norm for t in _tokens(piece, street_words=True)]
        if words:
            components.append(words)
    return components


def address_variants(address: str) -> set[str]:
    """The premise line, and the whole address, as concatenated tokens."""
    components = _address_components(address)
    if not components:
        return set()
    premise: list[str] = []
    building: list[str] = []
    for component in components:
        premise.extend(component)
        building = component
        is_bare_number = all(word.isdigit() for word in component)
        is_unit_only = component[0] in _UNIT_WORDS and len(component) <= 2
        if not (is_bare_number or is_unit_only):
            break
    has_number = any(ch.isdigit() for word in premise for ch in word)
    has_word = any(len(word) >= 3 and word.isalpha() for word in premise)
    # "Rose Cottage" names a house; "Acacia Avenue" with no number is only a street.
    named_house = not has_number and len(premise) >= 2 and premise[-1] not in _STREET_TYPES
    if not ((has_number and has_word) or named_house):
        return set()  # only a street, a town or a postcode: shared with the neighbours
    variants = {"".join(word for c in components for word in c), "".join(premise)}
    # "Flat 3, 12 Acacia Avenue": the building's own line ("12 Acacia Avenue") identifies too.
    building_has_number = any(ch.isdigit() for word in building for ch in word)
    if building != premise and building_has_number and len(building) >= 2:
        variants.add("".join(building))
    return {v for v in variants if len(v) >= 4}


def address_spans(text: str, address: str) -> list[tuple[int, int]]:
    """Where `address` appears in `text` by the rules above (start, end character offsets)."""
    tokens = _tokens(text, street_words=True)
    return [span for variant in address_variants(address) for span in _find_sequence(tokens, variant)]


# --- Dates of birth --------------------------------------------------------------------------------

_MONTHS = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SEP = r"\s*[/.\-\\]\s*"
_DATE_PATTERNS = [
    # 12/03/1985, 12-3-85, 12.03.1985 (the UK order: day first)
    (re.compile(rf"(?<!\d)(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})(?!\d)"), "dmy"),
    # 1985-03-12, 1985/3/12
    (re.compile(rf"(?<!\d)(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?!\d)"), "ymd"),
    # 12 March 1985, 12th of Mar. 1985, 12-Mar-1985
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[\s.,\-/]*(?:of\s+)?({_MONTH_RE})\.?[\s.,\-/]*(\d{{4}}|\d{{2}})(?!\d)",
            re.IGNORECASE,
        ),
        "dMy",
    ),
    # March 12, 1985; Mar 12th 1985
    (
        re.compile(
            rf"\b({_MONTH_RE})\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?[\s.,]*(\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        "Mdy",
    ),
]


def _year_matches(written: str, year: int) -> bool:
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


# --- The check -------------------------------------------------------------------------------------


def find_withheld(
    parts: Iterable[Part], withheld: Iterable[Withheld], *, own_details: Iterable[str] = ()
) -> list[Finding]:
    """Every appearance of a withheld detail in the parts of a letter, in reading order.

    `own_details` are the recipient's own name and address (and the victim's): a form of a
    withheld detail that also appears there is not looked for — a victim in Flat 2, 12 Acacia
    Avenue may be told "12 Acacia Avenue" although the alleged perpetrator lives in Flat 3.
    """
    parts = list(parts)
    own_details = [text for text in own_details if text]
    own_names = [_tokens(text) for text in own_details]
    own_addresses = [_tokens(text, street_words=True) for text in own_details]

    # The recipient's own name in its usual forms ("J Smith" for Jane Smith) is theirs to be sent.
    own_forms = set().union(*(name_variants(text) for text in own_details)) if own_details else set()

    def not_own(variants: set[str], owned: list[list[_Token]]) -> list[str]:
        kept = [
            v
            for v in variants
            if v not in own_forms and not any(any(True for _ in _find_sequence(t, v)) for t in owned)
        ]
        return sorted(kept, key=len, reverse=True)

    people = [
        (
            person,
            not_own(name_variants(person.name), own_names),
            not_own(address_variants(person.address), own_addresses),
        )
        for person in withheld
    ]
    findings: list[Finding] = []
    for part in parts:
        found: list[tuple[int, Finding]] = []
        name_tokens = _tokens(part.text)
        address_tokens = _tokens(part.text, street_words=True)
        for person, names, addresses in people:
            seen: set[tuple[str, int]] = set()
            for variant in names:
                for start, end in _find_sequence(name_tokens, variant):
                    if ("name", start) not in seen:
                        seen.add(("name", start))
                        found.append(
                            (
                                start,
                                Finding(person.label, "name", part.where, _excerpt(part.text, start, end)),
                            )
                        )
            for variant in addresses:
                for start, end in _find_sequence(address_tokens, variant):
                    if ("address", start) not in seen:
                        seen.add(("address", start))
                        found.append(
                            (
                                start,
                                Finding(person.label, "address", part.where, _excerpt(part.text, start, end)),
                            )
                        )
            if person.date_of_birth is not None:
                for start, end in _date_spans(part.text, person.date_of_birth):
                    if ("date", start) not in seen:
                        seen.add(("date", start))
                        excerpt = _excerpt(part.text, start, end)
                        found.append((start, Finding(person.label, "date of birth", part.where, excerpt)))
        findings.extend(finding for _, finding in sorted(found, key=lambda pair: pair[0]))
    unique: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:  # a part read twice (see parts_from_html) reports once
        unique.setdefault((finding.who, finding.field, finding.where), finding)
    return list(unique.values())


# --- From the rendered HTML to labelled parts --------------------------------------------------------

_BLOCKS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "dt",
        "dd",
        "div",
        "section",
        "address",
        "blockquote",
        "title",
        "caption",
        "header",
        "footer",
        "main",
        "ul",
        "ol",
        "dl",
        "table",
        "tr",
        "body",
        "html",
        "head",
        "article",
        "aside",
        "pre",
    }
)
_VOID_SEPARATORS = frozenset({"br", "hr", "img", "input"})
_SKIP = frozenset({"script", "style"})


class _PartCollector(HTMLParser):
    """Splits HTML into text blocks, each labelled by the nearest enclosing `data-part` attribute.

    Inline markup (b, span, a …) joins text without a break — so "Jo<b>hn</b>" is "John" — and
    entities are decoded, so "J&#111;hn" is "John". Block elements and <br> separate text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[Part] = []
        self._labels: list[tuple[str, str | None]] = []  # (tag, data-part label or None)
        self._buffer: list[str] = []
        self._skip = 0
        self._unlabelled = 0

    def _label(self) -> str:
        for _tag, label in reversed(self._labels):
            if label:
                return label
        return ""

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        if text.strip():
            where = self._label()
            if not where:
                self._unlabelled += 1
                where = f"text block {self._unlabelled} of the letter"
            self.parts.append(Part(where=where, text=" ".join(text.split())))

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
            return
        if tag in _VOID_SEPARATORS:
            self._buffer.append(" ")
            alt = dict(attrs).get("alt")
            if alt:
                self._buffer.append(f" {alt} ")
            return
        label = dict(attrs).get("data-part")
        if tag in _BLOCKS or label:
            self._flush()
            self._labels.append((tag, label))
        # Text in attributes a reader can meet (a link's title, an abbreviation's expansion).
        for attribute in ("title", "aria-label"):
            value = dict(attrs).get(attribute)
            if value:
                self._buffer.append(f" {value} ")

    def handle_startendtag(self, tag, attrs):
        if tag in _VOID_SEPARATORS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if any(t == tag for t, _ in self._labels):
            self._flush()
            while self._labels:
                popped, _ = self._labels.pop()
                if popped == tag:
                    break

    def handle_data(self, data):
        if not self._skip:
            self._buffer.append(data)

    def close(self):
        super().close()
        self._flush()


_TAG = re.compile(r"<[^>]*>")


def parts_from_html(markup: str) -> list[Part]:
    """The letter's text as a reader (or a screen reader) meets it, block by block, labelled.

    Text that itself looks like markup (someone typed "Dar<b>ren</b>" or "Kirk&#98;ride" into a
    free-text field: the letter escapes it, so it prints literally) is also read a second time with
    the tags removed and the entities decoded, under the same label — a reader would still
    recognise the name.
    """
    collector = _PartCollector()
    collector.feed(markup)
    collector.close()
    parts = []
    for part in collector.parts:
        parts.append(part)
        if "<" in part.text or "&" in part.text:
            decoded = html.unescape(_TAG.sub("", part.text))
            if decoded != part.text:
                parts.append(Part(where=part.where, text=decoded))
    return parts


def text_from_html(markup: str) -> str:
    """The plain text of some HTML (for tests and the timeline): blocks separated by new lines."""
    return "\n".join(part.text for part in parts_from_html(markup)) or html.unescape(markup)
