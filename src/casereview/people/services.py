"""Writes to people and places. Each runs in one transaction and writes its access-log row in it.

Names follow `<noun>_<verb>` with keyword-only arguments. Nothing here puts a name, an identifier
or an address into the access log: rows name the record (its id), never its contents.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from casereview.audit.services import Action, access_event_record
from casereview.core.names import fold
from casereview.reports.keys import caller_key_normalise
from casereview.web.concurrency import history_claim, row_lock

from .merges import merge_links_made_since, merge_links_move, merge_links_restore
from .models import (
    AccessRequestStatus,
    CaseAccessRequest,
    CasePartyLink,
    Identifier,
    IdentifierKind,
    Merge,
    MergeKind,
    Person,
    PersonLink,
    PersonPlaceLink,
    Place,
    PlaceLinkKind,
    ReportLink,
    ReportRole,
    ResolvedBy,
)

_UPRN = re.compile(r"\d{1,12}")


# --- Keys --------------------------------------------------------------------------------------------


def identifier_normalise(kind: str, value: str) -> str:
    """An identifier as it is kept: NHS and NI numbers without spaces, upper case; a partner key
    exactly as the partner sent it ("CX-0042", contracts §7)."""
    value = (value or "").strip()
    if kind == IdentifierKind.PARTNER_KEY:
        return value
    return re.sub(r"\s+", "", value).upper()


def _match_form(kind: str, value: str) -> str:
    # A partner key is matched in the form the report log matches callers by (reports.keys,
    # `Report.caller_match`), so "CX-0042" on a person finds a report sent as "cx-0042" too.
    if kind == IdentifierKind.PARTNER_KEY:
        return caller_key_normalise(value)
    return identifier_normalise(kind, value)


def identifier_lookup(kind: str, value: str) -> str:
    """A keyed digest (HMAC-SHA256 under SECRET_KEY) of the identifier's match form: equal values
    have equal digests, and the digest alone tells nothing of the value."""
    return salted_hmac("casereview.people.identifier", f"{kind}:{_match_form(kind, value)}").hexdigest()


def name_key_of(full_name: str, aliases: str) -> str:
    names = [full_name, *[line for line in aliases.splitlines() if line.strip()]]
    return "|" + "|".join(fold(name) for name in names if fold(name)) + "|"


def postcode_key_of(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode or "").upper()


def uprn_normalise(text: str) -> str:
    """A UPRN as digits without leading zeros, or "" if the text is not a UPRN."""
    text = (text or "").strip()
    if text.upper().startswith("UPRN"):
        text = text[4:].strip(" :")
    return str(int(text)) if _UPRN.fullmatch(text) else ""


# --- People and places -------------------------------------------------------------------------------


@dataclass
class PersonData:
    full_name: str
    aliases: str = ""
    date_of_birth: dt.date | None = None
    email: str = ""
    phone: str = ""
    health_notes: str = ""
    offence_notes: str = ""


def person_create(*, partnership, data: PersonData, actor) -> Person:
    if not data.full_name.strip():
        raise ValidationError({"full_name": "Enter the person's name."})
    with transaction.atomic():
        person = Person.objects.create(
            partnership=partnership,
            full_name=data.full_name.strip(),
            aliases=data.aliases.strip(),
            name_key=name_key_of(data.full_name, data.aliases),
            date_of_birth=data.date_of_birth,
            email=data.email.strip(),
            phone=data.phone.strip(),
            health_notes=data.health_notes,
            offence_notes=data.offence_notes,
        )
        access_event_record(
            action=Action.CREATE, user=actor, obj=person, summary=f"Person profile {person.pk} created"
        )
    return person


@dataclass
class PlaceData:
    address: str
    uprn: str = ""
    postcode: str = ""
    ward: str = ""
    latitude: float | None = None
    longitude: float | None = None


def place_create(*, partnership, data: PlaceData, actor) -> Place:
    if not data.address.strip():
        raise ValidationError({"address": "Enter the address."})
    uprn = ""
    if data.uprn.strip():
        uprn = uprn_normalise(data.uprn)
        if not uprn:
            raise ValidationError({"uprn": "A UPRN is a number of up to 12 digits, like 100031234567."})
    with transaction.atomic():
        if (
            uprn
            and Place.objects.filter(partnership=partnership, uprn=uprn, merged_into__isnull=True).exists()
        ):
            raise ValidationError(
                {"uprn": "A place with this UPRN is already recorded: search for it instead."}
            )
        place = Place.objects.create(
            partnership=partnership,
            address=data.address.strip(),
            address_key=fold(data.address),
            uprn=uprn,
            postcode=data.postcode.strip().upper(),
            postcode_key=postcode_key_of(data.postcode),
            ward=data.ward.strip(),
            latitude=data.latitude,
            longitude=data.longitude,
        )
        access_event_record(action=Action.CREATE, user=actor, obj=place, summary=f"Place {place.pk} created")
    return place


def place_find_or_create(*, partnership, data: PlaceData, actor) -> Place:
    """The partnership's place at this UPRN, or else at this address (the same words, folded, and
    the same postcode when one is given), or a new place (`place_create`): how a referral's address
    or a hotspot's location key (a UPRN or an address) becomes a place on the kernel (ADR 0076)."""
    places = Place.objects.filter(partnership=partnership, merged_into__isnull=True)
    uprn = uprn_normalise(data.uprn) or uprn_normalise(data.address)
    if uprn:
        found = places.filter(uprn=uprn).order_by("pk").first()
        if found is not None:
            return found
    if data.address.strip() and not uprn_normalise(data.address):
        same = places.filter(address_key=fold(data.address))
        if data.postcode.strip():
            same = same.filter(postcode_key=postcode_key_of(data.postcode))
        found = same.order_by("pk").first()
        if found is not None:
            return found
    address = data.address if not uprn_normalise(data.address) else f"UPRN {uprn}"
    return place_create(
        partnership=partnership,
        data=PlaceData(address=address, uprn=uprn, postcode=data.postcode, ward=data.ward),
        actor=actor,
    )


