"""The answers as "Check your answers" shows them: sections of rows, each with a Change link."""

from __future__ import annotations

import datetime as dt

from casereview.applications.models import SAFE_CONTACT_REFUSALS

from . import forms as f
from .journey import INCIDENT_STEPS, Journey, step_named, with_return
from .selectors import agencies_for_apply, area_question

CONSENT_LABELS = dict(f.CONSENT_CHOICES)
WHO_LABELS = dict(f.WHO_CHOICES)
KIND_LABELS = dict(f.VICTIM_KIND_CHOICES)
CONTACT_LABELS = dict(f.CONTACT_CHOICES)
CONCERN_LABELS = dict(f.CONCERN_CHOICES)


def _date(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%-d %B %Y") if value else ""


def _row(key: str, lines, step: str, hidden: str | None = None) -> dict:
    if isinstance(lines, str):
        lines = [lines]
    return {
        "key": key,
        "lines": [line for line in lines if line] or ["Not given"],
        "change_url": with_return(step_named(step).url()),
        "hidden": hidden or key[:1].lower() + key[1:],
    }


def incident_rows(incident: dict, number: int, agency_names: dict, *, returning: str) -> list[dict]:
    def change(step: str) -> str:
        return with_return(
            INCIDENT_STEPS[[s.name for s in INCIDENT_STEPS].index(step)].url(number), returning
        )

    reported = []
    for key in incident.get("reported_to", []):
        if key == f.NOT_REPORTED:
            reported.append("I did not report it")
            continue
        name = incident.get("other_name") if key == f.OTHER else agency_names.get(key, "An organisation")
        report = (incident.get("reports") or {}).get(key) or {}
        text = f"{name}"
        if report.get("reported_on"):
            text += f", on {_date(report['reported_on'])}"
        if report.get("reference"):
            text += f", reference {report['reference']}"
        reported.append(text)
    hostility = [f.HOSTILITY_LABELS.get(h, h) for h in incident.get("hostility", [])]
    rows = [
        {
            "key": "Date",
            "lines": [_date(incident.get("occurred_on"))],
            "change_url": change("when"),
            "hidden": f"the date of incident {number}",
        },
        {
            "key": "What happened",
            "lines": [incident.get("description", "")],
            "change_url": change("what"),
            "hidden": f"what happened in incident {number}",
            "multiline": True,
        },
        {
            "key": "Where",
            "lines": [incident.get("location", "")],
            "change_url": change("what"),
            "hidden": f"where incident {number} happened",
        },
        {
            "key": "Motivated by hostility",
            "lines": hostility,
            "change_url": change("hostility"),
            "hidden": f"whether incident {number} was motivated by hostility",
        },
        {
            "key": "Reported to",
            "lines": reported,
            "change_url": change("reported"),
            "hidden": f"who incident {number} was reported to",
        },
    ]
    for row in rows:
        row["lines"] = [line for line in row["lines"] if line] or ["Not given"]
    return rows


def check_answers_sections(journey: Journey, partnership) -> list[dict]:
    a = journey.data or {}
    w = journey.words
    sections = []

    before = []
    if area_question() is not None:
        if a.get("area_postcode"):
            before.append(_row("Postcode where it is happening", a["area_postcode"], "area", "the postcode"))
        before.append(
            _row(
                "Area",
                partnership.name if partnership else "",
                "area-choice" if not a.get("area_matched") else "area",
                "the area",
            )
        )
    before.append(
        _row(
            "Anyone in immediate danger",
            "Yes" if a.get("in_danger") == "yes" else "No",
            "danger",
            "whether anyone is in immediate danger",
        )
    )
    before.append(
        _row(
            "What you want us to look at",
            [CONCERN_LABELS[c] for c in a.get("concerns", [])]
            or ["The anti-social behaviour and how it was handled"],
            "concerns",
            "what you want us to look at",
        )
    )
    sections.append({"title": "Before you apply", "rows": before})

    who = [
        _row(
            "Who the behaviour is affecting",
            WHO_LABELS.get(a.get("applicant_type"), ""),
            "who",
            "who is affected",
        )
    ]
    if journey.is_third_party:
        applicant = a.get("applicant") or {}
        relationship = a.get("relationship")
        who += [
            _row(
                "Applying for",
                KIND_LABELS.get(a.get("victim_kind"), ""),
                "victim-kind",
                "who you are applying for",
            ),
            _row(
                "Your relationship to them",
                a.get("relationship_other")
                if relationship == "other"
                else f.RELATIONSHIP_LABELS.get(relationship, ""),
                "relationship",
                "your relationship",
            ),
            _row(
                "Your details",
                [
                    applicant.get("full_name"),
                    applicant.get("organisation"),
                    applicant.get("email"),
                    applicant.get("phone"),
                ],
                "your-details",
                "your details",
            ),
            _row(
                "Have they agreed",
                CONSENT_LABELS.get(a.get("victim_consent"), ""),
                "consent",
                "whether they have agreed",
            ),
        ]
    sections.append({"title": "Who is applying", "rows": who})

    name = a.get("victim_name") or {}
    address = a.get("victim_address") or {}
    contact = a.get("contact") or {}
    safety = a.get("contact_safety") or {}
    needs = a.get("needs") or {}
    title = "About you" if w.self_applying else "About the person you are applying for"
    if w.organisation:
        title = f"About the {w.organisation_noun}"
    name_lines = (
        [name.get("organisation_name"), name.get("full_name")] if w.organisation else [name.get("full_name")]
    )
    preferred = CONTACT_LABELS.get(contact.get("preferred"), "")
    sections.append(
        {
            "title": title,
            "rows": [
                _row("Name", name_lines, "victim-name", "the name"),
                _row(
                    "Address",
                    [
                        address.get("address_line_1"),
                        address.get("address_line_2"),
                        address.get("town"),
                        address.get("postcode"),
                    ],
                    "victim-address",
                    "the address",
                ),
                _row(
                    "How to contact",
                    [preferred, contact.get("email"), contact.get("phone"), contact.get("mobile")],
                    "contact",
                    "how to contact",
                ),
                _row(
                    "Ways not to contact",
                    ", ".join(
                        SAFE_CONTACT_REFUSALS[r]
                        for r in safety.get("refuse") or []
                        if r in SAFE_CONTACT_REFUSALS
                    )
                    or "None",
                    "contact-safety",
                    "the ways not to contact",
                ),
                _row(
                    "Safe times to contact",
                    safety.get("safe_times") or "Any time",
                    "contact-safety",
                    "safe times to contact",
                ),
                {
                    **_row(
                        "Contacting safely",
                        safety.get("safety_notes") or "Nothing given",
                        "contact-safety",
                        "what we must know to contact safely",
                    ),
                    "multiline": True,
                },
                _row(
                    "Formats and language",
                    [
                        ", ".join(
                            f.FORMAT_LABELS[x] for x in needs.get("formats", []) if x in f.FORMAT_LABELS
                        )
                        or "No formats needed",
                        needs.get("language") and f"Language: {needs['language']}",
                    ],
                    "needs",
                    "formats and language",
                ),
                {
                    **_row("Other needs", needs.get("other_needs") or "None given", "needs", "other needs"),
                    "multiline": True,
                },
            ],
        }
    )

    agency_names = {f.agency_key(x): x.name for x in agencies_for_apply(partnership)} if partnership else {}
    for number, incident in enumerate(journey.incidents, start=1):
        sections.append(
            {
                "title": f"Incident {number}",
                "rows": incident_rows(incident, number, agency_names, returning="check"),
                "incident": number,
            }
        )
    sections.append(
        {
            "title": "What has happened and what you want",
            "rows": [
                {
                    **_row("What has happened so far", a.get("summary", ""), "what-has-happened"),
                    "multiline": True,
                },
                {
                    **_row("What you would like to happen", a.get("desired_outcome", ""), "outcome"),
                    "multiline": True,
                },
            ],
        }
    )
    return sections
