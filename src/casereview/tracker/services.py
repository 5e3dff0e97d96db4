"""Writes of the cuckooing address tracker: each one transaction, each with its event (the
timeline) and its access-log row in that same transaction (docs/tracker.md, ADR 0063)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from casereview.audit.services import Action, access_event_record
from casereview.core.tracker import address_key, addresses_match, report_matches
from casereview.notifications.services import staff_notify
from casereview.people.selectors import SearchTerms, people_visible_to, places_search
from casereview.people.services import (
    PersonData,
    PlaceData,
    person_create,
    person_place_link,
    place_create,
    uprn_normalise,
)
from casereview.web.concurrency import row_lock, version_claim

from .models import EventKind, TrackedAddress, TrackerEvent, TrackerStatus

STATUS_WORDS = {s.value: s.label.lower() for s in TrackerStatus}
MATCHED_WORDS = {
    "uprn": "A new report at this address (its UPRN).",
    "address": "A new report at this address (its address and postcode).",
}


# --- Adding an address --------------------------------------------------------------------------


@dataclass
class AddressData:
    address: str
    postcode: str = ""
    uprn: str = ""
    ward: str = ""
    occupant_profile: int | None = None
    occupant_name: str = ""
    concerns: str = ""
    notes: str = ""


def place_find(*, partnership, uprn: str, address: str, postcode: str):
    """The partnership's place at this address (people's selectors): by UPRN when given, else by
    its address and postcode (core.tracker.addresses_match). None when there is none yet."""
    if uprn:
        found = places_search(partnership.id, SearchTerms(uprn=uprn))
        return found[0] if found else None
    if postcode:
        wanted = address_key(address, postcode)
        for place in places_search(partnership.id, SearchTerms(postcode=postcode)):
            if addresses_match(wanted, address_key(place.address, place.postcode)):
                return place
    return None


def entry_add(*, partnership, data: AddressData, actor, today: dt.date | None = None) -> TrackedAddress:
    """Put an address on the tracker, open: the place found by UPRN or address (or recorded, if
    the partnership has none yet), the occupant an existing profile or a new one living there."""
    today = today or timezone.localdate()
    errors = {}
    if not data.address.strip() and not data.uprn.strip():
        errors["address"] = "Enter the address, or its UPRN."
    if data.uprn.strip() and not uprn_normalise(data.uprn):
        errors["uprn"] = "A UPRN is a number of up to 12 digits, like 100031234567."
    if not data.concerns.strip():
        errors["concerns"] = "Say what the concern is at this address."
    if data.occupant_profile and data.occupant_name.strip():
        errors["occupant_name"] = "Give the occupant's profile number or their name, not both."
    occupant = None
    if data.occupant_profile:
        occupant = people_visible_to(actor).filter(pk=data.occupant_profile, merged_into__isnull=True).first()
        if occupant is None:
            errors["occupant_profile"] = (
                "There is no person profile with that number you may see: check the number in "
                "search and signpost, or give the occupant's name instead."
            )
    if errors:
        raise ValidationError(errors)
    uprn = uprn_normalise(data.uprn) if data.uprn.strip() else ""
    with transaction.atomic():
        place = place_find(partnership=partnership, uprn=uprn, address=data.address, postcode=data.postcode)
        if place is None:
            if not data.address.strip():
                raise ValidationError(
                    {"address": "No place with this UPRN is recorded yet: enter its address as well."}
                )
            place = place_create(
                partnership=partnership,
                data=PlaceData(address=data.address, uprn=uprn, postcode=data.postcode, ward=data.ward),
                actor=actor,
            )
        existing = TrackedAddress.objects.filter(partnership=partnership, place=place).first()
        if existing is not None:
            raise ValidationError(
                {"address": f"This address is already on the tracker (entry {existing.pk}): open it there."}
            )
        if occupant is None and data.occupant_name.strip():
            occupant = person_create(
                partnership=partnership, data=PersonData(full_name=data.occupant_name), actor=actor
            )
        already_lives_there = (
            occupant is not None
            and people_visible_to(actor).filter(pk=occupant.pk, place_links__place=place).exists()
        )
        if occupant is not None and not already_lives_there:
            person_place_link(person=occupant, place=place, kind="lives_at", actor=actor)
        entry = TrackedAddress.objects.create(
            partnership=partnership,
            place=place,
            status=TrackerStatus.OPEN,
            occupant=occupant,
            concerns=data.concerns.strip(),
            notes=data.notes.strip(),
            owner=actor,
            added_on=today,
        )
        TrackerEvent.objects.create(
            entry=entry, kind=EventKind.ADDED, occurred_on=today, actor=actor, to_status=TrackerStatus.OPEN
        )
        access_event_record(
            action=Action.CREATE, user=actor, obj=entry, summary=f"Tracked address {entry.pk} added"
        )
    return entry


# --- Editing ------------------------------------------------------------------------------------


def entry_edit(
    *, entry: TrackedAddress, read_version: int | None, concerns: str, notes: str, actor, today=None
) -> TrackedAddress:
    """Change the concerns and notes; refused (StaleRecord) when the entry changed since read."""
    today = today or timezone.localdate()
    if not concerns.strip():
        raise ValidationError({"concerns": "Say what the concern is at this address."})
    with transaction.atomic():
        version_claim(entry, read_version=read_version, what="tracked address")
        changed = [
            label
            for label, old, new in (
                ("concerns", entry.concerns, concerns.strip()),
                ("notes", entry.notes, notes.strip()),
            )
            if old != new
        ]
        entry.concerns = concerns.strip()
        entry.notes = notes.strip()
        entry.save()
        TrackerEvent.objects.create(
            entry=entry,
            kind=EventKind.EDITED,
            occurred_on=today,
            actor=actor,
            summary=("Changed: " + " and ".join(changed) + ".") if changed else "Saved without changes.",
        )
        access_event_record(
            action=Action.UPDATE, user=actor, obj=entry, summary=f"Tracked address {entry.pk} changed"
        )
    return entry


# --- Status -------------------------------------------------------------------------------------


def entry_status_change(
    *, entry: TrackedAddress, read_version: int | None, status: str, reason: str, actor, today=None
) -> TrackedAddress:
    """Move an address to open, monitoring or archived. Archiving needs a reason (the panel's:
    the risk was reduced, the occupant moved); any change needs it to be a change."""
    today = today or timezone.localdate()
    if status not in TrackerStatus.values:
        raise ValidationError({"status": "Choose open, monitoring or archived."})
    if status == TrackerStatus.ARCHIVED and not reason.strip():
        raise ValidationError({"reason": "Give the reason for archiving this address."})
    with transaction.atomic():
        version_claim(entry, read_version=read_version, what="tracked address")
        if entry.status == status:
            entry.version -= 1  # nothing is saved: the record keeps the version it has
            raise ValidationError({"status": f"The address is already {STATUS_WORDS[status]}."})
        before = entry.status
        entry.status = status
        entry.save()
        TrackerEvent.objects.create(
            entry=entry,
            kind=EventKind.STATUS,
            occurred_on=today,
            actor=actor,
            from_status=before,
            to_status=status,
            reason=reason.strip(),
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=entry,
            summary=f"Tracked address {entry.pk}: {STATUS_WORDS[before]} to {STATUS_WORDS[status]}",
        )
    return entry


# --- Visits and warrants ------------------------------------------------------------------------


def entry_history_add(
    *,
    entry: TrackedAddress,
    kind: str,
    occurred_on: dt.date,
    agency,
    officer: str,
    summary: str,
    actor,
    today: dt.date | None = None,
) -> TrackerEvent:
    today = today or timezone.localdate()
    errors = {}
    if kind not in (EventKind.VISIT, EventKind.WARRANT):
        errors["kind"] = "Choose a visit or a warrant."
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date it happened."
    elif occurred_on > today:
        errors["occurred_on"] = "The date it happened must be today or in the past."
    if agency is None or agency.partnership_id != entry.partnership_id:
        errors["agency"] = "Choose the agency, one of this partnership's."
    if not officer.strip():
        errors["officer"] = "Enter the officer's name or collar number."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row_lock(entry)
        event = TrackerEvent.objects.create(
            entry=entry,
            kind=kind,
            occurred_on=occurred_on,
            actor=actor,
            agency=agency,
            officer=officer.strip(),
            summary=summary.strip(),
        )
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=entry,
            summary=f"Tracked address {entry.pk}: {kind} recorded",
        )
    return event


# --- Re-opening by itself -----------------------------------------------------------------------


def _archived_on(entry: TrackedAddress) -> dt.date:
    last = entry.events.filter(to_status=TrackerStatus.ARCHIVED).order_by("-occurred_on", "-id").first()
    return last.occurred_on if last else entry.added_on


def entries_reopen_for_reports(*, partnership_id: int, reports, actor=None) -> list[TrackedAddress]:
    """The report log's hook (reports.ingest): a report made on or after the day an address was
    archived, at that address (its UPRN, or its address and postcode), re-opens it, and its owner
    is told. One query for the partnership's archived addresses per batch; none, nothing to do."""
    archived = list(
        TrackedAddress.objects.filter(
            partnership_id=partnership_id, status=TrackerStatus.ARCHIVED
        ).select_related("place", "owner")
    )
    if not archived:
        return []
    today = timezone.localdate()
    reopened = []
    with transaction.atomic():
        for entry in archived:
            archived_on = _archived_on(entry)
            for report in sorted(reports, key=lambda r: (r.reported_on, r.pk or 0)):
                if report.reported_on < archived_on:
                    continue
                how = report_matches(
                    report.location,
                    place_uprn=entry.place.uprn,
                    place_address=entry.place.address,
                    place_postcode=entry.place.postcode,
                )
                if how is None:
                    continue
                locked = row_lock(entry)
                if locked.status != TrackerStatus.ARCHIVED:
                    break
                version_claim(entry, read_version=None)
                entry.status = TrackerStatus.OPEN
                entry.save()
                TrackerEvent.objects.create(
                    entry=entry,
                    kind=EventKind.REOPENED,
                    occurred_on=today,
                    actor=None,
                    from_status=TrackerStatus.ARCHIVED,
                    to_status=TrackerStatus.OPEN,
                    report=report,
                    matched_by=how,
                    reason=MATCHED_WORDS[how],
                )
                access_event_record(
                    action=Action.UPDATE,
                    user=actor,
                    obj=entry,
                    summary=f"Tracked address {entry.pk} re-opened by a new report (matched by {how})",
                )
                url = reverse("tracker:entry", args=[entry.pk])
                # No address, no name: a notice or an email can be read over a shoulder.
                staff_notify(
                    recipients=[entry.owner],
                    purpose="tracker_reopened",
                    text=f"Tracked address {entry.pk} has re-opened: a new report was made there.",
                    url=url,
                    email_subject="An archived address on the cuckooing tracker has re-opened",
                    email_body=(
                        f"Tracked address {entry.pk} on the cuckooing tracker was archived, and a new report "
                        "has been made there, so it is open again.\n\nSign in to see it: " + url
                    ),
                )
                reopened.append(entry)
                break
    return reopened


