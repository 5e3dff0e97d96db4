"""The kinds of letter, their audience, the clock each meets, the placeholders each may use, the
extra context the calling app supplies, and the product's default wording.

Template syntax (what a community safety manager edits; no HTML, nothing executable):

* paragraphs are separated by a blank line;
* a line starting with ``## `` is a heading;
* lines starting with ``- `` are a bulleted list;
* ``{{ name }}`` is replaced by the placeholder's value. Placeholders marked *block* (lists such as
  the incidents' reasons or the recommendations) must stand alone in their own paragraph.

Unknown placeholders, a block placeholder inside a sentence, and a template missing a placeholder
the kind requires (the not-met letter must carry the incidents' reasons and the appeal date) are
refused when the template is saved, naming the placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from .models import Audience, LetterKind


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: str
    block: bool = False


COMMON = [
    Placeholder("recipient_name", "The name of the person the letter is addressed to.", "Jo Bloggs"),
    Placeholder("victim_name", "The victim's name (a business or group: its name).", "Jo Bloggs"),
    Placeholder(
        "on_behalf_note",
        "For a third-party application: a sentence saying on whose behalf they applied; otherwise empty.",
        "",
    ),
    Placeholder("reference", "The application's reference.", "WN-2025-0001"),
    Placeholder("received_on", "The date the application was received, written out.", "15 April 2025"),
    Placeholder("issue_date", "The date of the letter, written out.", "22 April 2025"),
    Placeholder("partnership_name", "The partnership (the council that runs the review).", "Example Council"),
    Placeholder("partnership_phone", "The partnership's phone number for the review.", "0300 000 0000"),
    Placeholder("partnership_email", "The partnership's email address for the review.", "asb@example.gov.uk"),
    Placeholder("officer_name", "The name of the officer issuing the letter.", "Chris Morgan"),
    Placeholder("officer_job_title", "Their job title.", "Community safety manager"),
]

SPECIFIC = {
    "incident_count": Placeholder("incident_count", "How many incidents the application describes.", "3"),
    "decision_by": Placeholder(
        "decision_by",
        "The date by which the threshold decision is due (the policy's deadline).",
        "6 May 2025",
    ),
    "incident_reasons": Placeholder(
        "incident_reasons",
        "Each incident with whether it counted and why, in the engine's words.",
        "I1 (10 January 2025): counted — reported to the police within 30 days.",
        block=True,
    ),
    "decision_explanation": Placeholder(
        "decision_explanation",
        "The plain-English explanation of the decision, as recorded with it.",
        "Two of the three incidents were reported within 30 days, so the threshold of three is not met.",
    ),
    "discretion_note": Placeholder(
        "discretion_note",
        "Whether the manager considered accepting at their discretion, and their reasons.",
        "We also considered whether to hold a review anyway, having regard to persistence, harm "
        "and the adequacy of the response.",
    ),
    "appeal_route": Placeholder(
        "appeal_route", "Who hears an appeal, the grounds, and how to appeal.", "The grounds …", block=True
    ),
    "appeal_by": Placeholder(
        "appeal_by", "The last day to appeal (the policy's appeal window).", "20 May 2025"
    ),
    "appeal_window": Placeholder("appeal_window", "The appeal window as the policy states it.", "28 days"),
    "appeal_heard_by": Placeholder(
        "appeal_heard_by", "Who hears appeals (the policy's [appeals]).", "the council"
    ),
    "ineligible_reasons": Placeholder(
        "ineligible_reasons", "Why the application is not eligible.", "A court's decision …", block=True
    ),
    "where_to_go_instead": Placeholder(
        "where_to_go_instead", "Where to go instead, for each reason.", "Citizens Advice …", block=True
    ),
    "spoc_by": Placeholder(
        "spoc_by", "The date by which a single point of contact will be appointed.", "6 May 2025"
    ),
    "response_by": Placeholder(
        "response_by", "The date by which the review will give a full response, if the policy sets one.", ""
    ),
    "spoc_name": Placeholder("spoc_name", "The single point of contact's name.", "Sam Patel"),
    "spoc_job_title": Placeholder("spoc_job_title", "Their job title.", "ASB case review officer"),
    "spoc_phone": Placeholder("spoc_phone", "Their phone number (or the partnership's).", "0300 000 0001"),
    "spoc_email": Placeholder(
        "spoc_email", "Their email address (or the partnership's).", "sam@example.gov.uk"
    ),
    "spoc_involvement": Placeholder(
        "spoc_involvement",
        "A sentence on the SPOC's earlier involvement in the case: none found, or some (when the "
        "manager appointed them despite the prior-involvement warning).",
        "As far as our records show, they had no earlier involvement in your case.",
    ),
    "contact_by": Placeholder(
        "contact_by",
        "The date by which the SPOC will contact the victim (the policy's deadline).",
        "13 May 2025",
    ),
    "support_services": Placeholder(
        "support_services",
        "Support and advocacy services, with contact details.",
        "Victim Support …",
        block=True,
    ),
    "victim_voice": Placeholder(
        "victim_voice",
        "How the victim's voice will be heard: attending the start of the panel or a written statement.",
        "You can come to the start of the panel …",
        block=True,
    ),
    "panel_date": Placeholder("panel_date", "The date of the panel meeting, if known.", "3 June 2025"),
    "panel_quorum": Placeholder(
        "panel_quorum",
        "A sentence saying the panel met without its quorum (inquorate), when it did; empty otherwise.",
        "The panel that met was not quorate …",
    ),
    "contact_attempts": Placeholder(
        "contact_attempts", "The attempts made to contact the victim.", "2 May 2025: phone call …", block=True
    ),
    "closed_on": Placeholder("closed_on", "The date the case was closed.", "22 May 2025"),
    "warning_text": Placeholder(
        "warning_text",
        "What the behaviour is and what will happen if it goes on, in the officer's words. Never "
        "name or describe the victim, the applicant or anyone who reported it: the letter is checked.",
        "Loud music late at night has been reported from your home.",
    ),
    "outcome_summary": Placeholder(
        "outcome_summary", "The panel's summary of the review, in plain English.", ""
    ),
    "recommendations": Placeholder(
        "recommendations", "The panel's recommendations, each to a named body.", "1. …", block=True
    ),
    "actions": Placeholder(
        "actions",
        "The action plan — only the actions the panel agreed may be shared with the victim.",
        "Visit the area weekly — police, by 30 June 2025",
        block=True,
    ),
    "all_actions": Placeholder(
        "all_actions", "The whole action plan, with owners (partner letters only).", "…", block=True
    ),
    "appeal_received_on": Placeholder("appeal_received_on", "When the appeal was received.", "1 May 2025"),
    "appeal_result": Placeholder(
        "appeal_result", "The appeal's result in a sentence.", "Your appeal is upheld."
    ),
    "appeal_reasons": Placeholder("appeal_reasons", "The reasons for the appeal decision.", ""),
    "appeal_next_steps": Placeholder("appeal_next_steps", "What happens now.", ""),
    "lpb_review_route": Placeholder(
        "lpb_review_route",
        "Where the Crime and Policing Act 2026's route is in force: how to ask the local policing body "
        "to review the decision, and by when; empty before it is in force.",
        "You can also ask the Police and Crime Commissioner to review this decision …",
    ),
    "lpb_name": Placeholder("lpb_name", "The local policing body.", "the Police and Crime Commissioner"),
    "lpb_received_on": Placeholder("lpb_received_on", "When the request was received.", "1 May 2025"),
    "lpb_result": Placeholder(
        "lpb_result", "The local policing body's decision in a sentence.", "The decision stands."
    ),
    "lpb_reasons": Placeholder("lpb_reasons", "The local policing body's reasons.", ""),
    "lpb_next_steps": Placeholder("lpb_next_steps", "What happens now.", ""),
    "threshold_summary": Placeholder(
        "threshold_summary", "The local threshold for a review, in a sentence, from the policy.", "…"
    ),
    "apply_url": Placeholder("apply_url", "Where to apply online.", "https://example.gov.uk/apply/"),
    "report_dates": Placeholder(
        "report_dates",
        "The reports that prompted this letter (the reports app supplies them).",
        "…",
        block=True,
    ),
    "minutes_due": Placeholder("minutes_due", "When the minutes were due (the policy's deadline).", ""),
    # The documents served on the subject of an intervention (the interventions app supplies them).
    "behaviour": Placeholder(
        "behaviour",
        "The behaviour, in the officer's words. Never name or describe the victim, a reporter or a "
        "witness: the document is checked and refused if it does.",
        "Loud music and shouting from your flat late at night.",
    ),
    "issuing_agency": Placeholder("issuing_agency", "The agency serving it.", "Example Council"),
    "served_on": Placeholder("served_on", "The day it is served, written out.", "10 January 2026"),
    "prohibitions": Placeholder(
        "prohibitions", "What the person must not do, one a line.", "Do not play amplified music.", block=True
    ),
    "requirements": Placeholder(
        "requirements",
        "What the person must do, one a line.",
        "Attend the tenancy support meeting.",
        block=True,
    ),
    "comply_by": Placeholder("comply_by", "The day by which the person must comply.", "24 January 2026"),
    "expires_on": Placeholder("expires_on", "When the terms end (empty: until varied or discharged).", ""),
    "breach_penalty": Placeholder(
        "breach_penalty",
        "What failing to comply means, with the fixed penalty in force on the day it is served.",
        "Failing to comply is a criminal offence …",
    ),
    "cpn_appeal": Placeholder(
        "cpn_appeal",
        "The appeal route: to a magistrates' court within 21 days beginning with the day of issue, "
        "the last day and the grounds (2014 Act s.46).",
        "You may appeal to a magistrates' court …",
        block=True,
    ),
    "cpn_appeal_by": Placeholder("cpn_appeal_by", "The last day to appeal the notice.", "30 January 2026"),
    "premises_address": Placeholder("premises_address", "The premises closed.", "Flat 3, 9 Mill Lane"),
    "notice_hours": Placeholder("notice_hours", "How long the notice lasts, in hours.", "24"),
    "notice_ends": Placeholder("notice_ends", "When the notice ends.", "14:00 on 11 January 2026"),
    "hearing_by": Placeholder(
        "hearing_by",
        "When the magistrates' court must hear the application for a closure order, at the latest.",
        "14:00 on 12 January 2026",
    ),
    "authorised_by": Placeholder(
        "authorised_by", "Who authorised the notice (and any extension beyond 24 hours).", "Inspector Kaur"
    ),
    "support_offered": Placeholder(
        "support_offered",
        "The support offered alongside (services only).",
        "Drug and alcohol service",
        block=True,
    ),
    # A standing panel's minutes to one agency (the referrals app supplies them; ADR 0086).
    "panel_name": Placeholder("panel_name", "The standing panel.", "Community MARAC"),
    "attendance": Placeholder(
        "attendance",
        "The agencies that attended (with who came) and those that sent apologies.",
        "Present: Islington Council (C. Morgan). Apologies: NHS North Central London.",
        block=True,
    ),
    "case_sections": Placeholder(
        "case_sections",
        "Each case of the meeting this agency is on — and only those: the discussion, the risk, the "
        "next review or the agreement to close, and the actions with their owners.",
        "Case IS-2026-0001 …",
        block=True,
    ),
}


@dataclass(frozen=True)
class KindSpec:
    kind: str
    audience: str
    #: Who it goes to when the caller does not say: "applicant" (a third party who applied, else the
    #: victim), "victim", or "given" (the caller must pass `recipient`).
    default_recipient: str
    #: A CaseEvent kind recorded besides "letter_issued", for the clocks (None: no clock).
    clock_event: str | None
    #: The appeal window (deadline `appeal_window`, from event "letter_issued") runs from this letter.
    starts_appeal_window: bool
    placeholders: tuple[str, ...]
    required: tuple[str, ...]
    default_subject: str
    default_body: str
    #: What the calling app supplies in `extra` (documented here and in docs/letters.md).
    extra: dict[str, str] = field(default_factory=dict)
    needs_application: bool = True

    @property
    def label(self) -> str:
        return LetterKind(self.kind).label

    def placeholder_specs(self) -> list[Placeholder]:
        return [*COMMON, *(SPECIFIC[name] for name in self.placeholders)]


KINDS: dict[str, KindSpec] = {}


def _default(kind: str) -> str:
    """The product's default wording, shipped in default_templates/<kind>.txt."""
    return (
        resources.files("casereview.letters")
        .joinpath(f"default_templates/{kind}.txt")
        .read_text("utf-8")
        .strip()
    )