def household_at_place(*, people, place: Place, actor) -> list[PersonPlaceLink]:
    """Link each of ``people`` as living at ``place`` (a household, ADR 0076), unless they already
    are (a current "lives at" link). Returns the links made."""
    made = []
    with transaction.atomic():
        for person in people:
            if PersonPlaceLink.objects.filter(
                person=person, place=place, kind=PlaceLinkKind.LIVES_AT, ended_on__isnull=True
            ).exists():
                continue
            made.append(
                person_place_link(person=person, place=place, kind=PlaceLinkKind.LIVES_AT, actor=actor)
            )
    return made


def identifier_add(*, person: Person, kind: str, value: str, agency=None, actor) -> Identifier:
    if kind not in IdentifierKind.values:
        raise ValidationError({"kind": "Choose what kind of identifier this is."})
    if not identifier_normalise(kind, value):
        raise ValidationError({"value": "Enter the identifier."})
    if agency is not None and agency.partnership_id != person.partnership_id:
        raise ValidationError({"agency": "Choose an agency of your partnership."})
    with transaction.atomic():
        identifier = Identifier.objects.create(
            person=person,
            kind=kind,
            agency=agency,
            value=identifier_normalise(kind, value),
            lookup=identifier_lookup(kind, value),
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=person,
            summary=f"Identifier added to person profile {person.pk}",
        )
    return identifier


def person_place_link(
    *, person: Person, place: Place, kind: str, started_on=None, ended_on=None, actor
) -> PersonPlaceLink:
    if kind not in PlaceLinkKind.values:
        raise ValidationError({"kind": "Choose how the person is linked to the place."})
    if person.partnership_id != place.partnership_id:
        raise ValidationError("The person and the place belong to different partnerships.")
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": "The end date must be on or after the start date."})
    with transaction.atomic():
        link = PersonPlaceLink.objects.create(
            person=person, place=place, kind=kind, started_on=started_on, ended_on=ended_on, created_by=actor
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=person,
            summary=f"Person profile {person.pk} linked to place {place.pk}",
        )
    return link


