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
from casereview.applications.services import (
    application_agency_link,
    case_event_record,
    case_open,
    case_subject_add,
)
from casereview.audit.services import Action, LawfulBasis, access_event_record
from casereview.core.case_kinds import PANEL_CASE_PREFIX
from casereview.core.panel_kinds import (
    CASE_REVIEW,
    CriteriaResult,
    HotspotFact,
    PanelKind,
    ReferralFacts,
    referral_criteria_check,
)
from casereview.notifications.services import staff_notify
from casereview.people.selectors import people_visible_to, places_visible_to
from casereview.people.services import (
    PersonData,
    PlaceData,
    case_party_link,
    household_at_place,
    person_create,
    place_find_or_create,
    uprn_normalise,
)
from casereview.reports.selectors import location_hotspot_count, log_wide_access, triage_get

from .hooks import referral_made
from .models import ConsentChoice, Referral, ReferralSource, SubjectKind

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
    # Who or what is referred (ADR 0076): "person" (above), "household" (the members below, at the
    # place below) or "address" (the place below).
    subject_kind: str = SubjectKind.PERSON
    household_profiles: list[int] = field(default_factory=list)
    household_names: list[str] = field(default_factory=list)
    place_profile: int | None = None
    address: str = ""
    postcode: str = ""
    uprn: str = ""
    # How it arrived: from a repeat caller's triage (its id), or from a hotspot (its location key).
    triage_id: int | None = None
    hotspot_location: str = ""


@dataclass
class _Subject:
    """The subject as found (existing profiles) or to be recorded (new names, a new place)."""

    kind: str
    person: object | None = None
    person_name: str = ""
    members: list = field(default_factory=list)
    member_names: list[str] = field(default_factory=list)
    place: object | None = None
    place_data: PlaceData | None = None


def _subject_find(data: ReferralData, actor, errors: dict) -> _Subject:
    """Check the subject the referrer gave, finding the profiles named by number among those the
    user may see. Errors name the field; nothing is written here."""
    subject = _Subject(kind=data.subject_kind)
    if data.subject_kind not in SubjectKind.values:
        errors["subject_kind"] = "Choose whether you are referring a person, a household or an address."
        return subject
    if data.subject_kind == SubjectKind.PERSON:
        if data.person_profile and data.person_name.strip():
            errors["person_name"] = "Give the person's profile number or their name, not both."
        elif data.person_profile:
            subject.person = (
                people_visible_to(actor).filter(pk=data.person_profile, merged_into__isnull=True).first()
            )
            if subject.person is None:
                errors["person_profile"] = "There is no person profile with that number you may see."
        elif not data.person_name.strip():
            errors["person_name"] = "Enter the name of the person you are referring."
        subject.person_name = data.person_name.strip()
        return subject
    if data.subject_kind == SubjectKind.HOUSEHOLD:
        numbers = list(dict.fromkeys(data.household_profiles))
        found = {p.pk: p for p in people_visible_to(actor).filter(pk__in=numbers, merged_into__isnull=True)}
        missing = [str(n) for n in numbers if n not in found]
        if missing:
            errors["household_profiles"] = (
                f"There is no person profile you may see numbered {', '.join(missing)}: check the numbers."
            )
        subject.members = [found[n] for n in numbers if n in found]
        subject.member_names = [name.strip() for name in data.household_names if name.strip()]
        if not missing and len(numbers) + len(subject.member_names) < 2:
            errors["household_names"] = (
                "A household is two or more people at one address: add the others, or refer one person."
            )
    # A household or an address: the place.
    if data.place_profile and (data.address.strip() or data.uprn.strip()):
        errors["address"] = "Give the place's number or its address, not both."
    elif data.place_profile:
        subject.place = (
            places_visible_to(actor).filter(pk=data.place_profile, merged_into__isnull=True).first()
        )
        if subject.place is None:
            errors["place_profile"] = "There is no place with that number you may see."
    elif data.address.strip() or data.uprn.strip():
        if data.uprn.strip() and not uprn_normalise(data.uprn):
            errors["uprn"] = "A UPRN is a number of up to 12 digits, like 100031234567."
        subject.place_data = PlaceData(address=data.address.strip(), uprn=data.uprn, postcode=data.postcode)
    else:
        errors["address"] = (
            "Enter the address the household lives at."
            if data.subject_kind == SubjectKind.HOUSEHOLD
            else "Enter the address you are referring."
        )
    return subject


def _hotspot_fact(partnership, data: ReferralData, subject: _Subject, today: dt.date) -> HotspotFact | None:
    """The address's reports in the hotspot window ending today, counted by the report log under
    the hotspot's location key (from the hotspots page), else the address's UPRN, else its address
    as written. None without a hotspot rule, or for a person or a household."""
    if subject.kind != SubjectKind.ADDRESS:
        return None
    keys = [data.hotspot_location.strip()]
    place = subject.place
    if place is not None:
        keys += [place.uprn, place.address]
    elif subject.place_data is not None:
        keys += [uprn_normalise(subject.place_data.uprn), subject.place_data.address]
    best = None
    for key in dict.fromkeys(k for k in keys if k):
        counted = location_hotspot_count(partnership, key, today)
        if counted is None:
            return None
        if best is None or counted["reports"] > best["reports"]:
            best = counted
    return HotspotFact(**best) if best else None