def _kind(spec: KindSpec) -> None:
    KINDS[spec.kind] = spec


_kind(
    KindSpec(
        kind=LetterKind.ACKNOWLEDGEMENT,
        audience=Audience.VICTIM,
        default_recipient="applicant",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=("incident_count", "decision_by"),
        required=("decision_by",),
        default_subject="Your application for an ASB Case Review: {{ reference }}",
        default_body=_default("acknowledgement"),
    )
)

_kind(
    KindSpec(
        kind=LetterKind.THRESHOLD_NOT_MET,
        audience=Audience.VICTIM,
        default_recipient="applicant",
        clock_event="decision_letter_issued",
        starts_appeal_window=True,
        placeholders=(
            "incident_reasons",
            "decision_explanation",
            "discretion_note",
            "appeal_route",
            "appeal_by",
            "appeal_window",
            "appeal_heard_by",
            "lpb_review_route",
        ),
        required=("incident_reasons", "decision_explanation", "appeal_route", "appeal_by"),
        default_subject="Your ASB Case Review application {{ reference }}: the threshold is not met",
        default_body=_default("threshold_not_met"),
    )
)

_kind(
    KindSpec(
        kind=LetterKind.INELIGIBLE,
        audience=Audience.VICTIM,
        default_recipient="applicant",
        clock_event="decision_letter_issued",
        starts_appeal_window=False,
        placeholders=("ineligible_reasons", "decision_explanation", "where_to_go_instead"),
        required=("ineligible_reasons", "where_to_go_instead"),
        default_subject="Your ASB Case Review application {{ reference }}",
        default_body=_default("ineligible"),
        extra={"where_to_go_instead": "optional list of further suggestions (strings)"},
    )
)

