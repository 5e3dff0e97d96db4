"""The cuckooing address tracker (issue 16; docs/tracker.md, ADR 0063): addresses added through
the people app's places, status changes with their reasons, visits and warrants, versioned edits,
re-opening by itself when a new report arrives at an archived address, the counts over time, and
who may see any of it (the policy's tracker panel)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casereview.audit.models import AccessEvent
from casereview.notifications.models import Message, Notice
from casereview.people import services as people_services
from casereview.people.models import Person, PersonPlaceLink, Place
from casereview.reports.imports import reports_import_text
from casereview.reports.services import report_record
from casereview.tracker import selectors, services
from casereview.tracker.models import TrackedAddress, TrackerEvent
from casereview.web.concurrency import StaleRecord

UPRN = "100023336956"
TODAY = dt.date(2026, 12, 6)


def _add(islington, csm, **kwargs):
    data = {
        "address": "Flat 4\n21 Caledonian Road\nLondon",
        "postcode": "N1 9DX",
        "uprn": UPRN,
        "ward": "Caledonian",
        "occupant_name": "Pat Doyle",
        "concerns": "Several young men visiting at night; the occupant seems frightened.",
        **kwargs,
    }
    return services.entry_add(
        partnership=islington, data=services.AddressData(**data), actor=csm, today=TODAY
    )


def _archive(entry, csm, today=TODAY):
    return services.entry_status_change(
        entry=entry,
        read_version=entry.version,
        status="archived",
        reason="Risk reduced",
        actor=csm,
        today=today,
    )


def _report(islington, demo, location, *, when=None, reference=""):
    return report_record(
        partnership=islington,
        agency=demo.agency("islington", "police"),
        reported_at=when or dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC),
        location=location,
        category="Drugs",
        actor=demo.user("is-police"),
        agency_reference=reference,
    )


# --- Adding -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_an_address_records_the_place_the_occupant_and_the_first_status(islington, csm):
    entry = _add(islington, csm)
    assert entry.status == "open" and entry.owner == csm and entry.added_on == TODAY
    assert entry.place.uprn == UPRN and entry.place.ward == "Caledonian"
    assert entry.occupant.full_name == "Pat Doyle"
    assert PersonPlaceLink.objects.filter(person=entry.occupant, place=entry.place, kind="lives_at").exists()
    assert [(e.kind, e.to_status) for e in entry.events.all()] == [("added", "open")]
    assert AccessEvent.objects.filter(object_type="tracker.trackedaddress", action="create").exists()


@pytest.mark.django_db
def test_an_existing_place_is_found_by_uprn_or_by_address_and_postcode(islington, csm):
    by_uprn = people_services.place_create(
        partnership=islington,
        data=people_services.PlaceData(address="21 Caledonian Rd", uprn=UPRN),
        actor=csm,
    )
    by_address = people_services.place_create(
        partnership=islington,
        data=people_services.PlaceData(address="Flat 1, 3 Market Road, London", postcode="N7 9PL"),
        actor=csm,
    )
    assert _add(islington, csm).place == by_uprn
    entry = _add(islington, csm, uprn="", address="flat 1 3 market road", postcode="n7 9pl", occupant_name="")
    assert entry.place == by_address and entry.occupant is None
    assert Place.objects.filter(partnership=islington).count() == 2


@pytest.mark.django_db
def test_an_existing_occupant_profile_is_linked_once(islington, csm):
    person = people_services.person_create(
        partnership=islington, data=people_services.PersonData(full_name="Sam Ruiz"), actor=csm
    )
    entry = _add(islington, csm, occupant_name="", occupant_profile=person.pk)
    assert entry.occupant == person
    assert PersonPlaceLink.objects.filter(person=person).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"concerns": " "}, "concerns"),
        ({"uprn": "12-34"}, "uprn"),
        ({"uprn": "", "address": ""}, "address"),
        ({"occupant_profile": 999999, "occupant_name": ""}, "occupant_profile"),
        ({"occupant_profile": 1}, "occupant_name"),
    ],
)
def test_a_refused_add_names_the_field_and_changes_nothing(islington, csm, unchanged_rows, changes, field):
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        _add(islington, csm, **changes)
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_an_address_is_on_the_tracker_once(islington, csm, unchanged_rows):
    first = _add(islington, csm)
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        _add(islington, csm, occupant_name="Someone Else")
    assert f"already on the tracker (entry {first.pk})" in error.value.message_dict["address"][0]


# --- Status, edits, visits ----------------------------------------------------------------------


@pytest.mark.django_db
def test_archiving_needs_a_reason_and_a_stale_form_is_refused(islington, csm, unchanged_rows):
    entry = _add(islington, csm)
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        services.entry_status_change(
            entry=entry, read_version=entry.version, status="archived", reason="  ", actor=csm
        )
    assert "reason" in error.value.message_dict
    read_at = entry.version
    services.entry_status_change(
        entry=entry, read_version=read_at, status="monitoring", reason="", actor=csm, today=TODAY
    )
    with unchanged_rows(), pytest.raises(StaleRecord):
        services.entry_status_change(
            entry=entry, read_version=read_at, status="archived", reason="Done", actor=csm
        )
    with unchanged_rows(), pytest.raises(ValidationError, match="already monitoring"):
        services.entry_status_change(
            entry=entry, read_version=entry.version, status="monitoring", reason="", actor=csm
        )
    _archive(entry, csm)
    entry.refresh_from_db()
    assert entry.status == "archived"
    assert [(e.from_status, e.to_status, e.reason) for e in entry.events.filter(kind="status")] == [
        ("open", "monitoring", ""),
        ("monitoring", "archived", "Risk reduced"),
    ]


@pytest.mark.django_db
def test_an_edit_carries_its_version(islington, csm, unchanged_rows):
    entry = _add(islington, csm)
    read_at = entry.version
    services.entry_edit(
        entry=entry, read_version=read_at, concerns="Dealing seen.", notes="Key safe fitted.", actor=csm
    )
    assert entry.events.get(kind="edited").summary == "Changed: concerns and notes."
    with unchanged_rows(), pytest.raises(StaleRecord):
        services.entry_edit(entry=entry, read_version=read_at, concerns="Older text", notes="", actor=csm)


@pytest.mark.django_db
def test_visits_and_warrants_are_dated_with_agency_and_officer(islington, csm, demo, unchanged_rows):
    entry = _add(islington, csm)
    police = demo.agency("islington", "police")
    services.entry_history_add(
        entry=entry,
        kind="warrant",
        occurred_on=dt.date(2026, 12, 1),
        agency=police,
        officer="PC 1234 Ahmed",
        summary="Misuse of Drugs Act warrant; two arrests.",
        actor=csm,
        today=TODAY,
    )
    [event] = selectors.entry_visits_and_warrants(entry)
    assert (event.kind, event.agency, event.officer) == ("warrant", police, "PC 1234 Ahmed")
    wn_police = demo.agency("west-northamptonshire", "police")
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        services.entry_history_add(
            entry=entry,
            kind="visit",
            occurred_on=dt.date(2026, 12, 7),
            agency=wn_police,
            officer=" ",
            summary="",
            actor=csm,
            today=TODAY,
        )
    assert set(error.value.message_dict) == {"occurred_on", "agency", "officer"}


# --- Re-opening by itself -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_report_at_the_uprn_of_an_archived_address_reopens_it_and_tells_the_owner(
    islington, csm, demo, django_capture_on_commit_callbacks
):
    entry = _add(islington, csm)
    _archive(entry, csm, today=dt.date(2026, 12, 1))
    with django_capture_on_commit_callbacks():
        report = _report(islington, demo, UPRN)
    entry.refresh_from_db()
    assert entry.status == "open"
    reopened = entry.events.get(kind="reopened")
    assert (reopened.report, reopened.matched_by, reopened.from_status, reopened.to_status) == (
        report,
        "uprn",
        "archived",
        "open",
    )
    notice = Notice.objects.get(recipient=csm)
    assert notice.url == f"/tracker/{entry.pk}/" and "re-opened" in notice.text
    assert "Caledonian" not in notice.text and "Pat Doyle" not in notice.text
    message = Message.objects.get(recipient_user=csm, purpose="tracker_reopened")
    assert message.to == csm.email
    # A second report changes nothing more: it is open already.
    _report(islington, demo, UPRN, reference="R-2")
    assert entry.events.filter(kind="reopened").count() == 1


@pytest.mark.django_db
def test_a_report_elsewhere_before_the_archive_or_at_an_open_address_does_not_reopen(islington, csm, demo):
    entry = _add(islington, csm)
    _report(islington, demo, UPRN, reference="R-open")  # open: nothing to re-open
    _archive(entry, csm, today=dt.date(2026, 12, 5))
    _report(islington, demo, "100023336957", reference="R-next-door")
    _report(
        islington, demo, UPRN, reference="R-old", when=dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
    )  # made before the address was archived (entered late)
    entry.refresh_from_db()
    assert entry.status == "archived" and not entry.events.filter(kind="reopened").exists()
    assert not Notice.objects.filter(recipient=csm).exists()


@pytest.mark.django_db
def test_a_partners_csv_import_at_the_address_and_postcode_reopens_it(islington, csm, demo):
    entry = _add(islington, csm, uprn="")
    _archive(entry, csm, today=dt.date(2026, 11, 30))
    text = (
        "agency_reference,agency,agency_kind,reported_at,location,category\n"
        'H-77,Islington Homes,housing,2026-12-02T18:00,"Flat 4, 21 Caledonian Road, London N1 9DX",Drugs\n'
        'H-78,Islington Homes,housing,2026-12-02T19:00,"21 Caledonian Road, London N1 9DX",Noise\n'
    )
    result = reports_import_text(partnership=islington, fmt="reports", text=text, actor=csm)
    assert result.imported == 2
    entry.refresh_from_db()
    reopened = entry.events.get(kind="reopened")
    assert entry.status == "open" and reopened.matched_by == "address"
    assert reopened.report.agency_reference == "H-77"


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_tracker_panels_agencies_see_it(islington, csm, demo, client):
    entry = _add(islington, csm)
    assert selectors.may_use_tracker(demo.user("is-police"))  # police sit on the cuckooing panel
    assert selectors.may_use_tracker(demo.user("is-housing"))
    assert not selectors.may_use_tracker(demo.user("is-chair"))  # Parkguard ("other"): not a member
    # West Northamptonshire's policy declares no tracker panel: nobody there sees one.
    assert not selectors.may_use_tracker(demo.user("wn-csm"))
    client.force_login(demo.user("is-chair"))
    assert client.get("/tracker/").status_code == 404
    assert client.get(f"/tracker/{entry.pk}/").status_code == 404
    client.force_login(demo.user("wn-csm"))
    assert client.get(f"/tracker/{entry.pk}/").status_code == 404
    assert "Cuckooing tracker" not in client.get("/cases/").content.decode()
    client.force_login(demo.user("is-police"))
    before = AccessEvent.objects.filter(object_type="tracker.trackedaddress", action="view").count()
    page = client.get(f"/tracker/{entry.pk}/").content.decode()
    assert "Flat 4" in page and "No closure notice or order is recorded for this address" in page
    assert (
        AccessEvent.objects.filter(object_type="tracker.trackedaddress", action="view").count() == before + 1
    )


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_filters_paginates_and_has_empty_states(islington, csm, client):
    client.force_login(csm)
    assert "No address is on the tracker yet" in client.get("/tracker/").content.decode()
    for number in range(27):
        _add(
            islington,
            csm,
            uprn=str(200000000000 + number),
            address=f"{number} Holloway Road",
            occupant_name="",
            ward="Holloway" if number % 2 else "Highbury",
        )
    page = client.get("/tracker/").content.decode()
    assert "27 addresses" in page and "Page 1 of 2" in page
    assert "14 addresses" in client.get("/tracker/?ward=Highbury").content.decode()
    assert "No address matches these filters" in client.get("/tracker/?status=archived").content.decode()
    assert (
        AccessEvent.objects.filter(action="search", summary__startswith="Cuckooing tracker listed").count()
        == 4
    )


@pytest.mark.django_db
def test_archiving_through_the_pages_asks_for_confirmation(islington, csm, client):
    entry = _add(islington, csm)
    client.force_login(csm)
    refused = client.post(f"/tracker/{entry.pk}/status/", {"version": entry.version, "status": "archived"})
    assert "Give the reason for archiving this address." in refused.content.decode()
    asked = client.post(
        f"/tracker/{entry.pk}/status/",
        {"version": entry.version, "status": "archived", "reason": "Moved away"},
    )
    assert "Archive this address?" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.status == "open"
    done = client.post(
        f"/tracker/{entry.pk}/status/",
        {"version": entry.version, "status": "archived", "reason": "Moved away", "confirmed": "yes"},
    )
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "archived"


@pytest.mark.django_db
def test_the_add_page_and_the_edit_page(islington, csm, client):
    client.force_login(csm)
    empty = client.post("/tracker/new/", {"concerns": ""}).content.decode()
    assert "Say what the concern is at this address." in empty
    made = client.post(
        "/tracker/new/",
        {"uprn": UPRN, "address": "21 Caledonian Road", "postcode": "N1 9DX", "concerns": "Dealing"},
    )
    entry = TrackedAddress.objects.get()
    assert made.url == f"/tracker/{entry.pk}/"
    stale = client.post(f"/tracker/{entry.pk}/edit/", {"version": entry.version - 1, "concerns": "X"})
    assert "Someone else changed this tracked address" in stale.content.decode()
    client.post(f"/tracker/{entry.pk}/edit/", {"version": entry.version, "concerns": "Dealing and threats"})
    entry.refresh_from_db()
    assert entry.concerns == "Dealing and threats"


@pytest.mark.django_db
def test_the_figures_are_derived_from_the_history(islington, csm, client):
    a = _add(islington, csm)
    b = _add(islington, csm, uprn="100023336999", address="3 Market Road", occupant_name="")
    # Back-date the history: a was added 14 months ago and archived 2 months ago; b is new.
    TrackerEvent.objects.filter(entry=a).update(occurred_on=dt.date(2025, 10, 1))
    TrackerEvent.objects.create(
        entry=a, kind="status", occurred_on=dt.date(2026, 10, 15), from_status="open", to_status="archived"
    )
    figures = selectors.tracker_figures(islington.pk, TODAY)
    assert figures["then"] == {"open": 1, "monitoring": 0, "archived": 0}
    assert figures["now"] == {"open": 1, "monitoring": 0, "archived": 1}
    assert figures["months"][-1] == (TODAY, figures["now"])
    assert b.pk
    client.force_login(csm)
    page = client.get("/tracker/figures/").content.decode()
    assert "Addresses over time" in page
    csv_text = client.get("/tracker/figures.csv").content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0] == "date,open,monitoring,archived,on_tracker"
    assert len(lines) == 14
    assert AccessEvent.objects.filter(action="export", summary__contains="Cuckooing tracker").count() == 1


def test_persons_and_places_are_the_people_apps():
    # The tracker holds no address or name of its own: both are the kernel's (people).
    assert TrackedAddress._meta.get_field("place").related_model is Place
    assert TrackedAddress._meta.get_field("occupant").related_model is Person
