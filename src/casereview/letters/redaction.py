"""The letters' side of the disclosure control: from a rendered letter to labelled parts.

The matching itself — what counts as an alleged perpetrator's (or a victim's) detail appearing —
is law-like logic and lives in the pure core, `casereview.core.disclosure` (its docstring has the
rules; docs/letters.md explains them to staff). This module turns the letter's final HTML into the
parts that check reads, each labelled with where it is, and keeps the names the rest of the
product imports from here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from casereview.core.disclosure import (
    RECIPIENT_BLOCK,
    TITLES,
    Finding,
    Part,
    Protected,
    find_disclosures,
    refusals,
)

__all__ = [
    "RECIPIENT_BLOCK",
    "TITLES",
    "Finding",
    "Part",
    "Protected",
    "Withheld",
    "find_withheld",
    "parts_from_html",
    "refusals",
]

Withheld = Protected  # the name the letters used first


def find_withheld(
    parts: Iterable[Part], withheld: Iterable[Protected], *, own_details: Iterable[str] = ()
) -> list[Finding]:
    """`find_disclosures` under the letters' first name for it."""
    return find_disclosures(parts, withheld, own_details=own_details)


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
