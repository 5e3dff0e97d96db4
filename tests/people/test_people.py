"""People and places (issue 15): profiles, resolution of the report log, search and signpost with
access asked for and granted per case through the one selector, merge and unmerge, retention."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from casereview.applications.selectors import applications_visible_to
from casereview.audit.models import AccessEvent
from casereview.core.policy import policy_from_toml
from casereview.people import retention, selectors, services
from casereview.people.models import (
    AccessRequestStatus,
    CaseAccessRequest,
    CasePartyLink,
    Identifier,
    IdentifierKind,
    Merge,
    Person,
    PersonPlaceLink,
    Place,
    ReportLink,
    SignpostAgency,
)
from casereview.reports.services import report_record
from tests.factories import make_application

UPRN = "100021234567"
POLICE_AND_COUNCIL = [
    (dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12)),
    (dt.date(2025, 2, 2), "council", dt.date(2025, 2, 3)),
    (dt.date(2025, 3, 1), "police", dt.date(2025, 3, 20)),
]


@pytest.fixture
def world(demo):
    """A resident at a UPRN: a report of theirs to the police, a case reported to the police and
    the council, and their profile and address, matched as the community safety team does."""
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    police = demo.agency("west-northamptonshire", "police")
    report = report_record(
        partnership=wn,
        agency=police,
        reported_at=dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC),
        location=UPRN,
        caller="CX-0042",
        category="Noise",
        actor=csm,
    )
    case = make_application(wn, victim_name="Llŷr Evans", incidents=POLICE_AND_COUNCIL, actor=csm)
    place = services.place_create(
        partnership=wn,
        data=services.PlaceData(address="12 Acacia Avenue", uprn=UPRN, postcode="NN1 1AA"),
        actor=csm,
    )
    person = services.person_create(
        partnership=wn,
        data=services.PersonData(
            full_name="Llŷr Evans", aliases="Lee Evans", date_of_birth=dt.date(1980, 3, 27)
        ),
        actor=csm,
    )
    services.identifier_add(
        person=person, kind=IdentifierKind.PARTNER_KEY, value="CX-0042", agency=police, actor=csm
    )
    services.identifier_add(person=person, kind=IdentifierKind.NHS, value="943 476 5919", actor=csm)
    services.person_place_link(
        person=person, place=place, kind="lives_at", started_on=dt.date(2020, 1, 1), actor=csm
    )
    services.case_party_link(person=person, party=case.victim, actor=csm)
    return {"wn": wn, "csm": csm, "report": report, "case": case, "place": place, "person": person}


def _search(client, **data):
    return client.post("/people/", {"private_search": "1", **data}, follow=True)


@pytest.mark.django_db
def test_a_report_resolves_by_partner_key_and_uprn(world):
    made = services.report_resolve(report=world["report"])
    assert {(link.role, link.resolved_by) for link in made} == {
        ("caller", "partner_key"),
        ("location", "uprn"),
    }
    assert ReportLink.objects.get(report=world["report"], role="caller").person == world["person"]
    assert ReportLink.objects.get(report=world["report"], role="location").place == world["place"]
    # A second run makes nothing more.
    assert services.report_resolve(report=world["report"]) == []


@pytest.mark.django_db
def test_identifiers_and_special_category_notes_are_encrypted_at_rest(world):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select value from people_identifier where kind = 'nhs'")
        (stored,) = cursor.fetchone()
    assert stored.startswith("fernet:") and "9434765919" not in stored
    assert Identifier.objects.get(kind="nhs").value == "9434765919"


@pytest.mark.django_db
def test_the_newcomers_journey(client, world, demo):
    """Done when (issue 15): the report from a resident at a UPRN is matched; the person and the
    place show the case and the report; a housing officer's search shows only "known to: Police,
    Council (contact …)", they ask for access, and see the case once it is granted."""
    csm_client = client
    csm_client.force_login(world["csm"])
    page = csm_client.post("/people/reports/", {"action": "match"})
    assert page.status_code == 302
    person_page = csm_client.get(f"/people/{world['person'].pk}/").content.decode()
    assert world["case"].reference in person_page and world["report"].agency_reference in person_page
    place_page = csm_client.get(f"/people/places/{world['place'].pk}/").content.decode()
    assert world["report"].agency_reference in place_page and "Llŷr Evans" in place_page

    from django.test import Client

    from tests.conftest import VerifiedClient

    housing = demo.user("wn-housing")
    housing_client = type("C", (VerifiedClient, Client), {})()
    housing_client.force_login(housing)
    # The housing officer may not open the profile or the case.
    assert housing_client.get(f"/people/{world['person'].pk}/").status_code == 404
    assert housing_client.get(f"/cases/{world['case'].reference}/").status_code == 404
    found = _search(housing_client, name="llyr evans").content.decode().split('id="main-content"')[1]
    assert "Known to:" in found
    assert "Northamptonshire Police" in found and "West Northamptonshire Council" in found
    assert world["case"].reference not in found and "Noise" not in found
    assert "Northamptonshire Partnership Homes" not in found  # not working with them
    assert AccessEvent.objects.filter(action="search", actor=housing).exists()
    search_row = AccessEvent.objects.filter(action="search", actor=housing).latest("id")
    assert "llyr" not in str(search_row.details).lower() and "llyr" not in search_row.path.lower()

    asked = housing_client.post(
        "/people/access/ask/", {"person": world["person"].pk, "reason": "Tenancy risk"}
    )
    assert asked.status_code == 302
    request = CaseAccessRequest.objects.get(case=world["case"])
    assert request.status == AccessRequestStatus.PENDING
    # Pending grants nothing.
    assert housing_client.get(f"/cases/{world['case'].reference}/").status_code == 404
    listing = housing_client.get("/people/access/").content.decode()
    assert world["case"].reference not in listing

    # The lead agency (the council, before a SPOC) decides.
    assert world["case"].reference in csm_client.get("/people/access/").content.decode()
    decided = csm_client.post(f"/people/access/{request.pk}/", {"decision": "grant", "reason": ""})
    assert decided.status_code == 302
    assert housing_client.get(f"/cases/{world['case'].reference}/").status_code == 200
    assert world["case"].reference in housing_client.get("/people/access/").content.decode()
    assert AccessEvent.objects.filter(action="create", object_type="people.caseaccessrequest").exists()
    assert AccessEvent.objects.filter(action="disclose", object_type="people.caseaccessrequest").exists()