_kind(
    KindSpec(
        kind=LetterKind.ACCEPTED,
        audience=Audience.VICTIM,
        default_recipient="applicant",
        clock_event="decision_letter_issued",
        starts_appeal_window=False,
        placeholders=("decision_explanation", "discretion_note", "spoc_by", "response_by"),
        required=("spoc_by",),
        default_subject="Your ASB Case Review {{ reference }} will go ahead",
        default_body=_default("accepted"),
    )
)

_kind(
    KindSpec(
        kind=LetterKind.NEXT_STEPS,
        audience=Audience.VICTIM,
        default_recipient="victim",
        clock_event="next_steps_letter_issued",
        starts_appeal_window=False,
        placeholders=(
            "spoc_name",
            "spoc_job_title",
            "spoc_involvement",
            "spoc_phone",
            "spoc_email",
            "contact_by",
            "support_services",
            "victim_voice",
            "panel_date",
        ),
        required=("spoc_name", "spoc_phone", "support_services", "victim_voice"),
        default_subject="Your ASB Case Review {{ reference }}: your single point of contact",
        default_body=_default("next_steps"),
        extra={
            "support_services": "optional list of {name, description, contact} replacing the defaults",
            "panel_date": "optional date of the panel, if already set",
            "spoc_prior_involvement": "optional bool: the SPOC was appointed despite findings of "
            "prior involvement (the reviews app supplies it)",
        },
    )
)

