"""From a template and a case to the letter's HTML and PDF. No writes here (services.py writes).

The body of every letter is produced from the template's plain text (see `kinds` for the syntax):
text is escaped, placeholders are filled with values built from the records, and each block
carries a `data-part` label ("paragraph 3", "recommendation 2", "action 1") so the redaction check
can say where a withheld detail appears.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from casereview.core.dates import format_date

from .kinds import KINDS, KindSpec
from .redaction import Finding

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_BRACES = re.compile(r"\{\{|\}\}|\{%|%\}")


class LetterError(Exception):
    """A letter cannot be previewed or issued; `message` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LetterNotReady(LetterError):
    """The case lacks something the letter needs (a decision, a SPOC, the panel's date …)."""


class LetterRedactionError(LetterError):
    """A victim-facing letter contains a recorded alleged perpetrator's personal data."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        lines = [finding.message() for finding in findings]
        # `message` (shown to the officer) quotes the excerpt; the exception's own text, which ends
        # up in logs and tracebacks if nobody catches it, does not.
        Exception.__init__(
            self,
            f"Letter refused: {len(findings)} appearance(s) of an alleged perpetrator's personal data "
            f"({', '.join(sorted({f.field for f in findings}))}).",
        )
        self.message = (
            "This letter cannot be issued: it is to the victim and contains personal data of an "
            "alleged perpetrator. " + " ".join(lines) + " Remove it from the text and preview again."
        )


def written_date(day: dt.date | None) -> str:
    """22 April 2025 — dates in letters are written out, never 22/04/2025; in a Welsh letter (Welsh
    active) 22 Ebrill 2025."""
    if day is None:
        return ""
    language = "cy" if (translation.get_language() or "").startswith("cy") else "en"
    return format_date(day, language=language)


def written_time(moment: dt.datetime | None) -> str:
    """14:00 on 2 March 2026 (local time); in a Welsh letter 14:00 ar 2 Mawrth 2026."""
    if moment is None:
        return ""
    from django.utils import timezone

    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    # Translators: a time and a date in a letter, as in "14:00 on 2 March 2026".
    return translation.gettext("%(time)s on %(date)s") % {
        "time": f"{local:%H:%M}",
        "date": written_date(local.date()),
    }


@dataclass(frozen=True)
class Recipient:
    """Who a letter goes to, as it will be printed (a snapshot: later changes do not alter it)."""

    name: str
    address: str = ""
    postcode: str = ""
    email: str = ""
    format_needs: str = ""
    language: str = ""
    #: The Person it is addressed to, when it is one of the case's people: their contact
    #: preferences and safe-contact answers decide how it is sent (letters.dispatch).
    person: object = field(default=None, compare=False, repr=False)

    @classmethod
    def as_issued(cls, letter) -> Recipient:
        """The recipient a stored letter was addressed to, as it was printed on it."""
        return cls(
            name=letter.recipient_name,
            address=letter.recipient_address,
            email=letter.recipient_email,
            format_needs="large print" if letter.large_print else "",
        )

    @property
    def address_lines(self) -> list[str]:
        lines = [line.strip() for line in re.split(r"[\n]+", self.address) if line.strip()]
        if self.postcode and all(
            self.postcode.replace(" ", "").upper() not in x.replace(" ", "").upper() for x in lines
        ):
            lines.append(self.postcode)
        return lines

    @property
    def full_address(self) -> str:
        return "\n".join(self.address_lines)

    @property
    def large_print(self) -> bool:
        return "large" in self.format_needs.casefold()


@dataclass
class RenderedLetter:
    """A letter rendered but not issued: what `letter_preview` returns and `letter_issue` stores."""

    kind: str
    audience: str
    subject: str
    body_html: SafeString  # the letter itself, headings from <h1> (stored as issued)
    document_html: str  # the whole HTML document the PDF is made from
    recipient: Recipient
    issue_date: dt.date
    template_version: int
    template_id: int | None
    large_print: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    @property
    def refused(self) -> list[Finding]:
        """Findings that refuse the letter outright (not also the recipient's own detail)."""
        return [finding for finding in self.findings if not finding.shared]

    @property
    def held(self) -> list[Finding]:
        """Findings that are also the recipient's own detail: the letter is held for a manager."""
        return [finding for finding in self.findings if finding.shared]

    @property
    def issuable(self) -> bool:
        return not self.refused

    @property
    def refusal(self) -> LetterRedactionError | None:
        return LetterRedactionError(self.refused) if self.refused else None


# --- The template syntax -----------------------------------------------------------------------


def template_problems(spec: KindSpec, *, subject: str, body: str) -> dict[str, list[str]]:
    """What is wrong with a template's text, by field ("subject", "body"); empty when it is fine."""
    known = {p.name: p for p in spec.placeholder_specs()}
    problems: dict[str, list[str]] = {"subject": [], "body": []}
    for field_name, text in (("subject", subject), ("body", body)):
        if not text.strip():
            problems[field_name].append(f"Enter the {field_name} of the letter")
            continue
        for name in PLACEHOLDER.findall(text):
            if name not in known:
                problems[field_name].append(
                    f"{{{{ {name} }}}} is not a placeholder this letter can use: "
                    "check the list of placeholders"
                )
            elif known[name].block and field_name == "subject":
                problems[field_name].append(f"{{{{ {name} }}}} is a list and cannot go in the subject")
        leftover = _BRACES.findall(PLACEHOLDER.sub("", text))
        if leftover:
            problems[field_name].append(
                "Placeholders are written {{ name }}: there are unmatched braces "
                f"({' '.join(dict.fromkeys(leftover))})"
            )
    for paragraph in _paragraphs(body):
        names = PLACEHOLDER.findall(paragraph)
        blocks = [n for n in names if n in known and known[n].block]
        if blocks and PLACEHOLDER.sub("", paragraph).strip():
            problems["body"].append(f"{{{{ {blocks[0]} }}}} is a list and must be in a paragraph of its own")
    used = set(PLACEHOLDER.findall(subject)) | set(PLACEHOLDER.findall(body))
    for name in spec.required:
        if name not in used:
            problems["body"].append(f"This letter must include {{{{ {name} }}}} ({known[name].description})")
    return {k: list(dict.fromkeys(v)) for k, v in problems.items() if v}


def _paragraphs(body: str) -> list[str]:
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _fill(text: str, values: dict) -> tuple[str, list[str]]:
    """Escape `text` and fill its scalar placeholders (escaped; new lines become <br>)."""
    out = []
    used = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(escape(text[position : match.start()]))
        name = match.group(1)
        used.append(name)
        value = values.get(name, "")
        out.append(escape(str(value)).replace("\n", "<br>"))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out), used