# --- People and places merged (people.merges) ---------------------------------------------------

_MERGE_FIELD = {"person": "occupant", "place": "place"}
_MERGE_WORDS = {"occupant": "the occupant's profile", "place": "the address's place"}


def _merge_point(entry_ids, *, field: str, to, actor, summary: str) -> None:
    """Point these entries' `field` at `to`, each change a new version and a "Details changed"
    event on the entry's timeline, in the caller's (the merge's or unmerge's) transaction."""
    if not entry_ids:
        return
    TrackedAddress.objects.filter(pk__in=entry_ids).update(**{f"{field}_id": to.pk}, version=F("version") + 1)
    today = timezone.localdate()
    TrackerEvent.objects.bulk_create(
        TrackerEvent(entry_id=pk, kind=EventKind.EDITED, occurred_on=today, actor=actor, summary=summary)
        for pk in entry_ids
    )


def _ids_to_point(entries, *, kind: str, to) -> list[int]:
    """The ids of these entries a merge or unmerge points at `to`: none of a place's when `to`
    has an entry of its own already (one entry per place: two histories are not joined)."""
    if kind == "place" and TrackedAddress.objects.filter(place_id=to.pk).exists():
        return []
    return list(entries.order_by("pk").values_list("pk", flat=True))


def tracker_merge_move(*, kind: str, kept, duplicate, actor=None) -> list[list]:
    """A merge of two people moves the tracker's occupant, and of two places the entry's place,
    from the duplicate to the kept record (as the people app moves its own links), each entry
    noting it on its timeline. One entry per place and partnership: when the kept place is on the
    tracker already, the duplicate's entry stays on the duplicate — two histories are not joined
    by a merge — and the list shows both until an officer archives one. Returns the entries moved
    as [label, id, field] for the merge record."""
    field = _MERGE_FIELD[kind]
    ids = _ids_to_point(TrackedAddress.objects.filter(**{f"{field}_id": duplicate.pk}), kind=kind, to=kept)
    label = "person" if kind == "person" else "place"
    _merge_point(
        ids,
        field=field,
        to=kept,
        actor=actor,
        summary=f"{_MERGE_WORDS[field].capitalize()} ({label} {duplicate.pk}) was merged into {label} "
        f"{kept.pk}: the entry now points at {label} {kept.pk}.",
    )
    return [[TrackedAddress._meta.label_lower, pk, field] for pk in ids]


