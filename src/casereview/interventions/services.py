"""Writes to interventions. Each runs in one transaction, writes its timeline event and its
access-log row in it, and moves the intervention's version on (web.concurrency): a refused write
changes nothing.

A step is checked by the pure core (core.enforcement.judge) against the commencement register
(law.selectors) for the step's own date and the intervention's nation, inside the transaction that
records it, with the intervention's row locked: two officers recording steps at once are judged
one after the other, each on the steps before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from casereview.applications.services import (
    application_agency_link,
    case_event_record,
    case_open,
    case_party_add,
    case_status_change,
    case_subject_person,
)
from casereview.audit.services import Action, access_event_record
from casereview.core import enforcement
from casereview.core.case_kinds import INTERVENTION
from casereview.core.disclosure import Protected
from casereview.core.enforcement_reasons import render
from casereview.law.selectors import commencement_register
from casereview.letters.rendering import Recipient
from casereview.letters.services import LetterError, letter_issue, letter_preview
from casereview.notifications.services import notice_create
from casereview.people.selectors import report_callers
from casereview.people.services import case_party_link
from casereview.web.concurrency import version_claim

from .models import (
    BreachFlag,
    BreachStatus,
    Intervention,
    InterventionEvent,
    LawfulBasis,
    Outcome,
    Programme,
    Status,
    Step,
    StepKind,
    SupportReferral,
)

#: Kinds whose terms, while in force, make a new report about the subject a possible breach.
REQUIREMENT_KINDS = frozenset(
    {
        "abc",
        "cpw",
        "cpn",
        "civil_injunction",
        "respect_order",
        "youth_injunction",
        "housing_injunction",
        "cbo",
        "closure_notice",
        "closure_order",
    }
)


def _event(intervention, *, kind: str, summary: str, actor=None, step=None, at=None) -> InterventionEvent:
    """One line on the intervention's timeline, and the same on its case's (the kernel's
    `case_event_record`, ADR 0066), in the caller's transaction: the case's timeline is complete,
    its letters included. Kinds on the case are prefixed, so they never meet a review's clock."""
    if intervention.casework_id:
        case_event_record(
            application=intervention.casework,
            kind=f"intervention_{kind}",
            summary=summary,
            actor=actor,
            data={"intervention": intervention.pk, **({"step": step.pk} if step is not None else {})},
        )
    return InterventionEvent.objects.create(
        intervention=intervention,
        at=at or timezone.now(),
        kind=kind,
        summary=summary[:500],
        actor=actor,
        step=step,
    )


def _casework_open(*, partnership, lead_agency, opened_on, person, premises, actor):
    """The intervention's own case on the kernel: kind "intervention", the person as its subject
    party (their profile linked), the lead agency party to it (the access selector's rule)."""
    subject = None
    if person is not None:
        subject = case_subject_person(full_name=person.full_name, date_of_birth=person.date_of_birth)
    casework = case_open(
        partnership=partnership,
        kind=INTERVENTION,
        received_on=opened_on,
        actor=actor,
        subject=subject,
        summary="",
    )
    if subject is not None:
        case_party_link(person=person, party=subject, actor=actor)
    application_agency_link(application=casework, agency=lead_agency, reason="Lead agency")
    return casework


def intervention_open(
    *,
    partnership,
    lead_agency,
    officer,
    opened_on: dt.date,
    summary: str,
    person=None,
    premises=None,
    case=None,
    nation: str = "england",
    programme: str = "early_intervention",
    actor,
) -> Intervention:
    if (person is None) == (premises is None):
        raise ValidationError({"subject": "Choose a person or premises."})
    subject = person or premises
    if subject.partnership_id != partnership.pk or lead_agency.partnership_id != partnership.pk:
        raise ValidationError({"subject": "Choose a person or premises of your partnership."})
    if not summary.strip():
        raise ValidationError({"summary": "Enter the behaviour the intervention is about."})
    if programme not in Programme.values:
        raise ValidationError({"programme": "Choose whose casework it is."})
    with transaction.atomic():
        casework = _casework_open(
            partnership=partnership,
            lead_agency=lead_agency,
            opened_on=opened_on,
            person=person,
            premises=premises,
            actor=actor,
        )
        intervention = Intervention.objects.create(
            partnership=partnership,
            person=person,
            premises=premises,
            lead_agency=lead_agency,
            officer=officer,
            case=case,
            casework=casework,
            programme=programme,
            nation=nation,
            opened_on=opened_on,
            summary=summary.strip(),
        )
        _event(intervention, kind="opened", summary=f"Intervention opened, led by {lead_agency}", actor=actor)
        access_event_record(
            action=Action.CREATE,
            user=actor,
            obj=intervention,
            summary=f"Intervention {intervention.pk} opened",
        )
    return intervention


