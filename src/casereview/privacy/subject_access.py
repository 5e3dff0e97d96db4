"""Subject access (UK GDPR Art. 15): everything held about one person, with other people's data
redacted — other complainants, alleged perpetrators, third parties, and staff notes about others.

Each part of the product that holds personal data about a person contributes a section:

    from casereview.privacy.subject_access import register
    register("report_log", lambda person, redact: {      # JSON-serialisable, already redacted
        "title": "…", "lists": {"Reports": [{"reported on": "…", …}, …], …},
    })

The readable PDF shows each contribution's title and its lists as tables.

`redact(text)` replaces other people's names (in any case) with "[redacted]".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import Q

from casereview.applications.models import AllegedPerpetrator, Application, Person
from casereview.letters.redaction import TITLES, address_spans

REDACTED = "[redacted]"
_contributors: dict[str, Callable] = {}


def register(key: str, contributor: Callable) -> None:
    _contributors[key] = contributor


# A name recorded as a placeholder names no one; words that are also everyday words are never
# redacted on their own ("Not known", "The Smith family", "Youths from the flats").
_PLACEHOLDER_NAMES = frozenset({"not known", "unknown", "none", "n/a", "not given", "unnamed", "anonymous"})
# fmt: off
_COMMON_WORDS = frozenset({
    "the", "and", "not", "known", "unknown", "family", "from", "with", "who",
    "man", "men", "woman", "women", "boy", "boys", "girl", "girls", "male", "female",
    "youth", "youths", "group", "gang", "lad", "lads", "kids", "children", "young", "old",
    "next", "door", "upstairs", "downstairs", "neighbour", "neighbours", "resident", "residents",
    "tenant", "tenants", "person", "people", "number", "flat", "house", "street", "road",
}) | TITLES
# fmt: on


def _others(person: Person, applications) -> tuple[list[str], list[str]]:
    """Other people's names, and the alleged perpetrators' addresses, in the person's cases."""
    names, addresses = set(), set()
    for application in applications:
        for perpetrator in AllegedPerpetrator.objects.filter(application=application):
            names.add(perpetrator.name)
            addresses.add(perpetrator.address)
        for other in (application.victim, application.applicant):
            if other is not None and other.pk != person.pk:
                names.update([other.full_name, other.organisation_name])
                # An alleged perpetrator's own export never carries the victim's or applicant's address.
                addresses.add(f"{other.address}\n{other.postcode}")
    own = {person.full_name.strip().lower(), person.organisation_name.strip().lower()}
    kept = {
        n.strip()
        for n in names
        if n and len(n.strip()) >= 2 and n.strip().lower() not in own | _PLACEHOLDER_NAMES
    }
    return sorted(kept, key=len, reverse=True), sorted(a for a in addresses if a.strip())


def make_redactor(names: list[str], addresses: list[str] = ()) -> Callable[[str], str]:
    """`redact(text)`: each name (in any case), each of its words that is not an everyday word, and
    each address (its premise line, by the letters' matching rules) replaced by "[redacted]"."""
    patterns = []
    for name in names:
        patterns.append(re.escape(name))
        patterns.extend(
            re.escape(part) for part in name.split() if len(part) >= 3 and part.lower() not in _COMMON_WORDS
        )
    regex = None
    if patterns:
        regex = re.compile(
            r"\b(" + "|".join(sorted(set(patterns), key=len, reverse=True)) + r")\b", re.IGNORECASE
        )

    def redact(text: str) -> str:
        text = text or ""
        spans = sorted(span for address in addresses for span in address_spans(text, address))
        for start, end in reversed(_merged(spans)):
            text = text[:start] + REDACTED + text[end:]
        return regex.sub(REDACTED, text) if regex else text

    return redact


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def subject_access_export(person: Person) -> dict:
    """The machine-readable export (JSON-serialisable)."""
    applications = list(
        Application.objects.filter(Q(victim=person) | Q(applicant=person)).select_related(
            "victim", "applicant"
        )
    )
    redact = make_redactor(*_others(person, applications))
    from .models import ConsentWithdrawal, SensitiveInformation

    cases = []
    for application in applications:
        as_victim = application.victim_id == person.pk
        incidents = []
        for incident in application.incidents.all().prefetch_related("reports"):
            incidents.append(
                {
                    "ref": incident.ref,
                    "occurred_on": incident.occurred_on.isoformat(),
                    "description": redact(incident.description),
                    "location": redact(incident.location),
                    "hate_motivations": list(incident.hate_motivations) if as_victim else [],
                    "reports": [
                        {
                            "agency": report.agency_name or report.get_agency_kind_display(),
                            "reported_on": report.reported_on.isoformat(),
                            "agency_reference": report.agency_reference,
                            # Another complainant's report is theirs: only that it exists is shown.
                            "reporter": "you" if report.reporter == "victim" else "another person",
                        }
                        for report in incident.reports.all()
                    ],
                }
            )
        sensitive = SensitiveInformation.objects.filter(application=application, person=person).first()
        cases.append(
            {
                "reference": application.reference,
                "your_part": "victim" if as_victim else "applicant on the victim's behalf",
                "received_on": application.received_on.isoformat(),
                "channel": application.get_channel_display(),
                "status": application.get_status_display(),
                "summary": redact(application.summary),
                "desired_outcome": redact(application.desired_outcome),
                "location": redact(application.location),
                "victim_consent": application.victim_consent,
                "incidents": incidents,
                "decisions": [
                    {
                        "decided_on": d.decided_on.isoformat(),
                        "decision": d.get_decision_display(),
                        "explanation": redact(d.explanation),
                        "reasons": redact(d.reasons),
                    }
                    for d in application.decisions.all()
                ],
                "timeline": [
                    {"on": e.occurred_on.isoformat(), "what": redact(e.summary)}
                    for e in application.events.all().order_by("at", "id")
                ],
                "special_category_information": (
                    {
                        field: getattr(sensitive, field)
                        for field in SensitiveInformation.SPECIAL_CATEGORY_FIELDS
                        + SensitiveInformation.CRIMINAL_OFFENCE_FIELDS
                        if getattr(sensitive, field)
                    }
                    if sensitive
                    else {}
                ),
                "consent_withdrawals": [
                    {"withdrawn_on": c.withdrawn_on.isoformat(), "reinstated": c.reinstated_at is not None}
                    for c in ConsentWithdrawal.objects.filter(application=application)
                ]
                if as_victim
                else [],
                "evidence_files": [
                    {"name": f.original_name, "uploaded_on": f.uploaded_at.date().isoformat()}
                    for f in application.evidence_files.all()
                ],
            }
        )
    export = {
        "about": {
            "name": person.full_name,
            "organisation": person.organisation_name,
            "address": person.address,
            "postcode": person.postcode,
            "email": person.email,
            "phone": person.phone,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "preferred_contact": person.get_preferred_contact_display(),
            "safe_contact_times": person.safe_contact_times,
            "ways_not_to_contact": person.refused_contact_words,
            "contact_safety_notes": redact(person.contact_safety_notes),
            "format_needs": person.format_needs,
            "language": person.language,
            "accessibility_needs": person.accessibility_needs,
        },
        "cases": cases,
        "redaction": "Information about other people (other complainants, people complained about, "
        "third parties) has been removed and is shown as [redacted].",
    }
    for key, contributor in sorted(_contributors.items()):
        export[key] = contributor(person, redact)
    return export


def contributed_sections(export: dict) -> list[dict]:
    """The parts of `export` that other apps contributed, in order, for the readable PDF."""
    return [export[key] for key in sorted(_contributors) if key in export]