def tracker_merge_restore(*, kind: str, kept, duplicate, moved: list[list], actor=None) -> None:
    """The unmerge: exactly the entries the merge moved (and those made since that the officer sent
    to the duplicate) point at the duplicate again, noted on each timeline. An entry pointing
    elsewhere since is left as it is; so is a place's entry when the duplicate place has one."""
    field = _MERGE_FIELD[kind]
    ids = [
        pk
        for label, pk, points_at in moved
        if label == TrackedAddress._meta.label_lower and points_at == field
    ]
    ids = _ids_to_point(
        TrackedAddress.objects.filter(pk__in=ids, **{f"{field}_id": kept.pk}), kind=kind, to=duplicate
    )
    label = "person" if kind == "person" else "place"
    _merge_point(
        ids,
        field=field,
        to=duplicate,
        actor=actor,
        summary=f"The merge of {label} {duplicate.pk} into {label} {kept.pk} was undone: the entry "
        f"points at {label} {duplicate.pk} again.",
    )


def tracker_merge_counts(*, kind: str, kept, duplicate) -> dict[str, int]:
    """What a merge would move, for its confirmation page: the entries `tracker_merge_move` would
    point at the kept record (none of a place's when the kept place has its own entry)."""
    field = _MERGE_FIELD[kind]
    ids = _ids_to_point(TrackedAddress.objects.filter(**{f"{field}_id": duplicate.pk}), kind=kind, to=kept)
    return {"cuckooing tracker entries": len(ids)} if ids else {}


def tracker_merge_describe(*, row, field: str) -> str:
    """An entry made since a merge, in words, for the unmerge page's question."""
    address = row.place.address.replace("\n", ", ")
    what = "its occupant" if field == "occupant" else "its address"
    return f"The cuckooing tracker's entry for {address} ({what})"


def tracker_merge_made_since(*, kind: str, kept, since) -> list[tuple[object, str]]:
    """The entries added after a merge that point at the kept record (their occupant, or their
    place), as (entry, field): the unmerge asks which record each belongs to."""
    field = _MERGE_FIELD[kind]
    entries = TrackedAddress.objects.filter(created_at__gte=since, **{f"{field}_id": kept.pk})
    return [(entry, field) for entry in entries.order_by("pk")]
