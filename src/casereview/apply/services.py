"""Sending an online application: the session's answers become the case's records, all or nothing.

`online_application_submit` checks every answer again (the session could be stale: an agency
removed, a partnership renamed), builds the people and incidents, and calls
`applications.services.application_create(channel="online", actor=None)`, which records the
`received` event that starts the acknowledgement clock. Everything happens in one transaction
with the `OnlineSubmission` row whose unique token makes a second send of the same journey
return the first application instead of creating another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

from casereview.accounts.models import Agency, AgencyKind, Partnership
from casereview.applications.selectors import SAFE_CONTACT_REFUSALS, ContactMethod, HateMotivation
from casereview.applications.services import (
    IncidentData,
    ReportData,
    application_create,
    application_party_new,
    case_event_record,
)
from casereview.notifications.services import case_danger_alert

from .forms import (
    CONCERN_CHOICES,
    FORMAT_LABELS,
    HOSTILITY_NOT_SURE,
    NOT_REPORTED,
    OTHER,
    RELATIONSHIP_LABELS,
    agency_key,
)
from .journey import APPLICANT_TYPES, THIRD_PARTY
from .models import OnlineSubmission

CONSENT_VALUES = {"yes": True, "not_asked": None, "no": False}
CONTACT_METHODS = {
    "email": ContactMethod.EMAIL,
    "phone": ContactMethod.PHONE,
    "text": ContactMethod.TEXT,
    "letter": ContactMethod.LETTER,
}
NOT_SURE_NOTE = "(Asked whether this was motivated by hostility, the applicant said they were not sure.)"


@dataclass
class OnlineApplicationDraft:
    """Everything an online application will create, checked, before anything is written."""

    partnership: Partnership
    victim: Model  # unsaved people of the case (applications.Person)
    applicant: Model | None = None
    applicant_relationship: str = ""
    victim_consent: bool | None = None
    concerns: list[str] = field(default_factory=list)
    summary: str = ""
    desired_outcome: str = ""
    location: str = ""
    incidents: list[IncidentData] = field(default_factory=list)


def _required(answers: dict, key: str, problems: list[str], message: str):
    value = answers.get(key)
    if value in (None, "", [], {}):
        problems.append(message)
    return value


def online_application_draft(*, answers: dict, today: dt.date) -> OnlineApplicationDraft:
    """Turn the journey's answers into unsaved records, or raise ValidationError listing each
    problem. Reads only: nothing is written here."""
    problems: list[str] = []
    partnership = Partnership.objects.filter(slug=answers.get("partnership") or "").first()
    if partnership is None:
        raise ValidationError(["Choose the area where the behaviour is happening."])

    applicant_type = answers.get("applicant_type")
    if applicant_type not in (*APPLICANT_TYPES, THIRD_PARTY):
        problems.append("Say who the behaviour is affecting.")
    third_party = applicant_type == THIRD_PARTY
    kind = answers.get("victim_kind") if third_party else APPLICANT_TYPES.get(applicant_type or "", "")
    if kind not in ("individual", "business", "community_group"):
        problems.append("Say who you are applying for.")

    name = answers.get("victim_name") or {}
    if not name.get("full_name"):
        problems.append("Give the name of the person affected, or a contact.")
    if kind in ("business", "community_group") and not name.get("organisation_name"):
        problems.append("Give the name of the business or group.")
    address = answers.get("victim_address") or {}
    if not address.get("address_line_1") or not address.get("postcode"):
        problems.append("Give the address of the person affected.")
    contact = answers.get("contact") or {}
    if contact.get("preferred") not in CONTACT_METHODS:
        problems.append("Say how we should contact the person affected.")
    safety = answers.get("contact_safety") or {}
    needs = answers.get("needs") or {}

    victim = application_party_new(
        partnership=partnership,
        kind=kind or "individual",
        full_name=name.get("full_name", ""),
        organisation_name=name.get("organisation_name", ""),
        address="\n".join(
            line
            for line in (address.get("address_line_1"), address.get("address_line_2"), address.get("town"))
            if line
        ),
        postcode=address.get("postcode", ""),
        email=contact.get("email", ""),
        phone=contact.get("mobile")
        if contact.get("preferred") == "text"
        else contact.get("phone", "") or contact.get("mobile", ""),
        preferred_contact=CONTACT_METHODS.get(contact.get("preferred"), ""),
        safe_contact_times=safety.get("safe_times", ""),
        contact_refusals=",".join(r for r in safety.get("refuse") or [] if r in SAFE_CONTACT_REFUSALS),
        contact_safety_notes=safety.get("safety_notes", ""),
        format_needs=", ".join(
            _english(FORMAT_LABELS[f]) for f in needs.get("formats", []) if f in FORMAT_LABELS
        )[:300],
        language=needs.get("language", ""),
        accessibility_needs=needs.get("other_needs", ""),
    )

    draft = OnlineApplicationDraft(partnership=partnership, victim=victim)
    if third_party:
        details = answers.get("applicant") or {}
        if not details.get("full_name"):
            problems.append("Give your own name.")
        draft.applicant = application_party_new(
            partnership=partnership,
            full_name=details.get("full_name", ""),
            organisation_name=details.get("organisation", ""),
            email=details.get("email", ""),
            phone=details.get("phone", ""),
            preferred_contact=ContactMethod.EMAIL if details.get("email") else ContactMethod.PHONE,
        )
        relationship = answers.get("relationship")
        if relationship not in RELATIONSHIP_LABELS:
            problems.append("Give your relationship to the person you are applying for.")
        draft.applicant_relationship = (
            answers.get("relationship_other", "")
            if relationship == "other"
            else _english(RELATIONSHIP_LABELS.get(relationship, ""))
        )[:100]
        consent = answers.get("victim_consent")
        if consent not in CONSENT_VALUES:
            problems.append("Say whether the person you are applying for has agreed.")
        draft.victim_consent = CONSENT_VALUES.get(consent)

    known_concerns = {code for code, _ in CONCERN_CHOICES}
    concerns = answers.get("concerns")
    if concerns is None or not set(concerns) <= known_concerns:
        problems.append("Answer what you want us to look at.")
    draft.concerns = list(concerns or [])
    draft.summary = _required(answers, "summary", problems, "Say what has happened so far.") or ""
    draft.desired_outcome = (
        _required(answers, "desired_outcome", problems, "Say what you would like to happen.") or ""
    )
    draft.location = answers.get("area_postcode", "")

    agencies = {agency_key(a): a for a in Agency.objects.filter(partnership=partnership)}
    incidents = answers.get("incidents") or []
    if not incidents:
        problems.append("Tell us about at least one incident.")
    for number, incident in enumerate(incidents, start=1):
        draft.incidents.append(_incident_draft(incident, number, agencies, today, problems))

    if problems:
        raise ValidationError(problems)
    return draft


def _incident_draft(incident: dict, number: int, agencies: dict, today: dt.date, problems: list[str]):
    try:
        occurred_on = dt.date.fromisoformat(incident.get("occurred_on") or "")
    except ValueError:
        problems.append(f"Give the date incident {number} happened.")
        occurred_on = today
    if occurred_on > today:
        problems.append(f"The date incident {number} happened must be today or in the past.")
    if not incident.get("description"):
        problems.append(f"Say what happened in incident {number}.")
    hostility = incident.get("hostility") or []
    if not hostility:
        problems.append(f"Say whether incident {number} was motivated by hostility.")
    motivations = [h for h in hostility if h in HateMotivation.values]
    description = incident.get("description", "")
    if HOSTILITY_NOT_SURE in hostility:
        description = f"{description}\n\n{NOT_SURE_NOTE}"

    reported_to = incident.get("reported_to") or []
    if not reported_to:
        problems.append(f"Say who incident {number} was reported to.")
    reports = []
    for key in reported_to:
        if key == NOT_REPORTED:
            continue
        details = (incident.get("reports") or {}).get(key) or {}
        try:
            reported_on = dt.date.fromisoformat(details.get("reported_on") or "")
        except ValueError:
            problems.append(f"Give the date incident {number} was reported.")
            continue
        if reported_on < occurred_on or reported_on > today:
            problems.append(
                f"The date incident {number} was reported must be between when it happened and today."
            )
        reference = details.get("reference", "")
        if key == OTHER:
            reports.append(
                ReportData(
                    agency_kind=AgencyKind.OTHER,
                    agency_name=(incident.get("other_name") or "")[:200],
                    reported_on=reported_on,
                    agency_reference=reference,
                )
            )
        elif key in agencies:
            reports.append(
                ReportData(
                    agency_kind=agencies[key].kind,
                    agency=agencies[key],
                    reported_on=reported_on,
                    agency_reference=reference,
                )
            )
        else:
            problems.append(
                f"One of the organisations incident {number} was reported to is no longer listed."
            )
    return IncidentData(
        occurred_on=occurred_on,
        description=description,
        location=incident.get("location", ""),
        hate_motivations=motivations,
        reports=reports,
    )


def _english(label) -> str:
    """A label of the public form as the case keeps it: in English, whichever language the person
    applied in, because the staff pages are English (docs/apply.md)."""
    with translation.override("en-gb"):
        return str(label)


def online_application_submit(*, answers: dict, token: str, today: dt.date, language: str = "en"):
    """Create the application the person sent, with its people, incidents and reports, in the
    `language` ("en" or "cy") the person applied in, which the case's correspondence follows.

    All or nothing: a problem in any answer raises ValidationError before anything is written, and
    the writes share one transaction. Sending the same journey (same `token`) again returns the
    application already created.
    """
    existing = _submission_with(token)
    if existing is not None:
        return existing.application
    draft = online_application_draft(answers=answers, today=today)
    try:
        with transaction.atomic():
            application = application_create(
                partnership=draft.partnership,
                channel="online",
                received_on=today,
                victim=draft.victim,
                applicant=draft.applicant,
                applicant_relationship=draft.applicant_relationship,
                victim_consent=draft.victim_consent,
                concerns=draft.concerns,
                summary=draft.summary,
                desired_outcome=draft.desired_outcome,
                location=draft.location,
                incidents=draft.incidents,
                language="cy" if language == "cy" else "en",
                actor=None,
            )
            if answers.get("in_danger") == "yes":
                # Safeguarding: staff must see this first, so it goes on the timeline.
                case_event_record(
                    application=application,
                    kind="danger_reported",
                    summary="When applying online, the applicant said someone was in immediate danger. "
                    "The form told them to call 999.",
                    occurred_on=today,
                )
                case_danger_alert(case=application, why="danger_reported", occurred_on=today)
            OnlineSubmission.objects.create(token=token, application=application)
            application_received_notify(application=application)
    except IntegrityError:
        # The same journey sent twice at once: the other request created it; use that one.
        existing = _submission_with(token)
        if existing is None:
            raise
        return existing.application
    return application


def _submission_with(token: str) -> OnlineSubmission | None:
    return OnlineSubmission.objects.filter(token=token).select_related("application").first()


def application_received_notify(*, application) -> None:
    """The acknowledgement the person who applied is owed, by the way they asked for (never one they
    refused), queued in the application's own transaction and sent after it commits. Only the
    reference and what happens next: nothing of what they told us.

    In the application's language: to a person who applied in Welsh, in Welsh, or in Welsh then
    English when the partnership's policy sets ``[correspondence] welsh = "bilingual"`` (ADR 0040).
    """
    from casereview.notifications.services import victim_notify

    person = application.applicant or application.victim
    languages = ("en",)
    if application.language == "cy":
        bilingual = application.partnership.policy.welsh_correspondence == "bilingual"
        languages = ("cy", "en") if bilingual else ("cy",)
    parts = []
    for language in languages:
        with translation.override(language):
            parts.append(_received_message(application, language))
    victim_notify(
        case=application,
        person=person,
        purpose="application_received",
        subject=" / ".join(subject for subject, _body in parts),
        body="\n\n---\n\n".join(body for _subject, body in parts),
    )


def _received_message(application, language: str) -> tuple[str, str]:
    """The acknowledgement's subject and body in the active language."""
    from casereview.core.dates import format_date

    policy = application.partnership.policy
    spec = policy.deadline("threshold_decision")
    if spec is not None and spec.from_event == "received":
        decide_by = format_date(
            policy.due_on("threshold_decision", application.received_on), language=language
        )
        # Translators: in the acknowledgement email; %(date)s is e.g. "11 Rhagfyr 2026".
        decision = _("We will tell you whether the review will go ahead by %(date)s.") % {"date": decide_by}
    else:
        decision = _(
            "We will then tell you, within the time our policy sets, whether the review will go ahead."
        )
    partnership = application.partnership
    contact = ", ".join(filter(None, [partnership.contact_phone, partnership.contact_email]))
    reference = application.reference
    # Translators: the acknowledgement email's subject; %(reference)s is the case reference.
    subject = _("We have received your application for an ASB Case Review: %(reference)s") % {
        "reference": reference
    }
    received = format_date(application.received_on, language=language)
    if contact:
        # Translators: %(contact)s is the partnership's phone number and email address.
        changes = _(
            "If anything changes, or you need this in another format or language, contact us (%(contact)s) "
            "and quote %(reference)s."
        ) % {"contact": contact, "reference": reference}
    else:
        changes = _(
            "If anything changes, or you need this in another format or language, contact us and quote "
            "%(reference)s."
        ) % {"reference": reference}
    body = (
        # Translators: the start of the acknowledgement email.
        _(
            "Thank you. We received your application for an ASB Case Review on %(date)s. Your reference is "
            "%(reference)s."
        )
        % {"date": received, "reference": reference}
        + "\n\n"
        + _("A member of the community safety team will check it and write to acknowledge it.")
        + " "
        + decision
        + " \n\n"
        + changes
        + f"\n\n{partnership.name}\n"
    )
    return subject, body