def fill_subject(subject: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), subject).strip()


def render_body(body: str, values: dict, block_names: set[str]) -> SafeString:
    """The template's text as HTML, each block labelled for the redaction check."""
    html_parts = []
    paragraph_number = 0
    for paragraph in _paragraphs(body):
        stripped = paragraph.strip()
        only = PLACEHOLDER.fullmatch(stripped)
        if only and only.group(1) in block_names:
            value = values.get(only.group(1), "")
            if str(value).strip():
                html_parts.append(str(value))
            continue
        lines = paragraph.split("\n")
        if lines[0].startswith("## "):
            heading, _ = _fill(lines[0][3:].strip(), values)
            html_parts.append(f'<h2 data-part="the heading “{heading}”">{heading}</h2>')
            lines = lines[1:]
            if not any(line.strip() for line in lines):
                continue
        if all(line.lstrip().startswith("- ") for line in lines if line.strip()):
            paragraph_number += 1
            items = []
            for number, line in enumerate((x for x in lines if x.strip()), start=1):
                filled, used = _fill(line.lstrip()[2:].strip(), values)
                if filled.strip():
                    where = _where(f"paragraph {paragraph_number}, item {number}", used)
                    items.append(f'<li data-part="{escape(where)}">{filled}</li>')
            if items:
                html_parts.append('<ul class="letter__list">' + "".join(items) + "</ul>")
            continue
        filled, used = _fill("\n".join(lines).strip(), values)
        if not re.sub(r"<br>|\s", "", filled):
            continue  # a paragraph made only of empty placeholders
        paragraph_number += 1
        where = _where(f"paragraph {paragraph_number}", used)
        html_parts.append(f'<p data-part="{escape(where)}">{filled}</p>')
    return mark_safe("\n".join(html_parts))  # noqa: S308 - every piece above is escaped


def _where(label: str, used: list[str]) -> str:
    return f"{label} (filled in from {', '.join(dict.fromkeys(used))})" if used else label


def demote_headings(markup: str) -> SafeString:
    """The stored letter inside a page that has its own <h1>: h1 -> h2, h2 -> h3 (our own markup)."""
    for level in (3, 2, 1):
        markup = re.sub(rf"<(/?)h{level}([ >])", rf"<\1h{level + 1}\2", markup)
    return mark_safe(markup)  # noqa: S308 - our own stored, escaped markup


# --- Blocks --------------------------------------------------------------------------------------


def _get(item, name, default=""):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def block_list(items: list[tuple[str, str]], *, ordered: bool = False, empty: str = "") -> SafeString:
    """A list whose items are (where, text); text is escaped here."""
    if not items:
        return format_html('<p data-part="{}">{}</p>', "an empty list", empty) if empty else mark_safe("")
    tag = "ol" if ordered else "ul"
    rows = format_html_join("", '<li data-part="{}">{}</li>', ((where, text) for where, text in items))
    return format_html('<{} class="letter__list">{}</{}>', mark_safe(tag), rows, mark_safe(tag))  # noqa: S308


def render_document(rendered: RenderedLetter, *, partnership, reference: str, officer) -> str:
    return render_to_string(
        "letters/letter_document.html",
        {
            "letter": rendered,
            "partnership": partnership,
            "reference": reference,
            "officer": officer,
        },
    )


def render_pdf(document_html: str) -> bytes:
    """An accessible PDF (PDF/UA-1: tagged, with the document's language and title)."""
    from casereview.web.pdf import html_to_pdf

    return html_to_pdf(document_html, variant="pdf/ua-1")