@pytest.mark.django_db
def test_a_refused_or_pending_request_grants_nothing(world, demo):
    housing = demo.user("wn-housing")
    request = services.access_request_create(
        case=world["case"], person=world["person"], reason="Tenancy", actor=housing
    )
    assert not applications_visible_to(housing).filter(pk=world["case"].pk).exists()
    with pytest.raises(ValidationError):
        services.access_request_decide(request=request, grant=False, reason="", actor=world["csm"])
    services.access_request_decide(request=request, grant=False, reason="Not needed", actor=world["csm"])
    assert not applications_visible_to(housing).filter(pk=world["case"].pk).exists()
    # A decided request stays decided.
    with pytest.raises(ValidationError):
        services.access_request_decide(request=request, grant=True, reason="", actor=world["csm"])
    assert not applications_visible_to(housing).filter(pk=world["case"].pk).exists()


@pytest.mark.django_db
def test_a_grant_opens_one_case_only_and_not_past_a_withdrawn_consent(world, demo):
    from casereview.privacy import services as privacy

    housing = demo.user("wn-housing")
    other = make_application(world["wn"], victim_name="Other Person", incidents=POLICE_AND_COUNCIL)
    request = services.access_request_create(case=world["case"], person=None, reason="Why", actor=housing)
    services.access_request_decide(request=request, grant=True, reason="", actor=world["csm"])
    visible = set(applications_visible_to(housing).values_list("pk", flat=True))
    assert world["case"].pk in visible and other.pk not in visible
    privacy.consent_withdraw(
        application=world["case"], withdrawn_on=dt.date(2025, 5, 1), how="phone", actor=world["csm"]
    )
    assert not applications_visible_to(housing).filter(pk=world["case"].pk).exists()