_kind(
    KindSpec(
        kind=LetterKind.UNREACHABLE_CLOSURE,
        audience=Audience.VICTIM,
        default_recipient="victim",
        clock_event="closure_letter_issued",
        starts_appeal_window=False,
        placeholders=("contact_attempts", "closed_on", "spoc_name", "spoc_phone", "spoc_email"),
        required=("contact_attempts",),
        default_subject="Your ASB Case Review {{ reference }} has been closed",
        default_body=_default("unreachable_closure"),
        extra={
            "attempts": "required list of {on: date, method: str, note: str (optional, victim-safe)}",
            "closed_on": "optional date (defaults to the issue date)",
        },
    )
)

_kind(
    KindSpec(
        kind=LetterKind.OUTCOME,
        audience=Audience.VICTIM,
        default_recipient="victim",
        clock_event="outcome_letter_issued",
        starts_appeal_window=True,
        placeholders=(
            "panel_date",
            "panel_quorum",
            "outcome_summary",
            "recommendations",
            "actions",
            "appeal_route",
            "appeal_by",
            "appeal_window",
            "appeal_heard_by",
            "spoc_name",
            "spoc_phone",
            "spoc_email",
        ),
        required=("recommendations", "actions", "appeal_route", "appeal_by"),
        default_subject="The outcome of your ASB Case Review {{ reference }}",
        default_body=_default("outcome"),
        extra={
            "panel_date": "required date the panel met",
            "panel_inquorate": "optional bool: the panel met without its quorum (inquorate)",
            "outcome_summary": "optional plain-English summary (str)",
            "recommendations": "list of {text: str, to: agency name}",
        },
    )
)