def person_person_link(*, person: Person, other: Person, started_on=None, ended_on=None, actor) -> PersonLink:
    if person.pk == other.pk or person.partnership_id != other.partnership_id:
        raise ValidationError({"other": "Choose another person of your partnership."})
    with transaction.atomic():
        link = PersonLink.objects.create(
            person=person, other=other, started_on=started_on, ended_on=ended_on, created_by=actor
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=person,
            summary=f"Person profile {person.pk} linked to {other.pk}",
        )
    return link


def case_party_link(*, person: Person, party, actor) -> CasePartyLink:
    """Say that a case's victim or applicant (applications.Person) is this person."""
    if party.partnership_id != person.partnership_id:
        raise ValidationError({"person": "Choose a person of the case's partnership."})
    with transaction.atomic():
        link, _ = CasePartyLink.objects.update_or_create(
            party=party, defaults={"person": person, "created_by": actor}
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=person,
            summary=f"Case party {party.pk} linked to person profile {person.pk}",
        )
    return link


# --- The report log: a report's caller and location resolved to a person and a place ---------------


def report_resolve(*, report, actor=None) -> list[ReportLink]:
    """Resolve what can be resolved without an officer: the caller by a partner key recorded on
    a person (the key exactly as the partner sent it, of the agency the report went to, or of no
    agency), the location by a place's UPRN. Returns the links made."""
    made = []
    with transaction.atomic():
        if report.caller and not ReportLink.objects.filter(report=report, role=ReportRole.CALLER).exists():
            lookup = identifier_lookup(IdentifierKind.PARTNER_KEY, report.caller)
            people = Person.objects.filter(
                partnership_id=report.partnership_id,
                merged_into__isnull=True,
                identifiers__kind=IdentifierKind.PARTNER_KEY,
                identifiers__lookup=lookup,
            ).filter(models_q_agency(report.agency_id))
            found = list(people.distinct()[:2])
            if len(found) == 1:
                made.append(
                    ReportLink.objects.create(
                        report=report,
                        role=ReportRole.CALLER,
                        person=found[0],
                        resolved_by=ResolvedBy.PARTNER_KEY,
                        created_by=actor,
                    )
                )
        uprn = uprn_normalise(report.location)
        if uprn and not ReportLink.objects.filter(report=report, role=ReportRole.LOCATION).exists():
            place = Place.objects.filter(
                partnership_id=report.partnership_id, uprn=uprn, merged_into__isnull=True
            ).first()
            if place is not None:
                made.append(
                    ReportLink.objects.create(
                        report=report,
                        role=ReportRole.LOCATION,
                        place=place,
                        resolved_by=ResolvedBy.UPRN,
                        created_by=actor,
                    )
                )
    return made


def models_q_agency(agency_id):
    from django.db.models import Q

    return Q(identifiers__agency_id=agency_id) | Q(identifiers__agency__isnull=True)


def reports_resolve(*, reports, actor=None) -> int:
    """`report_resolve` for each report; how many links were made."""
    return sum(len(report_resolve(report=report, actor=actor)) for report in reports)


