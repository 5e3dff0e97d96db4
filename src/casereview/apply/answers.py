"""The answers as "Check your answers" shows them: sections of rows, each with a Change link."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casereview.applications.selectors import SAFE_CONTACT_REFUSALS

from . import forms as f
from .journey import INCIDENT_STEPS, Journey, step_named, with_return
from .selectors import agencies_for_apply, area_question

CONSENT_LABELS = dict(f.CONSENT_CHOICES)
WHO_LABELS = dict(f.WHO_CHOICES)
KIND_LABELS = dict(f.VICTIM_KIND_CHOICES)
CONTACT_LABELS = dict(f.CONTACT_CHOICES)
CONCERN_LABELS = dict(f.CONCERN_CHOICES)


def _date(value: str | None) -> str:
    return date_format(dt.date.fromisoformat(value), "j F Y") if value else ""


def _row(key: str, lines, step: str, hidden: str | None = None) -> dict:
    if not isinstance(lines, list | tuple):
        lines = [lines]  # one line: a string, or a label in the page's language
    return {
        "key": key,
        "lines": [line for line in lines if line] or [_("Not given")],
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
            reported.append(_("I did not report it"))
            continue
        name = incident.get("other_name") if key == f.OTHER else agency_names.get(key, _("An organisation"))
        report = (incident.get("reports") or {}).get(key) or {}
        text = f"{name}"
        if report.get("reported_on"):
            text += _(", on %(date)s") % {"date": _date(report["reported_on"])}
        if report.get("reference"):
            text += _(", reference %(reference)s") % {"reference": report["reference"]}
        reported.append(text)
    hostility = [f.HOSTILITY_LABELS.get(h, h) for h in incident.get("hostility", [])]
    rows = [
        {
            "key": _("Date"),
            "lines": [_date(incident.get("occurred_on"))],
            "change_url": change("when"),
            "hidden": _("the date of incident %(number)s") % {"number": number},
        },
        {
            "key": _("What happened"),
            "lines": [incident.get("description", "")],
            "change_url": change("what"),
            "hidden": _("what happened in incident %(number)s") % {"number": number},
            "multiline": True,
        },
        {
            "key": _("Where"),
            "lines": [incident.get("location", "")],
            "change_url": change("what"),
            "hidden": _("where incident %(number)s happened") % {"number": number},
        },
        {
            "key": _("Motivated by hostility"),
            "lines": hostility,
            "change_url": change("hostility"),
            "hidden": _("whether incident %(number)s was motivated by hostility") % {"number": number},
        },
        {
            "key": _("Reported to"),
            "lines": reported,
            "change_url": change("reported"),
            "hidden": _("who incident %(number)s was reported to") % {"number": number},
        },
    ]
    for row in rows:
        row["lines"] = [line for line in row["lines"] if line] or [_("Not given")]
    return rows


def check_answers_sections(journey: Journey, partnership) -> list[dict]:
    a = journey.data or {}
    w = journey.words
    sections = []

    before = []
    if area_question() is not None:
        if a.get("area_postcode"):
            before.append(
                _row(_("Postcode where it is happening"), a["area_postcode"], "area", _("the postcode"))
            )
        before.append(
            _row(
                _("Area"),
                partnership.name if partnership else "",
                "area-choice" if not a.get("area_matched") else "area",
                _("the area"),
            )
        )
    before.append(
        _row(
            _("Anyone in immediate danger"),
            _("Yes") if a.get("in_danger") == "yes" else _("No"),
            "danger",
            _("whether anyone is in immediate danger"),
        )
    )
    before.append(
        _row(
            _("What you want us to look at"),
            [CONCERN_LABELS[c] for c in a.get("concerns", [])]
            or [_("The anti-social behaviour and how it was handled")],
            "concerns",
            _("what you want us to look at"),
        )
    )
    sections.append({"title": _("Before you apply"), "rows": before})

    who = [
        _row(
            _("Who the behaviour is affecting"),
            WHO_LABELS.get(a.get("applicant_type"), ""),
            "who",
            _("who is affected"),
        )
    ]
    if journey.is_third_party:
        applicant = a.get("applicant") or {}
        relationship = a.get("relationship")
        who += [
            _row(
                _("Applying for"),
                KIND_LABELS.get(a.get("victim_kind"), ""),
                "victim-kind",
                _("who you are applying for"),
            ),
            _row(
                _("Your relationship to them"),
                a.get("relationship_other")
                if relationship == "other"
                else f.RELATIONSHIP_LABELS.get(relationship, ""),
                "relationship",
                _("your relationship"),
            ),
            _row(
                _("Your details"),
                [
                    applicant.get("full_name"),
                    applicant.get("organisation"),
                    applicant.get("email"),
                    applicant.get("phone"),
                ],
                "your-details",
                _("your details"),
            ),
            _row(
                _("Have they agreed"),
                CONSENT_LABELS.get(a.get("victim_consent"), ""),
                "consent",
                _("whether they have agreed"),
            ),
        ]
    sections.append({"title": _("Who is applying"), "rows": who})

    name = a.get("victim_name") or {}
    address = a.get("victim_address") or {}
    contact = a.get("contact") or {}
    safety = a.get("contact_safety") or {}
    needs = a.get("needs") or {}
    title = _("About you") if w.self_applying else _("About the person you are applying for")
    if w.organisation:
        title = (
            _("About the business") if w.organisation_noun == "business" else _("About the community group")
        )
    name_lines = (
        [name.get("organisation_name"), name.get("full_name")] if w.organisation else [name.get("full_name")]
    )
    preferred = CONTACT_LABELS.get(contact.get("preferred"), "")
    sections.append(
        {
            "title": title,
            "rows": [
                _row(_("Name"), name_lines, "victim-name", _("the name")),
                _row(
                    _("Address"),
                    [
                        address.get("address_line_1"),
                        address.get("address_line_2"),
                        address.get("town"),
                        address.get("postcode"),
                    ],
                    "victim-address",
                    _("the address"),
                ),
                _row(
                    _("How to contact"),
                    [preferred, contact.get("email"), contact.get("phone"), contact.get("mobile")],
                    "contact",
                    _("how to contact"),
                ),
                _row(
                    _("Ways not to contact"),
                    ", ".join(
                        str(SAFE_CONTACT_REFUSALS[r])
                        for r in safety.get("refuse") or []
                        if r in SAFE_CONTACT_REFUSALS
                    )
                    or _("None"),
                    "contact-safety",
                    _("the ways not to contact"),
                ),
                _row(
                    _("Safe times to contact"),
                    safety.get("safe_times") or _("Any time"),
                    "contact-safety",
                    _("safe times to contact"),
                ),
                {
                    **_row(
                        _("Contacting safely"),
                        safety.get("safety_notes") or _("Nothing given"),
                        "contact-safety",
                        _("what we must know to contact safely"),
                    ),
                    "multiline": True,
                },
                _row(
                    _("Formats and language"),
                    [
                        ", ".join(
                            str(f.FORMAT_LABELS[x]) for x in needs.get("formats", []) if x in f.FORMAT_LABELS
                        )
                        or _("No formats needed"),
                        needs.get("language")
                        and _("Language: %(language)s") % {"language": needs["language"]},
                    ],
                    "needs",
                    _("formats and language"),
                ),
                {
                    **_row(
                        _("Other needs"),
                        needs.get("other_needs") or _("None given"),
                        "needs",
                        _("other needs"),
                    ),
                    "multiline": True,
                },
            ],
        }
    )

    agency_names = {f.agency_key(x): x.name for x in agencies_for_apply(partnership)} if partnership else {}
    for number, incident in enumerate(journey.incidents, start=1):
        sections.append(
            {
                "title": _("Incident %(number)s") % {"number": number},
                "rows": incident_rows(incident, number, agency_names, returning="check"),
                "incident": number,
            }
        )
    sections.append(
        {
            "title": _("What has happened and what you want"),
            "rows": [
                {
                    **_row(_("What has happened so far"), a.get("summary", ""), "what-has-happened"),
                    "multiline": True,
                },
                {
                    **_row(_("What you would like to happen"), a.get("desired_outcome", ""), "outcome"),
                    "multiline": True,
                },
            ],
        }
    )
    return sections