@dataclass
class StepData:
    kind: str
    issuing_agency: object
    served_on: dt.date
    how_served: str
    served_at: dt.datetime | None = None
    prohibitions: str = ""
    requirements: str = ""
    comply_by: dt.date | None = None
    expires_on: dt.date | None = None
    duration_hours: int | None = None
    authorisations: list[str] = field(default_factory=list)
    authorised_by: str = ""
    duties: list[str] = field(default_factory=list)
    #: A court's step: what it decided, recorded as decided.
    court_decision: str = ""


class StepRefused(ValidationError):
    """The law does not allow the step on its date: `judgement` holds the reasons (codes)."""

    def __init__(self, judgement: enforcement.Judgement):
        self.judgement = judgement
        super().__init__([render(f.reason()) for f in judgement.refusals], code="refused")


def _prior(intervention: Intervention) -> tuple[enforcement.PriorStep, ...]:
    return tuple(
        enforcement.PriorStep(
            kind=s.kind, served_on=s.served_on, outcome=s.outcome, comply_by=s.comply_by, ref=str(s.pk)
        )
        for s in intervention.steps.all()
    )


def _age(person, on: dt.date):
    return person.date_of_birth if person is not None else None


def step_check(intervention: Intervention, data: StepData, *, register=None) -> enforcement.Judgement:
    """The core's judgement of `data` as the intervention's next step (nothing is written)."""
    register = register or commencement_register()
    step = enforcement.ProposedStep(
        kind=data.kind,
        on=data.served_on,
        nation=intervention.nation,
        agency_kind=data.issuing_agency.kind,
        subject=intervention.subject_kind,
        date_of_birth=intervention.person.date_of_birth if intervention.person_id else None,
        prior=_prior(intervention),
        authorisations=frozenset(data.authorisations),
        duties=frozenset(data.duties),
        comply_by=data.comply_by,
        duration_hours=data.duration_hours,
        # The partnership's own duties before a kind of step ([interventions.local_duties]).
        local_duties=dict(intervention.partnership.policy.interventions_local_duties),
    )
    return enforcement.judge(step, register)


def step_record(
    *, intervention: Intervention, data: StepData, actor, read_version: int | None = None
) -> Step:
    """Record a step the law allows on its date; refuse (`StepRefused`, nothing written) otherwise."""
    if data.kind not in StepKind.values:
        raise ValidationError({"kind": "Choose the step."})
    if data.issuing_agency.partnership_id != intervention.partnership_id:
        raise ValidationError({"issuing_agency": "Choose an agency of the partnership."})
    if data.kind == "closure_notice" and data.served_at is None:
        raise ValidationError(
            {"served_at": "Enter the time the closure notice was served: the hearing deadline runs from it."}
        )
    if data.served_at is not None:
        data.served_on = (
            timezone.localtime(data.served_at).date()
            if timezone.is_aware(data.served_at)
            else data.served_at.date()
        )
    register = commencement_register()
    with transaction.atomic():
        version_claim(intervention, read_version=read_version, what="intervention")
        if intervention.status != Status.OPEN:
            raise ValidationError("This intervention is closed: open a new one to record more steps.")
        judgement = step_check(intervention, data, register=register)
        if not judgement.allowed:
            raise StepRefused(judgement)
        intervention.save(update_fields=["version"])
        check = judgement.codes()
        check["register_version"] = register.version
        step = Step.objects.create(
            intervention=intervention,
            kind=data.kind,
            issuing_agency=data.issuing_agency,
            officer=actor,
            served_on=data.served_on,
            served_at=data.served_at,
            how_served=data.how_served,
            prohibitions=data.prohibitions.strip(),
            requirements=data.requirements.strip(),
            comply_by=data.comply_by,
            expires_on=data.expires_on,
            duration_hours=data.duration_hours,
            authorisations=sorted(data.authorisations),
            authorised_by=data.authorised_by.strip(),
            duties=sorted(data.duties),
            rule_check=check,
            court_decision=data.court_decision.strip(),
            created_by=actor,
        )
        if intervention.casework_id:
            # The issuing agency is party to the case from now on: its officers see it.
            application_agency_link(
                application=intervention.casework, agency=data.issuing_agency, reason="Issued a step"
            )
        if data.kind == "closure_order":
            # The court heard the application: the notice's hearing deadline is met.
            Step.objects.filter(
                intervention=intervention, kind="closure_notice", hearing_at__isnull=True
            ).update(hearing_at=data.served_at or timezone.now())
        _event(
            intervention,
            kind="step",
            summary=f"{step.get_kind_display()} served on {step.served_on:%-d %B %Y} "
            f"by {data.issuing_agency}",
            actor=actor,
            step=step,
        )
        access_event_record(
            action=Action.CREATE,
            user=actor,
            obj=step,
            summary=f"Step {step.pk} recorded on intervention {intervention.pk}",
        )
    return step