_kind(
    KindSpec(
        kind=LetterKind.APPEAL_DECISION,
        audience=Audience.VICTIM,
        default_recipient="applicant",
        clock_event="appeal_decision_letter_issued",
        starts_appeal_window=False,
        placeholders=(
            "appeal_received_on",
            "appeal_result",
            "appeal_reasons",
            "appeal_next_steps",
            "appeal_heard_by",
        ),
        required=("appeal_result", "appeal_reasons"),
        default_subject="Your appeal about ASB Case Review {{ reference }}",
        default_body=_default("appeal_decision"),
        extra={
            "received_on": "required date the appeal was received",
            "result": 'required "upheld" | "partly_upheld" | "not_upheld"',
            "reasons": "required str",
            "next_steps": "optional str",
        },
    )
)

_kind(
    KindSpec(
        kind=LetterKind.LPB_REVIEW_OUTCOME,
        audience=Audience.VICTIM,
        default_recipient="applicant",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=("lpb_name", "lpb_received_on", "lpb_result", "lpb_reasons", "lpb_next_steps"),
        required=("lpb_result", "lpb_reasons"),
        default_subject=(
            "The local policing body's review of your ASB Case Review application {{ reference }}"
        ),
        default_body=_default("lpb_review_outcome"),
        extra={
            "received_on": "required date the request was received",
            "result": 'required "stands" | "sent_back"',
            "reasons": "required str",
            "lpb_name": "optional str: the local policing body",
        },
        needs_application=True,
    )
)

_kind(
    KindSpec(
        kind=LetterKind.REVIEW_EXPLAINED,
        audience=Audience.VICTIM,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=("threshold_summary", "apply_url", "report_dates"),
        required=("threshold_summary",),
        default_subject="Your reports of anti-social behaviour: the ASB Case Review",
        default_body=_default("review_explained"),
        extra={
            "reports": "optional list of {reported_on: date, reference: str}",
            "apply_url": "optional absolute URL of /apply/ (default: the path)",
        },
        needs_application=False,
    )
)

_kind(
    KindSpec(
        kind=LetterKind.PANEL_MINUTES,
        audience=Audience.PARTNERS,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=("panel_date", "outcome_summary", "recommendations", "all_actions", "minutes_due"),
        required=("all_actions",),
        default_subject="ASB Case Review {{ reference }}: minutes and action plan",
        default_body=_default("panel_minutes"),
        extra={
            "panel_date": "required date the panel met",
            "outcome_summary": "optional str",
            "recommendations": "list of {text: str, to: agency name}",
        },
    )
)

_kind(
    KindSpec(
        kind=LetterKind.WARNING,
        audience=Audience.PERPETRATOR,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=("warning_text",),
        required=("warning_text",),
        default_subject="Anti-social behaviour reported at or near your home",
        default_body=_default("warning"),
        extra={"warning_text": "required str: the behaviour and what happens if it goes on"},
    )
)


#: The documents served on the subject of an intervention (issue 17): issued from the intervention's
#: step, on its case, checked against the victims', reporters' and witnesses' details (ADR 0067).
INTERVENTION_KINDS = (
    LetterKind.INTERVENTION_WARNING,
    LetterKind.CPW,
    LetterKind.CPN,
    LetterKind.CLOSURE_NOTICE,
)

_kind(
    KindSpec(
        kind=LetterKind.INTERVENTION_WARNING,
        audience=Audience.PERPETRATOR,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=("behaviour", "issuing_agency", "served_on", "support_offered"),
        required=("behaviour",),
        default_subject="A warning about anti-social behaviour",
        default_body=_default("intervention_warning"),
        extra={"behaviour": "required str", "support_offered": "optional list of str"},
    )
)

_kind(
    KindSpec(
        kind=LetterKind.CPW,
        audience=Audience.PERPETRATOR,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=(
            "behaviour",
            "issuing_agency",
            "served_on",
            "prohibitions",
            "requirements",
            "comply_by",
            "support_offered",
        ),
        required=("behaviour", "comply_by"),
        default_subject="Community Protection Warning",
        default_body=_default("cpw"),
        extra={"behaviour": "required str", "comply_by": "required date", "prohibitions": "lines"},
    )
)

