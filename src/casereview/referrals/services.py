"""Making a referral: the criteria checked by the core, the person found or recorded, the
referral stored with its reason codes, its consent or lawful basis, and opened as a case on the
kernel of the kind "panel:<code>" (ADR 0064) with the person as its subject and the referring
agency party to it — in one transaction. The referring agency is told the referral is received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.accounts.models import Role
from casereview.accounts.selectors import staff_in
from casereview.applications.selectors import case_parties
from casereview.applications.services import application_agency_link, case_open
from casereview.audit.services import Action, LawfulBasis, access_event_record
from casereview.core.case_kinds import PANEL_CASE_PREFIX
from casereview.core.panel_kinds import CriteriaResult, PanelKind, ReferralFacts, referral_criteria_check
from casereview.notifications.services import staff_notify
from casereview.people.selectors import people_visible_to
from casereview.people.services import PersonData, case_party_link, person_create

from .hooks import referral_made
from .models import ConsentChoice, Referral

#: Without consent, the gateways a partner may share under (domain.md §5).
LAWFUL_BASES_WITHOUT_CONSENT = (
    LawfulBasis.CDA_S115,
    LawfulBasis.PUBLIC_TASK,
    LawfulBasis.VITAL_INTERESTS,
    LawfulBasis.LEGAL_OBLIGATION,
)


class CriteriaNotMet(ValidationError):
    """The referral does not meet the panel's criteria: nothing is stored; `result` says why."""

    def __init__(self, result: CriteriaResult):
        self.result = result
        super().__init__("The referral does not meet the panel's criteria: see why below.")


@dataclass
class ReferralData:
    summary: str
    consent: str
    lawful_basis: str = ""
    consent_notes: str = ""
    person_profile: int | None = None
    person_name: str = ""
    vulnerabilities: list[str] = field(default_factory=list)
    risk_answers: dict[str, bool] = field(default_factory=dict)
    asb_reports: int = 0


def referral_make(
    *, partnership, kind: PanelKind, data: ReferralData, actor, today: dt.date | None = None
) -> Referral:
    today = today or timezone.localdate()
    errors = {}
    if not data.summary.strip():
        errors["summary"] = "Say why you are referring the person."
    if data.consent not in ConsentChoice.values:
        errors["consent"] = "Say whether the person consented to the referral."
    elif data.consent == ConsentChoice.GIVEN:
        lawful_basis = LawfulBasis.CONSENT
    elif data.lawful_basis not in LAWFUL_BASES_WITHOUT_CONSENT:
        errors["lawful_basis"] = "Without the person's consent, choose the lawful basis for sharing."
    else:
        lawful_basis = data.lawful_basis
    if data.consent in (ConsentChoice.NOT_SOUGHT, ConsentChoice.REFUSED) and not data.consent_notes.strip():
        errors["consent_notes"] = "Say why you are referring without the person's consent."
    person = None
    if data.person_profile and data.person_name.strip():
        errors["person_name"] = "Give the person's profile number or their name, not both."
    elif data.person_profile:
        person = people_visible_to(actor).filter(pk=data.person_profile, merged_into__isnull=True).first()
        if person is None:
            errors["person_profile"] = "There is no person profile with that number you may see."
    elif not data.person_name.strip():
        errors["person_name"] = "Enter the name of the person you are referring."
    if actor.agency is None:
        errors["__all__"] = "Only an officer of a partner agency can refer."
    if errors:
        raise ValidationError(errors)
    assessment = kind.risk_tool.assess(data.risk_answers) if kind.risk_tool else None
    try:
        facts = ReferralFacts(
            vulnerabilities=tuple(data.vulnerabilities),
            risk_level=assessment.level if assessment else None,
            asb_reports=data.asb_reports,
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None
    result = referral_criteria_check(kind, facts)
    if not result.met:
        raise CriteriaNotMet(result)
    reasons = list(result.reasons) + (list(assessment.reasons) if assessment else [])
    with transaction.atomic():
        if person is None:
            person = person_create(
                partnership=partnership, data=PersonData(full_name=data.person_name), actor=actor
            )
        referral = Referral.objects.create(
            partnership=partnership,
            panel_kind=kind.code,
            person=person,
            agency=actor.agency,
            referred_by=actor,
            referred_on=today,
            vulnerabilities=list(data.vulnerabilities),
            risk_answers={code: True for code, yes in data.risk_answers.items() if yes},
            risk_score=assessment.score if assessment else None,
            risk_level=assessment.level if assessment else "",
            asb_reports=data.asb_reports,
            summary=data.summary.strip(),
            consent=data.consent,
            lawful_basis=lawful_basis,
            consent_notes=data.consent_notes.strip(),
            reason_codes=[[code, params] for code, params in reasons],
            policy_digest=partnership.policy.digest,
        )
        referral.case = case_open(
            partnership=partnership,
            kind=PANEL_CASE_PREFIX + kind.code,
            received_on=today,
            actor=actor,
            subject_name=person.full_name,
            summary=referral.summary,
        )
        referral.save(update_fields=["case"])
        subject = case_parties(referral.case).get().person
        case_party_link(person=person, party=subject, actor=actor)
        application_agency_link(application=referral.case, agency=actor.agency, reason="Referred the case")
        # What upper apps do on a referral (the partner API's webhook), in this transaction.
        referral_made(referral=referral, actor=actor)
        # The acknowledgement: to the referring agency (on the case), with the reference only.
        staff_notify(
            recipients=[
                actor,
                *staff_in(partnership.pk, agency_id=actor.agency_id, roles=[Role.AGENCY_OFFICER]),
            ],
            purpose="panel_referral_acknowledged",
            text=f"Your referral to {kind.name} is received: case {referral.case.reference}. "
            "The panel hears it at its next meeting.",
            url=f"/referrals/{referral.pk}/",
            case=referral.case,
            email_subject=f"Referral to {kind.name} received: {referral.case.reference}",
            email_body=f"Your agency's referral to {kind.name} is received as case "
            f"{referral.case.reference}. The panel hears it at its next meeting; "
            "the chair will send the action plan.\n",
            actor=actor,
            occurred_on=today,
        )
        access_event_record(
            action=Action.CREATE,
            user=actor,
            obj=referral,
            summary=f"Referral {referral.pk} to {kind.code} made",
            lawful_basis=lawful_basis,
            purpose=f"Referral to {kind.name}",
        )
    return referral