def step_outcome_record(
    *,
    step: Step,
    outcome: str,
    outcome_on: dt.date,
    court_decision: str = "",
    actor,
    read_version: int | None = None,
) -> list[str]:
    """Record a step's outcome (and a court's decision, as decided). Returns warnings (an appeal
    lodged after the 21 days is recorded, with a warning: the court decides whether to hear it)."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    if outcome_on < step.served_on:
        raise ValidationError(
            {"outcome_on": "The outcome's date must be on or after the day the step was served."}
        )
    warnings = []
    with transaction.atomic():
        version_claim(step, read_version=read_version, what="step")
        step.outcome, step.outcome_on = outcome, outcome_on
        if outcome == Outcome.APPEALED:
            step.appealed_on = outcome_on
        if court_decision.strip():
            step.court_decision = court_decision.strip()
        if outcome == Outcome.APPEALED and step.kind == "cpn":
            appeal = enforcement.cpn_appeal(step.served_on)
            if not appeal.in_time(outcome_on):
                finding = enforcement.Finding(
                    "appeal_out_of_time",
                    {"appealed_on": outcome_on.isoformat(), "last_day": appeal.last_day.isoformat()},
                    "cpn.appeal_21_days",
                    enforcement.RULES["cpn.appeal_21_days"].source,
                    None,
                )
                warnings.append(render(finding.reason()))
        step.save()
        Intervention.objects.filter(pk=step.intervention_id).update(version=step.intervention.version + 1)
        _event(
            step.intervention,
            kind="outcome",
            summary=f"{step.get_kind_display()}: {step.get_outcome_display()} on {outcome_on:%-d %B %Y}",
            actor=actor,
            step=step,
        )
        access_event_record(
            action=Action.UPDATE, user=actor, obj=step, summary=f"Outcome of step {step.pk} recorded"
        )
    return warnings


def hearing_record(*, step: Step, heard_at: dt.datetime, court_decision: str, actor) -> Step:
    """The court heard the closure order application (or adjourned it, keeping the notice in force)."""
    if step.kind != "closure_notice":
        raise ValidationError("Only a closure notice has a hearing deadline.")
    if not court_decision.strip():
        raise ValidationError(
            {"court_decision": "Enter what the court decided (an order made, an adjournment …)."}
        )
    with transaction.atomic():
        version_claim(step, read_version=None, what="step")
        step.hearing_at, step.court_decision = heard_at, court_decision.strip()
        step.save()
        _event(
            step.intervention,
            kind="hearing",
            summary="The court heard the closure order application",
            actor=actor,
            step=step,
        )
        access_event_record(
            action=Action.UPDATE, user=actor, obj=step, summary=f"Hearing of step {step.pk} recorded"
        )
    return step


def referral_offer(
    *, intervention: Intervention, service: str, offered_on: dt.date, notes: str = "", actor
) -> SupportReferral:
    from .models import SupportService

    if service not in SupportService.values:
        raise ValidationError({"service": "Choose the support offered."})
    with transaction.atomic():
        version_claim(intervention, read_version=None, what="intervention")
        intervention.save(update_fields=["version"])
        referral = SupportReferral.objects.create(
            intervention=intervention,
            service=service,
            offered_on=offered_on,
            notes=notes.strip(),
            officer=actor,
        )
        _event(
            intervention,
            kind="support",
            summary=f"{referral.get_service_display()} offered on {offered_on:%-d %B %Y}",
            actor=actor,
        )
        access_event_record(
            action=Action.CREATE, user=actor, obj=referral, summary=f"Support referral {referral.pk} offered"
        )
    return referral


def referral_answer(
    *, referral: SupportReferral, taken_up: bool, on: dt.date, actor, read_version: int | None = None
) -> SupportReferral:
    with transaction.atomic():
        version_claim(referral, read_version=read_version, what="referral")
        referral.taken_up, referral.taken_up_on = taken_up, on
        referral.save()
        word = "taken up" if taken_up else "declined"
        _event(
            referral.intervention,
            kind="support",
            summary=f"{referral.get_service_display()} {word} on {on:%-d %B %Y}",
            actor=actor,
        )
        access_event_record(
            action=Action.UPDATE, user=actor, obj=referral, summary=f"Support referral {referral.pk} {word}"
        )
    return referral


def intervention_close(*, intervention: Intervention, actor, read_version: int | None = None) -> Intervention:
    with transaction.atomic():
        version_claim(intervention, read_version=read_version, what="intervention")
        if intervention.status == Status.CLOSED:
            raise ValidationError("This intervention is already closed.")
        if intervention.casework_id:
            # The case's status moves by its kind's table; the intervention's own column follows
            # it in the same transaction (the list filters on it).
            case_status_change(case=intervention.casework, to="closed", actor=actor)
        intervention.status = Status.CLOSED
        intervention.save()
        _event(intervention, kind="closed", summary="Intervention closed", actor=actor)
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=intervention,
            summary=f"Intervention {intervention.pk} closed",
        )
    return intervention


# --- Breach ----------------------------------------------------------------------------------------


def active_requirements(*, person_id=None, place_id=None, on: dt.date):
    """Steps with terms in force on `on` for this person or place."""
    steps = Step.objects.filter(
        kind__in=REQUIREMENT_KINDS, served_on__lte=on, intervention__status=Status.OPEN
    ).exclude(outcome=Outcome.DISCHARGED)
    steps = (
        steps.filter(intervention__person_id=person_id)
        if person_id
        else steps.filter(intervention__premises_id=place_id)
    )
    steps = steps.filter(models_q_in_force(on)).select_related("intervention")
    return [s for s in steps if s.has_terms or s.kind in {"closure_notice", "closure_order"}]


def models_q_in_force(on: dt.date):
    from django.db.models import Q

    return Q(expires_on__isnull=True) | Q(expires_on__gte=on)


def breach_flags_for_report(*, report, person_id=None, place_id=None) -> list[BreachFlag]:
    """Flag a possible breach for each active requirement on the report's subject. Idempotent."""
    on = report.occurred_on
    made = []
    for step in active_requirements(person_id=person_id, place_id=place_id, on=on):
        flag, created = BreachFlag.objects.get_or_create(
            step=step,
            report=report,
            defaults={
                "intervention": step.intervention,
                "owner": step.intervention.officer,
                "flagged_at": timezone.now(),
            },
        )
        if created:
            # The owning officer's notice (Notices in the menu): no name, only the reference.
            notice_create(
                recipient=step.intervention.officer,
                text=f"Possible breach on intervention {step.intervention.reference}: a new report while the "
                f"{step.get_kind_display().lower()} is in force.",
                url=f"/interventions/{step.intervention_id}/#breaches",
            )
            _event(
                step.intervention,
                kind="breach_flag",
                summary=f"Possible breach of the {step.get_kind_display()}: a report on {on:%-d %B %Y}",
                step=step,
            )
            made.append(flag)
    return made