@pytest.mark.django_db
def test_a_police_officer_cannot_decide_the_councils_case(world, demo, client):
    housing = demo.user("wn-housing")
    request = services.access_request_create(case=world["case"], person=None, reason="Why", actor=housing)
    client.force_login(demo.user("wn-police"))  # party to the case, not its lead agency
    assert client.get(f"/people/access/{request.pk}/").status_code == 404
    client.force_login(demo.user("is-csm"))
    assert client.get(f"/people/access/{request.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_sensitive_agency_is_another_agency_unless_the_policy_names_it(world, demo):
    health = demo.agency("west-northamptonshire", "health")
    report_record(
        partnership=world["wn"],
        agency=health,
        reported_at=dt.datetime(2025, 3, 2, 12, 0, tzinfo=dt.UTC),
        location="Clinic",
        caller="CX-0042",
        actor=world["csm"],
    )
    police = demo.agency("west-northamptonshire", "police")
    SignpostAgency.objects.create(agency=police, sensitive=False, contact="ASB desk 101")
    services.reports_resolve(reports=list(world["report"].__class__.objects.all()))
    housing = demo.user("wn-housing")
    shown = selectors.signpost_person(housing, world["person"]).known_to
    names = [k.name for k in shown]
    assert "NHS Northamptonshire ICB" not in names
    assert "Another agency" in names
    assert any(k.name == "Northamptonshire Police" and k.contact == "ASB desk 101" for k in shown)


def test_the_policy_may_name_sensitive_agencies():
    from pathlib import Path

    import casereview.core

    text = (Path(casereview.core.__file__).parent / "presets" / "statutory.toml").read_text()
    assert policy_from_toml(text).signpost_names_sensitive_agencies is False
    named = policy_from_toml(text + "\n[signpost]\nname_sensitive_agencies = true\n")
    assert named.signpost_names_sensitive_agencies is True
    with pytest.raises(Exception, match="signpost"):
        policy_from_toml(text + "\n[signpost]\nname_sensitive = true\n")


@pytest.mark.django_db
def test_profiles_out_of_scope_are_404(world, demo, client):
    client.force_login(demo.user("is-csm"))
    assert client.get(f"/people/{world['person'].pk}/").status_code == 404
    assert client.get(f"/people/places/{world['place'].pk}/").status_code == 404
    client.force_login(demo.user("wn-housing"))
    assert client.get(f"/people/{world['person'].pk}/").status_code == 404
    # The police officer's agency is party to the case: they may open the profile, and see the case.
    client.force_login(demo.user("wn-police"))
    page = client.get(f"/people/{world['person'].pk}/")
    assert page.status_code == 200 and world["case"].reference in page.content.decode()
    # An Islington search finds nothing of West Northamptonshire.
    client.force_login(demo.user("is-csm"))
    found = _search(client, name="Evans").content.decode()
    assert "No one and nowhere found" in found and "Llŷr" not in found


@pytest.mark.django_db
def test_search_by_each_term(world, demo):
    police = demo.user("wn-police")
    terms = selectors.SearchTerms
    assert [r.record for r in selectors.signpost_search(police, terms(name="LLYR"))] == [world["person"]]
    assert [r.record for r in selectors.signpost_search(police, terms(name="lee evans"))] == [world["person"]]
    assert [
        r.record for r in selectors.signpost_search(police, terms(date_of_birth=dt.date(1980, 3, 27)))
    ] == [world["person"]]
    assert [r.record for r in selectors.signpost_search(police, terms(partner_key="CX-0042"))] == [
        world["person"]
    ]
    by_uprn = [r.record for r in selectors.signpost_search(police, terms(uprn=UPRN))]
    assert world["person"] in by_uprn and world["place"] in by_uprn
    assert world["place"] in [r.record for r in selectors.signpost_search(police, terms(postcode="nn11aa"))]
    assert selectors.signpost_search(police, terms(name="Nobody Here")) == []


def _link_rows():
    return {
        "identifiers": sorted(Identifier.objects.values_list("pk", "person_id")),
        "places": sorted(PersonPlaceLink.objects.values_list("pk", "person_id", "place_id")),
        "parties": sorted(CasePartyLink.objects.values_list("pk", "person_id")),
        "reports": sorted(ReportLink.objects.values_list("pk", "person_id", "place_id")),
    }


@pytest.mark.django_db
def test_merge_and_unmerge_leave_every_link_as_it_was(world, demo, client):
    csm = world["csm"]
    services.report_resolve(report=world["report"])
    duplicate = services.person_create(
        partnership=world["wn"], data=services.PersonData(full_name="Llyr Evans"), actor=csm
    )
    services.identifier_add(person=duplicate, kind=IdentifierKind.HOUSING, value="H-77", actor=csm)
    other_case = make_application(world["wn"], victim_name="Llyr Evans", incidents=POLICE_AND_COUNCIL)
    services.case_party_link(person=duplicate, party=other_case.victim, actor=csm)
    before = _link_rows()

    client.force_login(csm)
    confirm = client.post(
        f"/people/{world['person'].pk}/merge/", {"duplicate": duplicate.pk, "reason": "Same DOB"}
    )
    assert confirm.status_code == 200 and "Check before merging" in confirm.content.decode()
    assert not Merge.objects.exists()  # nothing happens before the confirmation
    done = client.post(
        f"/people/{world['person'].pk}/merge/",
        {"duplicate": duplicate.pk, "reason": "Same DOB", "confirmed": "yes"},
    )
    assert done.status_code == 302
    merge = Merge.objects.get()
    assert not Identifier.objects.filter(person=duplicate).exists()
    assert world["case"].reference in client.get(f"/people/{world['person'].pk}/").content.decode()
    assert other_case.reference in client.get(f"/people/{world['person'].pk}/").content.decode()
    # Merged records are out of search.
    assert [r.record for r in selectors.signpost_search(csm, selectors.SearchTerms(name="Llyr Evans"))] == [
        world["person"]
    ]
    # A link made after the merge: the officer sends it to the duplicate at the unmerge.
    later = services.identifier_add(
        person=world["person"], kind=IdentifierKind.POLICE, value="P-1", actor=csm
    )
    page = client.get(f"/people/merges/{merge.pk}/")
    key = f"people.identifier:{later.pk}:person"
    assert key in page.content.decode()
    refused = client.post(f"/people/merges/{merge.pk}/", {"reason": "Different people"})
    assert refused.status_code == 200 and Merge.objects.get().unmerged_at is None
    undone = client.post(f"/people/merges/{merge.pk}/", {"reason": "Different people", key: "duplicate"})
    assert undone.status_code == 302
    after = _link_rows()
    after["identifiers"].remove((later.pk, duplicate.pk))
    assert after == before
    merge.refresh_from_db()
    assert merge.after_choices == [["people.identifier", later.pk, "person", "duplicate"]]
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    summaries = list(
        AccessEvent.objects.filter(object_type="people.person").values_list("summary", flat=True)
    )
    assert any("merged into" in s for s in summaries) and any("undone" in s for s in summaries)


@pytest.mark.django_db
def test_place_merge_and_unmerge(world):
    csm = world["csm"]
    services.report_resolve(report=world["report"])
    duplicate = services.place_create(
        partnership=world["wn"], data=services.PlaceData(address="12 Acacia Ave"), actor=csm
    )
    ReportLink.objects.filter(role="location").update(place=duplicate)
    before = _link_rows()
    merge = services.record_merge(
        kind="place", kept=world["place"], duplicate=duplicate, reason="Same", actor=csm
    )
    assert ReportLink.objects.get(role="location").place == world["place"]
    services.record_unmerge(merge=merge, reason="Not the same", choices={}, actor=csm)
    assert _link_rows() == before


@pytest.mark.django_db
def test_merge_refused_without_a_reason_changes_nothing(world, unchanged_rows):
    duplicate = services.person_create(
        partnership=world["wn"], data=services.PersonData(full_name="X"), actor=world["csm"]
    )
    with unchanged_rows(), pytest.raises(ValidationError):
        services.record_merge(
            kind="person", kept=world["person"], duplicate=duplicate, reason=" ", actor=world["csm"]
        )


@pytest.mark.django_db
def test_retention_deletes_profiles_in_no_kept_record(world):
    csm = world["csm"]
    lonely = services.person_create(
        partnership=world["wn"], data=services.PersonData(full_name="Old One"), actor=csm
    )
    services.identifier_add(person=lonely, kind=IdentifierKind.NI, value="QQ123456C", actor=csm)
    Person.objects.filter(pk=lonely.pk).update(updated_at=dt.datetime(2015, 1, 1, tzinfo=dt.UTC))
    Place.objects.filter(pk=world["place"].pk).update(updated_at=dt.datetime(2015, 1, 1, tzinfo=dt.UTC))
    today = dt.date(2026, 1, 1)
    due = retention.plan(today=today)
    # The place is kept: a person in a kept case lives there.
    assert (due.people, due.places) == (1, 0)
    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", "2026-01-01", stdout=out)
    assert "1 person profile(s) and 0 place(s)" in out.getvalue()
    call_command("retention", "--confirm", "--as-of", "2026-01-01", stdout=io.StringIO())
    assert not Person.objects.filter(pk=lonely.pk).exists()
    assert not Identifier.objects.filter(person_id=lonely.pk).exists()
    assert Person.objects.filter(pk=world["person"].pk).exists()


@pytest.mark.django_db
def test_subject_access_includes_the_profile(world):
    from casereview.people.subject_access import people_about

    section = people_about(world["case"].victim, lambda text: text)
    assert section["lists"]["Your profile"][0]["name"] == "Llŷr Evans"
    assert {row["kind"] for row in section["lists"]["Your identifiers"]} == {
        "A partner's own key (as in the report log)",
        "NHS number",
    }
    assert section["lists"]["Places linked to you"][0]["UPRN"] == UPRN


@pytest.mark.django_db
def test_case_page_links_a_party_to_a_profile(demo, client):
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    case = make_application(wn, victim_name="Mo Case", incidents=POLICE_AND_COUNCIL)
    client.force_login(csm)
    page = client.get(f"/cases/{case.reference}/people/").content.decode()  # its page (ADR 0093)
    assert "People and places" in page and "Nothing to show here" not in page
    done = client.post(f"/people/case/{case.reference}/link/", {"party": case.victim.pk, "person": "new"})
    assert done.status_code == 302
    link = CasePartyLink.objects.get(party=case.victim)
    assert link.person.full_name == "Mo Case"
    client.force_login(demo.user("is-csm"))
    assert (
        client.post(
            f"/people/case/{case.reference}/link/", {"party": case.victim.pk, "person": "new"}
        ).status_code
        == 404
    )