def report_link_confirm(
    *, report, person: Person | None = None, place: Place | None = None, actor
) -> ReportLink:
    """An officer's confirmation that a report's caller is this person, or its location this place.
    A partner key on the report is added to the person, so the next report resolves by itself."""
    if (person is None) == (place is None):
        raise ValidationError("Choose a person or a place.")
    record = person or place
    if record.partnership_id != report.partnership_id:
        raise ValidationError("Choose a person or place of the report's partnership.")
    role = ReportRole.CALLER if person is not None else ReportRole.LOCATION
    with transaction.atomic():
        if ReportLink.objects.select_for_update().filter(report=report, role=role).exists():
            raise ValidationError(f"The report's {role} is already resolved.")
        link = ReportLink.objects.create(
            report=report,
            role=role,
            person=person,
            place=place,
            resolved_by=ResolvedBy.OFFICER,
            created_by=actor,
        )
        if person is not None and report.caller:
            lookup = identifier_lookup(IdentifierKind.PARTNER_KEY, report.caller)
            if not person.identifiers.filter(kind=IdentifierKind.PARTNER_KEY, lookup=lookup).exists():
                Identifier.objects.create(
                    person=person,
                    kind=IdentifierKind.PARTNER_KEY,
                    agency_id=report.agency_id,
                    value=identifier_normalise(IdentifierKind.PARTNER_KEY, report.caller),
                    lookup=lookup,
                )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=report,
            summary=f"Report {report.pk}'s {role} confirmed as {type(record).__name__.lower()} {record.pk}",
        )
    return link


def reports_about(person: Person):
    """The links saying that reports are about this person (ADR 0078): the version of the
    person's "reports about them" list is how many there are (web.concurrency.history_claim)."""
    return ReportLink.objects.filter(person=person, role=ReportRole.SUBJECT)


def report_subject_link(*, report, person: Person, actor, read_version: int | None = None) -> ReportLink:
    """An officer's confirmation that a report is about this person (ADR 0078): the alleged
    perpetrator, not the caller. Then the report's caller is protected from what is served on the
    person (interventions, ADR 0067), and a report while a requirement on them is in force is a
    possible breach (the interventions app's post_save of ReportLink).

    `read_version` is how many reports the person's page listed as about them: refused
    (`StaleRecord`) when another was linked since. The person is locked while the link is made;
    a report already linked to them is refused and nothing is written."""
    if person.partnership_id != report.partnership_id:
        raise ValidationError("Choose a person of the report's partnership.")
    if person.merged_into_id:
        raise ValidationError("This record is merged into another: link the report to that one.")
    with transaction.atomic():
        person = history_claim(
            person, reports_about(person), read_version=read_version, what="list of reports about the person"
        )
        if reports_about(person).filter(report=report).exists():
            raise ValidationError({"agency_reference": "This report is already linked as about this person."})
        link = ReportLink.objects.create(
            report=report,
            role=ReportRole.SUBJECT,
            person=person,
            resolved_by=ResolvedBy.OFFICER,
            created_by=actor,
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=report,
            summary=f"Report {report.pk} confirmed as about person {person.pk}",
        )
    return link


# --- Access to a case, asked for through search and signpost ----------------------------------------


def access_request_create(*, case, person: Person | None, reason: str, actor) -> CaseAccessRequest:
    """Ask, for the officer's agency, to see one case. The officer cannot see it yet (or this is
    pointless): the caller found it through the person, without showing it."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why your agency needs to see the case."})
    if actor.agency_id is None:
        raise ValidationError("Only an officer of an agency can ask for access for their agency.")
    with transaction.atomic():
        existing = CaseAccessRequest.objects.filter(
            case=case, agency_id=actor.agency_id, status=AccessRequestStatus.PENDING
        ).first()
        if existing is not None:
            return existing
        request = CaseAccessRequest.objects.create(
            case=case,
            agency_id=actor.agency_id,
            person=person,
            requested_by=actor,
            requested_at=timezone.now(),
            reason=reason.strip(),
        )
        access_event_record(
            action=Action.CREATE,
            user=actor,
            obj=request,
            case_reference=case.reference,
            summary=f"Access to a case asked for (request {request.pk})",
        )
    return request


def access_request_decide(
    *, request: CaseAccessRequest, grant: bool, reason: str, actor
) -> CaseAccessRequest:
    """The lead agency grants or refuses one request. Locks the request; a decided request stays
    decided (ask again for a new decision). A grant widens `applications_visible_to` for the
    requesting agency's officers, for this case only."""
    if not grant and not reason.strip():
        raise ValidationError({"reason": "Say why access is refused: the officer reads it."})
    with transaction.atomic():
        request = row_lock(request)
        if request.status != AccessRequestStatus.PENDING:
            raise ValidationError("This request has already been decided.")
        request.status = AccessRequestStatus.GRANTED if grant else AccessRequestStatus.REFUSED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_reason = reason.strip()
        request.version += 1
        request.save()
        access_event_record(
            action=Action.DISCLOSE if grant else Action.UPDATE,
            user=actor,
            obj=request,
            case_reference=request.case.reference,
            recipient=str(request.agency) if grant else "",
            purpose="Access to a case granted through search and signpost" if grant else "",
            lawful_basis="asbcpa2014_sch4_para7" if grant else "",
            summary=f"Access request {request.pk} {'granted' if grant else 'refused'}",
        )
    return request