def breach_check_link(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of people.ReportLink: the report is now known to be about a person (its subject,
    ADR 0078), or its caller or location is now a known person or place. The caller link still
    flags (ADR 0058 linked a report about a person as its "caller" before the subject role existed):
    a report the person made themselves is a flag the officer dismisses."""
    if raw or not created:
        return
    breach_flags_for_report(report=instance.report, person_id=instance.person_id, place_id=instance.place_id)


def breach_decide(*, flag: BreachFlag, status: str, actor, read_version: int | None = None) -> BreachFlag:
    if status not in (BreachStatus.CONFIRMED, BreachStatus.DISMISSED):
        raise ValidationError({"status": "Choose whether it is a breach."})
    with transaction.atomic():
        version_claim(flag, read_version=read_version, what="possible breach")
        if flag.status != BreachStatus.OPEN:
            raise ValidationError("This possible breach has already been decided.")
        flag.status, flag.decided_by, flag.decided_at = status, actor, timezone.now()
        flag.save()
        _event(
            flag.intervention,
            kind="breach",
            summary=f"Possible breach: {flag.get_status_display()}",
            actor=actor,
            step=flag.step,
        )
        access_event_record(
            action=Action.UPDATE, user=actor, obj=flag, summary=f"Possible breach {flag.pk} decided"
        )
    return flag


# --- The person-centred case (ADR 0066) ------------------------------------------------------------


def casework_update(
    *,
    intervention: Intervention,
    programme: str,
    support_plan: str,
    lawful_basis: str,
    special_category: str | None,
    agencies=(),
    actor,
    read_version: int | None = None,
) -> Intervention:
    """The case's own details: whose casework it is, the support plan, the condition for the
    criminal offence data, special category data (encrypted), and the agencies involved (each made
    party to the case, so the access selector lets its officers see it; none is removed here)."""
    if programme not in Programme.values:
        raise ValidationError({"programme": "Choose whose casework it is."})
    if lawful_basis not in LawfulBasis.values:
        raise ValidationError({"lawful_basis": "Choose the condition for processing criminal offence data."})
    for agency in agencies:
        if agency.partnership_id != intervention.partnership_id:
            raise ValidationError({"agencies": "Choose agencies of the partnership."})
    with transaction.atomic():
        version_claim(intervention, read_version=read_version, what="intervention")
        intervention.programme = programme
        intervention.support_plan = support_plan.strip()
        intervention.lawful_basis = lawful_basis
        if special_category is not None:  # None: the editor may not see it, so it stays as it is
            intervention.special_category = special_category.strip()
        intervention.save()
        added = [
            agency.name
            for agency in agencies
            if intervention.casework_id
            and application_agency_link(application=intervention.casework, agency=agency, reason="Involved")
        ]
        # The timeline says what changed, never the plan's or the special category data's content.
        _event(
            intervention,
            kind="casework",
            summary="Case details updated"
            + (f"; agencies involved added: {', '.join(added)}" if added else ""),
            actor=actor,
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=intervention,
            summary=f"Intervention {intervention.pk}: case details updated",
        )
    return intervention


def casework_protected_person_add(
    *,
    intervention: Intervention,
    role: str,
    full_name: str,
    address: str = "",
    postcode: str = "",
    date_of_birth: dt.date | None = None,
    actor,
):
    """A victim, reporter or witness on the intervention's case: never named in what is served on
    its subject (the documents are checked against them, ADR 0067)."""
    if role not in ("victim", "reporter", "witness"):
        raise ValidationError({"role": "Choose victim, reporter or witness."})
    if not full_name.strip():
        raise ValidationError({"full_name": "Enter their name."})
    with transaction.atomic():
        person = case_subject_person(
            full_name=full_name.strip(), date_of_birth=date_of_birth, address=address, postcode=postcode
        )
        person.partnership = intervention.partnership
        person.save()
        party = case_party_add(
            case=intervention.casework, role=role, person=person, since=timezone.localdate(), actor=actor
        )
        _event(intervention, kind="party", summary=f"A {role} added to the case", actor=actor)
        access_event_record(
            action=Action.CREATE, user=actor, obj=intervention, summary=f"Case party {party.pk} added"
        )
    return party


# --- The documents served for a step (ADR 0067) ----------------------------------------------------

#: The step kinds with a document to serve, and the letter kind each is written as.
STEP_DOCUMENTS = {
    "warning_letter": "intervention_warning",
    "second_warning": "intervention_warning",
    "cpw": "cpw",
    "cpn": "cpn",
    "closure_notice": "closure_notice",
}

# The words a document puts in from the step are marked for translation and left lazy: the letter
# is rendered once a language, with that language active, so a Welsh document gets them in Welsh
# (ADR 0079). What the officer typed (the behaviour, the terms) stays as typed.
AUTHORISATION_WORDS = {
    "police_inspector": gettext_lazy("a police inspector"),
    "police_superintendent": gettext_lazy("a police superintendent"),
    "council_chief_executive_designate": gettext_lazy("the council's chief executive or their designate"),
}

SUPPORT_WORDS = {
    "drug_alcohol": gettext_lazy("Drug and alcohol service"),
    "mental_health": gettext_lazy("Mental health"),
    "youth_services": gettext_lazy("Youth services"),
    "housing": gettext_lazy("Housing support"),
    "other": gettext_lazy("Other support"),
}

CPN_APPEAL = (
    gettext_lazy(
        "You may appeal against this notice to a magistrates' court within 21 days beginning with the "
        "day it was issued (Anti-social Behaviour, Crime and Policing Act 2014, s.46)."
    ),
    gettext_lazy(
        "The grounds are: that the conduct did not take place, has no detrimental effect on the quality "
        "of life of those in the locality, is not persistent or continuing, is not unreasonable, or is "
        "reasonable to expect you to be able to control; that a requirement is unreasonable; that there "
        "is a material defect or error in the notice; or that it was issued to the wrong person."
    ),
    gettext_lazy(
        "While the appeal is pending, a requirement to do something is suspended; a requirement to stop "
        "doing something stays in force."
    ),
)

BREACH_PENALTY = gettext_lazy(
    "Failing to comply with this notice without a reasonable excuse is a criminal offence (2014 Act, "
    "s.48). You may instead be offered a fixed penalty notice of up to £{amount}, and the court may "
    "order work to be done at your cost."
)


def _authorised_by(step: Step) -> str:
    """Who authorised a closure notice, in the letter's language (evaluated when rendered)."""
    if step.authorised_by:
        return step.authorised_by
    words = [str(AUTHORISATION_WORDS.get(a, a)) for a in step.authorisations]
    # Translators: joins two authorities, as in "a police inspector and a police superintendent".
    return gettext(" and ").join(words) or gettext("the issuing agency")


def document_protected(intervention: Intervention) -> list[Protected]:
    """Who a document served on the intervention's subject must never name, besides its own case's
    victims, reporters and witnesses (the letters app reads those): the victim and the applicant of
    the ASB case it arose from, and everyone whose report in the report log was about the subject
    (the callers of the reports of its possible breaches, of the reports linked as about the person
    (ADR 0078) and, for premises, of the reports at them)."""
    protected = []
    review = intervention.case
    if review is not None:
        for label, person in (("the victim", review.victim), ("the applicant", review.applicant)):
            if person is not None:
                protected.append(
                    Protected(
                        label=f"{label} of case {review.reference}",
                        name=person.full_name or person.organisation_name,
                        address=person.address,
                        postcode=person.postcode,
                        date_of_birth=person.date_of_birth,
                        phones=(person.phone,) if person.phone else (),
                    )
                )
    report_ids = set(intervention.breach_flags.values_list("report_id", flat=True))
    subject_id = intervention.person_id
    for number, (person, addresses) in enumerate(
        report_callers(
            report_ids=report_ids,
            place_id=intervention.premises_id,
            subject_person_id=subject_id,
            exclude_person_id=subject_id,
        ),
        start=1,
    ):
        for address in addresses or [""]:
            protected.append(
                Protected(
                    label=f"reporter {number}",
                    name=person.full_name,
                    aliases=tuple(line for line in person.aliases.splitlines() if line.strip()),
                    address=address,
                    date_of_birth=person.date_of_birth,
                    phones=(person.phone,) if person.phone else (),
                )
            )
    return protected


def document_values(step: Step, *, behaviour: str) -> dict:
    """What the step's document says, from the step as recorded and the law in force on its date."""
    intervention = step.intervention
    register = commencement_register()
    offered = [
        SUPPORT_WORDS.get(referral.service, referral.get_service_display())
        for referral in intervention.referrals.filter(offered_on__lte=step.served_on)
    ]
    values = {
        "behaviour": behaviour.strip(),
        "issuing_agency": step.issuing_agency.name,
        "served_on": step.served_on,
        "prohibitions": step.prohibitions,
        "requirements": step.requirements,
        "comply_by": step.comply_by,
        # Translators: as in "These terms last until further notice".
        "expires_on": step.expires_on or gettext_lazy("further notice"),
        "support_offered": offered,
    }
    if step.kind == "cpn":
        appeal = enforcement.cpn_appeal(step.served_on)
        amount = enforcement.fpn_maximum(register, nation=intervention.nation, on=step.served_on)
        values.update(
            {
                "cpn_appeal": list(CPN_APPEAL),
                "cpn_appeal_by": appeal.last_day,
                "breach_penalty": format_lazy(BREACH_PENALTY, amount=amount),
            }
        )
    if step.kind == "closure_notice":
        hours = step.duration_hours or 24
        served_at = step.served_at
        hearing = enforcement.closure_hearing(served_at, nation=intervention.nation, register=register)
        values.update(
            {
                "premises_address": intervention.premises.address if intervention.premises_id else "",
                "notice_hours": str(hours),
                # Times, written out in the letter's language by the letters app.
                "notice_ends": enforcement.closure_notice_ends(served_at, hours),
                "hearing_by": hearing.deadline,
                "authorised_by": lazy(_authorised_by, str)(step),
            }
        )
    return values


def document_recipient(
    intervention: Intervention, *, name: str = "", address: str = "", language: str = ""
) -> Recipient:
    """Who the document is served on: the person (their name, the address given), or for premises
    the occupiers at the premises' address. `language`: "cy" when they chose Welsh (ADR 0079)."""
    language = "cy" if language == "cy" else ""
    if intervention.premises_id:
        premises = intervention.premises
        return Recipient(
            name=name.strip() or "The occupiers and anyone with an interest in the premises",
            address=address.strip() or premises.address,
            postcode="" if address.strip() else premises.postcode,
            language=language,
        )
    return Recipient(
        name=name.strip() or intervention.person.full_name, address=address.strip(), language=language
    )


def step_document_preview(*, step: Step, behaviour: str, recipient: Recipient, actor):
    """The step's document as it would be served (nothing written); the disclosure findings are on
    it (`.refused`: a victim's, reporter's or witness's detail; `.held`: one that is also the
    recipient's own)."""
    kind = STEP_DOCUMENTS.get(step.kind)
    if kind is None:
        raise ValidationError("This step has no document to serve.")
    intervention = step.intervention
    return letter_preview(
        case=intervention.casework,
        kind=kind,
        actor=actor,
        extra=document_values(step, behaviour=behaviour),
        recipient=recipient,
        protected=document_protected(intervention),
    )


def step_document_issue(
    *,
    step: Step,
    behaviour: str,
    recipient: Recipient,
    actor,
    channel: str | None = None,
    submission_token: str | None = None,
):
    """Issue the step's document on the intervention's case — checked, stored as a PDF and
    dispatched through the one outbox or print queue (letters.services.letter_issue) — and tie it
    to the step, all in one transaction. Refused (LetterError: a victim's, reporter's or witness's
    detail, with what matched and where) writes nothing. A document held for a manager (the detail
    is also the recipient's own) is tied to the step and sent when released."""
    kind = STEP_DOCUMENTS.get(step.kind)
    if kind is None:
        raise ValidationError("This step has no document to serve.")
    intervention = step.intervention
    with transaction.atomic():
        version_claim(step, read_version=None, what="step")
        if step.letter_id is not None:
            if submission_token and step.letter.submission_token == submission_token:
                step.letter.already_issued = True  # the same form sent twice: the one letter
                return step.letter
            raise LetterError("This step's document has already been issued: open it from the step.")
        letter = letter_issue(
            case=intervention.casework,
            kind=kind,
            actor=actor,
            extra=document_values(step, behaviour=behaviour),
            recipient=recipient,
            channel=channel,
            submission_token=submission_token,
            protected=document_protected(intervention),
        )
        if getattr(letter, "already_issued", False):
            return letter
        step.letter = letter
        step.save()
        _event(
            intervention,
            kind="document",
            summary=f"{step.get_kind_display()}: the document was issued"
            + (" and held for a manager to release" if letter.is_held else ""),
            actor=actor,
            step=step,
        )
        access_event_record(
            action=Action.CREATE, user=actor, obj=step, summary=f"Document for step {step.pk} issued"
        )
    return letter