_kind(
    KindSpec(
        kind=LetterKind.CPN,
        audience=Audience.PERPETRATOR,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=(
            "behaviour",
            "issuing_agency",
            "served_on",
            "prohibitions",
            "requirements",
            "comply_by",
            "expires_on",
            "breach_penalty",
            "cpn_appeal",
            "cpn_appeal_by",
        ),
        required=("behaviour", "cpn_appeal", "cpn_appeal_by", "breach_penalty"),
        default_subject="Community Protection Notice",
        default_body=_default("cpn"),
        extra={
            "behaviour": "required str",
            "cpn_appeal_by": "required date: the last day of the 21 days",
            "breach_penalty": "required str",
        },
    )
)

_kind(
    KindSpec(
        kind=LetterKind.CLOSURE_NOTICE,
        audience=Audience.PERPETRATOR,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=(
            "premises_address",
            "issuing_agency",
            "served_on",
            "notice_hours",
            "notice_ends",
            "hearing_by",
            "authorised_by",
            "prohibitions",
        ),
        required=("premises_address", "notice_ends", "hearing_by"),
        default_subject="Closure notice: {{ premises_address }}",
        default_body=_default("closure_notice"),
        extra={"premises_address": "required str", "notice_ends": "required", "hearing_by": "required"},
    )
)


_kind(
    KindSpec(
        kind=LetterKind.STANDING_PANEL_MINUTES,
        audience=Audience.PARTNERS,
        default_recipient="given",
        clock_event=None,
        starts_appeal_window=False,
        placeholders=("panel_name", "panel_date", "attendance", "case_sections"),
        required=("panel_date", "case_sections"),
        default_subject="Minutes of {{ panel_name }} on {{ panel_date }}",
        default_body=_default("standing_panel_minutes"),
        extra={
            "panel_name": "required str",
            "panel_date": "required date the meeting was held",
            "present": "list of str: each agency that attended, with who came",
            "apologies": "list of str: each agency that sent apologies",
            "cases": "list of {reference, subject, risk, discussion, then, actions: [{description, "
            "owner, due_on}]} — only the cases the recipient agency is on",
        },
        needs_application=False,
    )
)


# --- Welsh -----------------------------------------------------------------------------------------

#: The product's Welsh wording, (subject, body), for the letters a victim or applicant receives
#: (default_templates/cy/<kind>.txt; ADR 0040) and the documents served on the subject of an
#: intervention (ADR 0079). A letter to a person who chose Welsh is written from
#: it, in Welsh or bilingually as the partnership's policy sets (`services.letter_languages`);
#: a kind without Welsh wording here is sent in English. Same placeholders as the English.
WELSH_SUBJECTS = {
    LetterKind.ACKNOWLEDGEMENT: "Eich cais am Adolygiad Achos Ymddygiad Gwrthgymdeithasol: {{ reference }}",
    LetterKind.THRESHOLD_NOT_MET: (
        "Eich cais am Adolygiad Achos {{ reference }}: nid yw’r trothwy wedi’i gyrraedd"
    ),
    LetterKind.INELIGIBLE: "Eich cais am Adolygiad Achos {{ reference }}",
    LetterKind.LPB_REVIEW_OUTCOME: (
        "Adolygiad y corff plismona lleol o’ch cais am Adolygiad Achos {{ reference }}"
    ),
    LetterKind.ACCEPTED: "Bydd eich Adolygiad Achos {{ reference }} yn mynd yn ei flaen",
    LetterKind.NEXT_STEPS: "Eich Adolygiad Achos {{ reference }}: eich un pwynt cyswllt",
    LetterKind.OUTCOME: "Canlyniad eich Adolygiad Achos {{ reference }}",
    LetterKind.APPEAL_DECISION: "Eich apêl ynghylch Adolygiad Achos {{ reference }}",
    # The documents served on the subject of an intervention (ADR 0079).
    LetterKind.INTERVENTION_WARNING: "Rhybudd am ymddygiad gwrthgymdeithasol",
    LetterKind.CPW: "Rhybudd Gwarchod y Gymuned",
    LetterKind.CPN: "Hysbysiad Gwarchod y Gymuned",
    LetterKind.CLOSURE_NOTICE: "Hysbysiad cau: {{ premises_address }}",
}


def _welsh_default(kind: str) -> str:
    return (
        resources.files("casereview.letters")
        .joinpath(f"default_templates/cy/{kind}.txt")
        .read_text("utf-8")
        .strip()
    )


WELSH: dict[str, tuple[str, str]] = {
    kind: (subject, _welsh_default(kind)) for kind, subject in WELSH_SUBJECTS.items()
}