def referral_make(
    *, partnership, kind: PanelKind, data: ReferralData, actor, today: dt.date | None = None
) -> Referral:
    today = today or timezone.localdate()
    if kind.code == CASE_REVIEW:
        raise ValidationError(
            "No one is referred to the ASB Case Review panel: a review comes to it when the review is "
            "accepted (ADR 0088)."
        )
    errors = {}
    if not data.summary.strip():
        errors["summary"] = "Say why you are referring them."
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
    subject = _subject_find(data, actor, errors)
    triage = None
    if data.triage_id is not None:
        triage = triage_get(partnership.pk, data.triage_id) if log_wide_access(actor) else None
        if triage is None:
            errors["__all__"] = (
                "That repeat caller's triage is not one you may refer from: start from the triage."
            )
        elif "repeat_caller_triage" not in kind.referred_from:
            errors["__all__"] = f"{kind.name} does not take referrals from a repeat caller's triage."
    if data.hotspot_location.strip() and "hotspot" not in kind.referred_from:
        errors["__all__"] = f"{kind.name} does not take referrals from the hotspots."
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
            subject=subject.kind,
            hotspot=_hotspot_fact(partnership, data, subject, today),
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None
    result = referral_criteria_check(kind, facts)
    if not result.met:
        raise CriteriaNotMet(result)
    reasons = list(result.reasons) + (list(assessment.reasons) if assessment else [])
    source = ReferralSource.FORM
    if triage is not None:
        source = ReferralSource.REPEAT_CALLER_TRIAGE
    elif data.hotspot_location.strip():
        source = ReferralSource.HOTSPOT
    with transaction.atomic():
        person, place, members = _subject_record(partnership, subject, actor)
        referral = Referral.objects.create(
            partnership=partnership,
            panel_kind=kind.code,
            subject_kind=subject.kind,
            person=person,
            place=place,
            source=source,
            triage=triage,
            hotspot_location=data.hotspot_location.strip()[:300] if source == ReferralSource.HOTSPOT else "",
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
        if members:
            referral.household.set(members)
        referral.case = case_open(
            partnership=partnership,
            kind=PANEL_CASE_PREFIX + kind.code,
            received_on=today,
            actor=actor,
            subject_name=person.full_name if person else "",
            summary=referral.summary,
        )
        referral.save(update_fields=["case"])
        _parties_record(referral, members or ([person] if person else []), actor, today)
        application_agency_link(application=referral.case, agency=actor.agency, reason="Referred the case")
        _arrival_record(referral, kind, subject, actor, today)
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


def _subject_record(partnership, subject: _Subject, actor):
    """Record what the referral names that is not yet on the kernel: a new person profile for a
    name, the place (found by UPRN or address, or new), and a household's members as living there."""
    person = subject.person
    if subject.kind == SubjectKind.PERSON and person is None:
        person = person_create(
            partnership=partnership, data=PersonData(full_name=subject.person_name), actor=actor
        )
    place = subject.place
    if place is None and subject.place_data is not None:
        place = place_find_or_create(partnership=partnership, data=subject.place_data, actor=actor)
    members = []
    if subject.kind == SubjectKind.HOUSEHOLD:
        members = list(subject.members) + [
            person_create(partnership=partnership, data=PersonData(full_name=name), actor=actor)
            for name in subject.member_names
        ]
        household_at_place(people=members, place=place, actor=actor)
        person = members[0]
    return person, place, members


def _parties_record(referral: Referral, people, actor, today: dt.date) -> None:
    """Each person the referral is about is a `subject` party of the case, linked to their profile:
    `case_open` recorded the first; a household's others are added here (ADR 0076)."""
    if not people:
        return
    first = case_parties(referral.case).get(role="subject").person
    case_party_link(person=people[0], party=first, actor=actor)
    for member in people[1:]:
        party = case_subject_add(case=referral.case, full_name=member.full_name, since=today, actor=actor)
        case_party_link(person=member, party=party.person, actor=actor)


def _arrival_record(referral: Referral, kind: PanelKind, subject: _Subject, actor, today: dt.date) -> None:
    """The case's timeline says what the case is about when it is not one person, and how the
    referral arrived (a triage, a hotspot): an event each, in the referral's transaction. No names."""
    if subject.kind == SubjectKind.HOUSEHOLD:
        count = referral.household.count()
        case_event_record(
            application=referral.case,
            kind="panel_subject_household",
            summary=f"The referral is about a household of {count} people at one address: "
            "each is on the case.",
            actor=actor,
            occurred_on=today,
            data={"members": count, "place": referral.place_id},
        )
    elif subject.kind == SubjectKind.ADDRESS:
        case_event_record(
            application=referral.case,
            kind="panel_subject_address",
            summary="The referral is about an address: the place is linked to the case.",
            actor=actor,
            occurred_on=today,
            data={"place": referral.place_id},
        )
    if referral.source == ReferralSource.REPEAT_CALLER_TRIAGE:
        case_event_record(
            application=referral.case,
            kind="panel_referred_from_triage",
            summary=f"Referred to {kind.name} from a repeat caller's triage of "
            f"{referral.triage.as_of:%-d %B %Y}.",
            actor=actor,
            occurred_on=today,
            data={"triage": referral.triage_id},
        )
    elif referral.source == ReferralSource.HOTSPOT:
        case_event_record(
            application=referral.case,
            kind="panel_referred_from_hotspot",
            summary=f"Referred to {kind.name} as a hotspot of the report log.",
            actor=actor,
            occurred_on=today,
        )


# --- People and places merged (people.merges) ---------------------------------------------------------

_HOUSEHOLD = Referral.household.through
_MERGE_MODELS = {Referral._meta.label_lower: Referral, _HOUSEHOLD._meta.label_lower: _HOUSEHOLD}


def referrals_merge_move(*, kind: str, kept, duplicate, actor=None) -> list[list]:
    """A merge of two people (or places) moves what the referrals point at to the kept record: a
    referral's person, its household members and its place. A household holding both keeps the
    duplicate's membership (one membership a person and referral), which the unmerge then finds
    where it was. Returns the rows moved as [label, id, field] for the merge record; the case's
    subject parties are the people app's own links (moved by the merge itself)."""
    moved = []
    if kind == "person":
        ids = list(
            Referral.objects.filter(person_id=duplicate.pk).order_by("pk").values_list("pk", flat=True)
        )
        Referral.objects.filter(pk__in=ids).update(person_id=kept.pk)
        moved += [[Referral._meta.label_lower, pk, "person"] for pk in ids]
        both = _HOUSEHOLD.objects.filter(person_id=kept.pk).values("referral_id")
        rows = _HOUSEHOLD.objects.filter(person_id=duplicate.pk).exclude(referral_id__in=both)
        ids = list(rows.order_by("pk").values_list("pk", flat=True))
        _HOUSEHOLD.objects.filter(pk__in=ids).update(person_id=kept.pk)
        moved += [[_HOUSEHOLD._meta.label_lower, pk, "person"] for pk in ids]
    else:
        ids = list(Referral.objects.filter(place_id=duplicate.pk).order_by("pk").values_list("pk", flat=True))
        Referral.objects.filter(pk__in=ids).update(place_id=kept.pk)
        moved += [[Referral._meta.label_lower, pk, "place"] for pk in ids]
    return moved


def referrals_merge_restore(*, kind: str, kept, duplicate, moved: list[list], actor=None) -> None:
    """The unmerge: exactly the rows the merge moved go back to the duplicate (one since pointed
    elsewhere is left as it is), and those made since that the officer sent to the duplicate
    (`referrals_merge_made_since`)."""
    for label, pk, points_at in moved:
        model = _MERGE_MODELS.get(label)
        if model is None or points_at not in ("person", "place"):
            continue
        model.objects.filter(pk=pk, **{f"{points_at}_id": kept.pk}).update(
            **{f"{points_at}_id": duplicate.pk}
        )


def referrals_merge_counts(*, kind: str, kept, duplicate) -> dict[str, int]:
    """What a merge would move, for its confirmation page (as `referrals_merge_move` moves it)."""
    counts = {}
    if kind == "person":
        counts["panel referrals (the person referred)"] = Referral.objects.filter(
            person_id=duplicate.pk
        ).count()
        both = _HOUSEHOLD.objects.filter(person_id=kept.pk).values("referral_id")
        counts["panel referrals' households"] = (
            _HOUSEHOLD.objects.filter(person_id=duplicate.pk).exclude(referral_id__in=both).count()
        )
    else:
        counts["panel referrals (the place referred)"] = Referral.objects.filter(
            place_id=duplicate.pk
        ).count()
    return {what: count for what, count in counts.items() if count}


def referrals_merge_describe(*, row, field: str) -> str:
    """A referral (or a household's membership) made since a merge, in words, for the unmerge page."""
    if isinstance(row, _HOUSEHOLD):
        referral, what = row.referral, "a member of its household"
    else:
        referral, what = row, ("the person referred" if field == "person" else "the place referred")
    which = referral.case.reference if referral.case_id else f"number {referral.pk}"
    return f"The panel referral {which} ({what})"


def referrals_merge_made_since(*, kind: str, kept, since) -> list[tuple[object, str]]:
    """The referrals made after a merge that point at the kept record — a referral's person, a
    household's membership (a household is named when the referral is made), a referral's place —
    as (row, field): the unmerge asks the officer which record each belongs to, as it does for the
    referral's case subject (the people app's own link, made at the same time)."""
    made = Referral.objects.filter(created_at__gte=since)
    if kind == "place":
        return [(referral, "place") for referral in made.filter(place_id=kept.pk).order_by("pk")]
    found = [(referral, "person") for referral in made.filter(person_id=kept.pk).order_by("pk")]
    members = _HOUSEHOLD.objects.filter(person_id=kept.pk, referral__in=made.values("pk"))
    found += [(member, "person") for member in members.order_by("pk")]
    return found
