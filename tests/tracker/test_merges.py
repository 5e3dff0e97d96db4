"""People and places merged (people.merges): a tracked address's occupant and place follow the
merge to the kept record, each entry noting it on its timeline; the unmerge puts exactly those
back; an entry added since the merge is asked about at the unmerge, as the people app's own links
are (docs/tracker.md, docs/people.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from casereview.people.models import Merge
from casereview.people.services import (
    PersonData,
    PlaceData,
    links_made_after,
    person_create,
    place_create,
    record_merge,
    record_unmerge,
)
from casereview.tracker.models import TrackedAddress, TrackerEvent
from tests.tracker.test_tracker import _add

pytestmark = pytest.mark.django_db


def _person(islington, csm, name):
    return person_create(partnership=islington, data=PersonData(full_name=name), actor=csm)


def test_a_person_merge_moves_the_occupant_and_the_unmerge_puts_it_back(islington, csm):
    kept = _person(islington, csm, "Pat Doyle")
    duplicate = _person(islington, csm, "Patrick Doyle")
    entry = _add(islington, csm, occupant_name="", occupant_profile=duplicate.pk)
    version = entry.version

    merge = record_merge(kind="person", kept=kept, duplicate=duplicate, reason="Same DOB", actor=csm)
    entry.refresh_from_db()
    assert entry.occupant_id == kept.pk
    assert entry.version == version + 1  # an edit form read before the merge is stale
    assert ["tracker.trackedaddress", entry.pk, "occupant", "tracker"] in Merge.objects.get(pk=merge.pk).moved
    event = TrackerEvent.objects.filter(entry=entry).latest("id")
    assert event.kind == "edited" and event.actor == csm
    assert f"merged into person {kept.pk}" in event.summary

    record_unmerge(merge=merge, reason="Two people", choices={}, actor=csm)
    entry.refresh_from_db()
    assert entry.occupant_id == duplicate.pk
    assert "undone" in TrackerEvent.objects.filter(entry=entry).latest("id").summary


def test_a_place_merge_moves_the_entry_and_the_unmerge_puts_it_back(islington, csm):
    kept = place_create(
        partnership=islington, data=PlaceData(address="7 Cuckoo Court", uprn="100031234567"), actor=csm
    )
    entry = _add(islington, csm, uprn="", address="Flat at 7 Cuckoo Ct", postcode="N7 6PA")
    duplicate = entry.place
    assert duplicate.pk != kept.pk

    merge = record_merge(kind="place", kept=kept, duplicate=duplicate, reason="Same flat", actor=csm)
    entry.refresh_from_db()
    assert entry.place_id == kept.pk
    record_unmerge(merge=merge, reason="Two flats", choices={}, actor=csm)
    entry.refresh_from_db()
    assert entry.place_id == duplicate.pk


def test_two_places_both_on_the_tracker_keep_their_own_entries(islington, csm):
    """One entry per place: the kept place's entry stays its own, the duplicate's stays on the
    duplicate (two histories are not joined by a merge), and the merge still goes ahead."""
    first = _add(islington, csm, uprn="", address="1 Cuckoo Court", postcode="N7 6PA")
    second = _add(islington, csm, uprn="", address="Flat 1, Cuckoo Ct", postcode="N7 6PB")
    merge = record_merge(kind="place", kept=first.place, duplicate=second.place, reason="Same", actor=csm)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.place_id, second.place_id) == (merge.kept_id, merge.duplicate_id)
    assert not [e for e in Merge.objects.get(pk=merge.pk).moved if e[0] == "tracker.trackedaddress"]


def test_an_entry_added_after_the_merge_is_asked_about_at_the_unmerge(islington, csm, unchanged_rows):
    kept = _person(islington, csm, "Pat Doyle")
    duplicate = _person(islington, csm, "Patrick Doyle")
    merge = record_merge(kind="person", kept=kept, duplicate=duplicate, reason="Same DOB", actor=csm)
    later = _add(islington, csm, occupant_name="", occupant_profile=kept.pk)

    asked = [(row._meta.label_lower, row.pk, field, owner) for row, field, owner in links_made_after(merge)]
    assert ("tracker.trackedaddress", later.pk, "occupant", "tracker") in asked
    with unchanged_rows(), pytest.raises(ValidationError, match="where it goes"):
        record_unmerge(merge=merge, reason="Two people", choices={}, actor=csm)

    choices = {f"{label}:{pk}:{field}": "kept" for label, pk, field, _ in asked}
    choices[f"tracker.trackedaddress:{later.pk}:occupant"] = "duplicate"
    record_unmerge(merge=merge, reason="Two people", choices=choices, actor=csm)
    later.refresh_from_db()
    assert later.occupant_id == duplicate.pk
    merge.refresh_from_db()
    assert ["tracker.trackedaddress", later.pk, "occupant", "duplicate"] in merge.after_choices
    assert TrackedAddress.objects.count() == 1


def test_the_merge_pages_show_the_entries_the_merge_moves_and_name_those_added_since(islington, csm, client):
    """The confirmation page counts the tracker's entries the merge would move; the unmerge page
    names an entry added since by its address, not "Tracked address 7"."""
    kept = _person(islington, csm, "Pat Doyle")
    duplicate = _person(islington, csm, "Patrick Doyle")
    _add(islington, csm, occupant_name="", occupant_profile=duplicate.pk)
    client.force_login(csm)
    page = client.post(f"/people/{kept.pk}/merge/", {"duplicate": duplicate.pk, "reason": "Same DOB"})
    assert "<li>1 cuckooing tracker entries</li>" in page.content.decode()

    merge = record_merge(kind="person", kept=kept, duplicate=duplicate, reason="Same DOB", actor=csm)
    later = _add(islington, csm, occupant_name="", occupant_profile=kept.pk, address="9 Wren Row", uprn="")
    text = client.get(f"/people/merges/{merge.pk}/").content.decode()
    address = later.place.address.replace("\n", ", ")
    assert f"The cuckooing tracker&#x27;s entry for {address} (its occupant)" in text
    assert f"{later._meta.verbose_name} {later.pk}" not in text