# --- Merge and unmerge -------------------------------------------------------------------------------

# The links that point at a person, and at a place: (model, field).
PERSON_LINKS = (
    (Identifier, "person"),
    (PersonPlaceLink, "person"),
    (PersonLink, "person"),
    (PersonLink, "other"),
    (CasePartyLink, "person"),
    (ReportLink, "person"),
    (CaseAccessRequest, "person"),
)
PLACE_LINKS = ((PersonPlaceLink, "place"), (ReportLink, "place"))


def _links(kind: str):
    return PERSON_LINKS if kind == MergeKind.PERSON else PLACE_LINKS


def _model(kind: str):
    return Person if kind == MergeKind.PERSON else Place


def record_merge(*, kind: str, kept, duplicate, reason: str, actor) -> Merge:
    """Merge `duplicate` into `kept`: every link to the duplicate moves to the kept record, each one
    listed in the merge record; the duplicate stays (hidden from search, its page pointing to the
    kept record) so that an unmerge can bring it back exactly."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why these are the same, so the merge can be checked."})
    model = _model(kind)
    with transaction.atomic():
        kept, duplicate = row_lock(kept), row_lock(duplicate)
        if kept.pk == duplicate.pk or kept.partnership_id != duplicate.partnership_id:
            raise ValidationError({"duplicate": "Choose another record of the same partnership."})
        if kept.merged_into_id or duplicate.merged_into_id:
            raise ValidationError({"duplicate": "One of these is already merged: unmerge it first."})
        moved = []
        for link_model, field in _links(kind):
            rows = link_model.objects.filter(**{field: duplicate})
            if link_model is ReportLink and kind == MergeKind.PERSON:
                # A report about both stays linked to each (one link a person and report): the
                # duplicate keeps its own, which the unmerge then finds where it was.
                rows = rows.exclude(
                    role=ReportRole.SUBJECT,
                    report_id__in=ReportLink.objects.filter(role=ReportRole.SUBJECT, person=kept).values(
                        "report_id"
                    ),
                )
            ids = list(rows.order_by("pk").values_list("pk", flat=True))
            link_model.objects.filter(pk__in=ids).update(**{field: kept})
            moved += [[link_model._meta.label_lower, pk, field] for pk in ids]
        # Other apps' rows (a panel referral's person, household and place; a tracked address's
        # place and occupant), through their services.
        moved += merge_links_move(kind=kind, kept=kept, duplicate=duplicate, actor=actor)
        model.objects.filter(pk=duplicate.pk).update(merged_into=kept, version=duplicate.version + 1)
        merge = Merge.objects.create(
            partnership_id=kept.partnership_id,
            kind=kind,
            kept_id=kept.pk,
            duplicate_id=duplicate.pk,
            reason=reason.strip(),
            moved=moved,
            merged_by=actor,
            merged_at=timezone.now(),
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=kept,
            summary=f"Merge {merge.pk}: {kind} {duplicate.pk} merged into {kept.pk} ({len(moved)} links)",
            details={"merge": merge.pk, "kept": kept.pk, "duplicate": duplicate.pk},
        )
    return merge


def links_made_after(merge: Merge) -> list[tuple[object, str, str]]:
    """The links to the kept record made after the merge: (link, field, owner), the owner "" for
    the people app's own links and the registrant's name for another app's (`merges`: a referral
    made to the kept person since). The unmerge asks where each goes."""
    from django.db.models import Q

    moved = {(entry[0], entry[1]) for entry in merge.moved}
    found = []
    for link_model, field in _links(merge.kind):
        rows = link_model.objects.filter(**{f"{field}_id": merge.kept_id})
        date_field = "requested_at" if link_model is CaseAccessRequest else "created_at"
        rows = rows.filter(Q(**{f"{date_field}__gte": merge.merged_at}))
        for row in rows.order_by("pk"):
            if (link_model._meta.label_lower, row.pk) not in moved:
                found.append((row, field, ""))
    kept = _model(merge.kind).objects.get(pk=merge.kept_id)
    for row, field, owner in merge_links_made_since(kind=merge.kind, kept=kept, since=merge.merged_at):
        if (row._meta.label_lower, row.pk) not in moved:
            found.append((row, field, owner))
    return found


def record_unmerge(*, merge: Merge, reason: str, choices: dict[str, str], actor) -> Merge:
    """Undo a merge: the links it moved go back to the duplicate exactly; each link made since —
    the people app's own and other apps' (a referral made to the kept person since) — goes where
    the officer chose (`choices`: "label:pk:field" → "kept" or "duplicate"), recorded. Another
    app's row sent to the duplicate goes through that app's own `restore` (`merges`)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why these are different people or places."})
    from django.apps import apps

    model = _model(merge.kind)
    with transaction.atomic():
        merge = row_lock(merge)
        if merge.unmerged_at is not None:
            raise ValidationError("This merge has already been undone.")
        kept = model.objects.select_for_update().get(pk=merge.kept_id)
        duplicate = model.objects.select_for_update().get(pk=merge.duplicate_id)
        after = links_made_after(merge)
        recorded = []
        theirs = []  # other apps' rows sent to the duplicate: [label, pk, field, registrant]
        for link, field, owner in after:
            key = f"{link._meta.label_lower}:{link.pk}:{field}"
            choice = choices.get(key)
            if choice not in ("kept", "duplicate"):
                raise ValidationError({"choices": "Say, for each link made since the merge, where it goes."})
            recorded.append([link._meta.label_lower, link.pk, field, choice])
            if owner and choice == "duplicate":
                theirs.append([link._meta.label_lower, link.pk, field, owner])
        for entry in merge.moved:
            if len(entry) > 3:
                continue  # another app's row: its own service puts it back (below)
            label, pk, field = entry
            apps.get_model(label).objects.filter(pk=pk, **{f"{field}_id": kept.pk}).update(
                **{field: duplicate}
            )
        merge_links_restore(
            kind=merge.kind, kept=kept, duplicate=duplicate, moved=merge.moved + theirs, actor=actor
        )
        own_labels = {link_model._meta.label_lower for link_model, _ in _links(merge.kind)}
        for label, pk, field, choice in recorded:
            if choice == "duplicate" and label in own_labels:
                apps.get_model(label).objects.filter(pk=pk).update(**{field: duplicate})
        model.objects.filter(pk=duplicate.pk).update(merged_into=None, version=duplicate.version + 1)
        merge.unmerge_reason = reason.strip()
        merge.after_choices = recorded
        merge.unmerged_by = actor
        merge.unmerged_at = timezone.now()
        merge.save()
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=kept,
            summary=f"Merge {merge.pk} undone: {merge.kind} {duplicate.pk} separated from {kept.pk}",
            details={"merge": merge.pk, "after": len(recorded)},
        )
    return merge
