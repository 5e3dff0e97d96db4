"""Subject access (UK GDPR Art. 15): everything held about one person, with other people's data
redacted — other complainants, alleged perpetrators, third parties, and staff notes about others.

Each part of the product that holds personal data about a person contributes a section:

    from casereview.privacy.subject_access import register
    register("report_log", lambda person, redact: {      # JSON-serialisable, already redacted
        "title": "…", "lists": {"Reports": [{"reported on": "…", …}, …], …},
    })

The readable PDF shows each contribution's title and its lists as tables.

`redact(text)` replaces other people's details with "[redacted]": their names and each part of them,
aliases, addresses with or without the number, postcodes in any spacing, dates of birth in any
format and phone numbers — found by the disclosure control's own matching (`core.disclosure`,
after Unicode normalisation and confusable folding), so what a victim's export withholds about an
alleged perpetrator, and what an alleged perpetrator's own export withholds about the victim and
the applicant, is what a letter to them could never say.
"""

from __future__ import annotations

from collections.abc import Callable

from casereview.applications.selectors import applications_of_person, case_by_pk, case_perpetrators
from casereview.core.disclosure import REDACTED, TITLES, Protected, redact_disclosures

__all__ = [
    "REDACTED",
    "contributed_sections",
    "make_redactor",
    "perpetrator_subject_access_export",
    "register",
    "subject_access_export",
]
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


def _named(name: str, *, own: set[str] = frozenset()) -> str:
    """A name to withhold, or "" for a placeholder ("Not known") or the requester's own name."""
    name = (name or "").strip()
    if len(name) < 2 or name.lower() in _PLACEHOLDER_NAMES or name.lower() in own:
        return ""
    return name


def _perpetrator(label: str, perpetrator) -> Protected:
    return Protected(
        label=label,
        name=_named(perpetrator.name),
        aliases=tuple(_named(a) for a in perpetrator.aliases.splitlines() if _named(a)),
        address=perpetrator.address,
        date_of_birth=perpetrator.date_of_birth,
        phones=(perpetrator.phone,) if perpetrator.phone else (),
    )


def _party(label: str, person, *, own: set[str] = frozenset()) -> Protected:
    return Protected(
        label=label,
        name=_named(person.full_name or person.organisation_name, own=own),
        address=person.address,
        postcode=person.postcode,
        date_of_birth=person.date_of_birth,
        phones=(person.phone,) if person.phone else (),
    )


def _others(person, applications) -> list[Protected]:
    """The other people of the person's cases: every alleged perpetrator, and the victim or the
    applicant who is not the person."""
    own = {person.full_name.strip().lower(), person.organisation_name.strip().lower()} - {""}
    people = []
    for application in applications:
        for number, perpetrator in enumerate(case_perpetrators(application), start=1):
            people.append(_perpetrator(f"alleged perpetrator {number}", perpetrator))
        for label, other in (("the victim", application.victim), ("the applicant", application.applicant)):
            if other is not None and other.pk != person.pk:
                people.append(_party(label, other, own=own))
    return people


def make_redactor(people: list[Protected]) -> Callable[[str], str]:
    """`redact(text)`: every detail of `people` in `text` replaced by "[redacted]", by the
    disclosure control's matching (`core.disclosure.redact_disclosures`). A name part that is also
    an everyday word ("family", "youths", "Smith") is withheld alone only where it reads as a name."""

    def redact(text: str) -> str:
        return redact_disclosures(text or "", people, everyday=_COMMON_WORDS)

    return redact


def subject_access_export(person) -> dict:
    """The machine-readable export (JSON-serialisable)."""
    applications = list(applications_of_person(person).select_related("victim", "applicant"))
    redact = make_redactor(_others(person, applications))
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


def perpetrator_subject_access_export(perpetrator) -> dict:
    """An alleged perpetrator's own subject access export: what the case holds about them, with the
    victim's, the applicant's and any other alleged perpetrator's details withheld by the
    disclosure control's matching the other way round (never who reported them)."""
    application = case_by_pk(perpetrator.application_id)
    from .models import SensitiveInformation

    others = [_party("the victim", application.victim)]
    if application.applicant_id and application.applicant_id != application.victim_id:
        others.append(_party("the applicant", application.applicant))
    for number, other in enumerate(
        case_perpetrators(application).exclude(pk=perpetrator.pk),
        start=1,
    ):
        others.append(_perpetrator(f"another alleged perpetrator {number}", other))
    redact = make_redactor(others)
    sensitive = SensitiveInformation.objects.filter(application=application, perpetrator=perpetrator).first()
    return {
        "about": {
            "name": perpetrator.name,
            "aliases": [a for a in perpetrator.aliases.splitlines() if a.strip()],
            "address": perpetrator.address,
            "date_of_birth": perpetrator.date_of_birth.isoformat() if perpetrator.date_of_birth else None,
            "phone": perpetrator.phone,
            "what_is_recorded_about_you": redact(perpetrator.description),
        },
        "case": {
            "reference": application.reference,
            "your_part": "alleged perpetrator",
            "received_on": application.received_on.isoformat(),
            "status": application.get_status_display(),
            "what_was_reported": redact(application.summary),
            "where": redact(application.location),
            "incidents": [
                {
                    "occurred_on": incident.occurred_on.isoformat(),
                    "description": redact(incident.description),
                    "location": redact(incident.location),
                }
                for incident in application.incidents.all()
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
        },
        "redaction": "Information about other people (the people who reported the behaviour, anyone "
        "acting for them and anyone else complained about) has been removed and is shown as [redacted].",
    }


def contributed_sections(export: dict) -> list[dict]:
    """The parts of `export` that other apps contributed, in order, for the readable PDF."""
    return [export[key] for key in sorted(_contributors) if key in export]
