"""People and places (search and signpost), panel referrals and interventions over the partner API
(issue 18): the owning apps' selectors and services as the client's agency, the access log naming the
client and the declared person, another agency's or partnership's record the 404 of an unknown one."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.api.services import api_client_create
from casereview.audit.models import AccessEvent
from casereview.interventions import services as interventions
from casereview.interventions.models import Step
from casereview.people import services as people
from casereview.people.models import IdentifierKind, Person
from casereview.referrals.models import Referral
from casereview.reports.services import report_record
from tests.api.conftest import ALL_SCOPES, Api, token_for

pytestmark = pytest.mark.django_db

UPRN = "100021234567"


def _client(demo, slug: str, kind: str, scopes: str = ALL_SCOPES) -> Api:
    made = api_client_create(
        partnership=demo.partnership(slug), agency_name=demo.agency(slug, kind).name, scopes=scopes
    )
    return Api(token_for(made), acting="PC 4321 (force system)")


@pytest.fixture
def resident(demo):
    """A person known to the police and to health (a sensitive agency) by the reports they made."""
    wn = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    police = demo.agency("west-northamptonshire", "police")
    reports = [
        report_record(
            partnership=wn,
            agency=demo.agency("west-northamptonshire", kind),
            reported_at=dt.datetime(2025, 3, day, 12, 0, tzinfo=dt.UTC),
            location=UPRN,
            caller="CX-0042",
            actor=csm,
        )
        for day, kind in ((1, "police"), (2, "health"))
    ]
    place = people.place_create(
        partnership=wn, data=people.PlaceData(address="12 Acacia Avenue", uprn=UPRN), actor=csm
    )
    person = people.person_create(partnership=wn, data=people.PersonData(full_name="Llŷr Evans"), actor=csm)
    for agency in (police, demo.agency("west-northamptonshire", "health")):
        people.identifier_add(
            person=person, kind=IdentifierKind.PARTNER_KEY, value="CX-0042", agency=agency, actor=csm
        )
    people.reports_resolve(reports=reports)
    return person, place


def test_a_partner_finds_who_works_with_a_person_and_a_place_never_a_sensitive_agency(demo, resident):
    housing = _client(demo, "west-northamptonshire", "housing")
    answer = housing.get("/api/v1/people?partner_key=CX-0042")
    assert answer.status_code == 200, answer.content
    (found,) = answer.json()["results"]
    assert found["kind"] == "person"
    agencies = {k["agency"]: k for k in found["known_to"]}
    assert "Northamptonshire Police" in agencies and "NHS Northamptonshire ICB" not in agencies
    assert agencies["Another agency"]["withheld"] is True
    assert "Llŷr" not in answer.content.decode() and "Evans" not in answer.content.decode()
    event = AccessEvent.objects.filter(action="search", purpose="Search and signpost").latest("id")
    assert event.details["api_client"] and event.details["acting_person"] == "PC 4321 (force system)"
    assert event.details["fields"] == ["partner_key"]

    (place,) = housing.get(f"/api/v1/places?uprn={UPRN}").json()["results"]
    assert place["kind"] == "place"
    assert [k["agency"] for k in place["known_to"]] == ["Northamptonshire Police", "Another agency"]
    # Another partnership's partner finds nothing of West Northamptonshire's.
    islington = _client(demo, "islington", "housing")
    assert islington.get("/api/v1/people?partner_key=CX-0042").json() == {"results": []}
    assert islington.get(f"/api/v1/places?uprn={UPRN}").json() == {"results": []}


def test_a_search_without_a_term_names_the_field(demo):
    housing = _client(demo, "west-northamptonshire", "housing")
    answer = housing.get("/api/v1/people")
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["errors"] == [{"detail": "Give a partner key or a UPRN.", "pointer": "/partner_key"}]
    assert housing.get("/api/v1/places?uprn=flat-3").json()["errors"][0]["pointer"] == "/uprn"


REFERRAL = {
    "panel_kind": "cmarac",
    "summary": "Tenant targeted by neighbours; self-neglect; door kicked in twice.",
    "consent": "given",
    "person_name": "Jo Bloggs",
    "vulnerabilities": ["mental_health"],
    "risk_answers": ["harm_to_self", "harm_from_others"],
    "asb_reports": 4,
}


def test_a_housing_system_refers_once_whatever_the_retries_and_reads_its_referral(demo):
    housing = _client(demo, "islington", "housing")
    first = housing.post("/api/v1/referrals", REFERRAL, HTTP_IDEMPOTENCY_KEY="ref-1")
    assert first.status_code == 201, first.content
    again = housing.post("/api/v1/referrals", REFERRAL, HTTP_IDEMPOTENCY_KEY="ref-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1
    referral = Referral.objects.get()
    assert referral.agency == demo.agency("islington", "housing")
    assert referral.referred_by.api_client.agency == referral.agency
    body = first.json()
    assert body["risk_level"] == "medium" and body["person_name"] == "Jo Bloggs" and body["reasons"]
    created = AccessEvent.objects.filter(object_type="referrals.referral", action="create")
    assert f"Referral {referral.pk} to cmarac made" in {e.summary for e in created}
    assert {e.details["acting_person"] for e in created} == {"PC 4321 (force system)"}

    assert housing.get(f"/api/v1/referrals/{referral.pk}").json()["id"] == referral.pk
    assert [r["id"] for r in housing.get("/api/v1/referrals").json()["results"]] == [referral.pk]
    # Another partnership's system: the referral is the 404 of an unknown one.
    other = _client(demo, "west-northamptonshire", "housing")
    assert (
        other.get(f"/api/v1/referrals/{referral.pk}").json() == other.get("/api/v1/referrals/999999").json()
    )
    assert other.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    assert other.get("/api/v1/referrals").json()["results"] == []


def test_a_referral_short_of_the_criteria_stores_nothing_and_says_why(demo, unchanged_rows):
    housing = _client(demo, "islington", "housing")
    with unchanged_rows(Referral, Person):
        answer = housing.post("/api/v1/referrals", {**REFERRAL, "risk_answers": ["tenancy_at_risk"]})
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["reasons"], answer.json()
    with unchanged_rows(Referral, Person):
        answer = housing.post("/api/v1/referrals", {**REFERRAL, "consent": "refused"})
    assert answer.status_code == 422
    pointers = {e["pointer"] for e in answer.json()["errors"]}
    assert "/lawful_basis" in pointers and "/consent_notes" in pointers
    unknown = housing.post("/api/v1/referrals", {**REFERRAL, "panel_kind": "nope"})
    assert unknown.json()["errors"][0]["pointer"] == "/panel_kind"


@pytest.fixture
def intervention(demo):
    partnership = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    adult = people.person_create(
        partnership=partnership,
        data=people.PersonData(full_name="Lee Adult", date_of_birth=dt.date(1990, 1, 1)),
        actor=csm,
    )
    return interventions.intervention_open(
        partnership=partnership,
        lead_agency=demo.agency("west-northamptonshire", "council"),
        officer=csm,
        opened_on=dt.date(2026, 1, 5),
        summary="Intimidating neighbours",
        person=adult,
        actor=csm,
    )


STEP = {"kind": "warning_letter", "served_on": "2026-01-10", "how_served": "post"}


def test_the_lead_agency_reads_an_intervention_and_records_a_step_with_if_match(demo, intervention):
    council = _client(demo, "west-northamptonshire", "council")
    listed = council.get("/api/v1/interventions").json()["results"]
    assert [i["id"] for i in listed] == [intervention.pk]
    read = council.get(f"/api/v1/interventions/{intervention.pk}")
    assert read.status_code == 200 and read.json()["steps"] == []
    etag = read["ETag"]
    url = f"/api/v1/interventions/{intervention.pk}/steps"
    assert council.post(url, STEP).status_code == 428
    made = council.post(url, STEP, HTTP_IF_MATCH=etag)
    assert made.status_code == 201, made.content
    assert made.json()["issuing_agency"] == demo.agency("west-northamptonshire", "council").name
    assert made["ETag"] != etag
    # The same ETag again is stale: refused, nothing written.
    before = Step.objects.count()
    assert council.post(url, {**STEP, "kind": "second_warning"}, HTTP_IF_MATCH=etag).status_code == 412
    assert Step.objects.count() == before
    viewed = AccessEvent.objects.filter(object_type="interventions.intervention", action="view").latest("id")
    assert viewed.details["api_client"] and viewed.details["acting_person"] == "PC 4321 (force system)"


def test_a_step_the_law_refuses_stores_nothing_and_gives_the_reasons(demo, intervention, unchanged_rows):
    council = _client(demo, "west-northamptonshire", "council")
    url = f"/api/v1/interventions/{intervention.pk}/steps"
    etag = council.get(f"/api/v1/interventions/{intervention.pk}")["ETag"]
    # A Fixed Penalty Notice needs a CPN before it: the law refuses it.
    with unchanged_rows(Step):
        answer = council.post(url, {**STEP, "kind": "fpn"}, HTTP_IF_MATCH=etag)
    assert answer.status_code == 422, answer.content
    assert answer.json()["reasons"]


def test_an_agency_not_leading_the_intervention_gets_the_404_of_an_unknown_one(demo, intervention):
    housing = _client(demo, "west-northamptonshire", "housing")
    assert housing.get("/api/v1/interventions").json()["results"] == []
    real = housing.get(f"/api/v1/interventions/{intervention.pk}")
    unknown = housing.get("/api/v1/interventions/999999")
    assert real.status_code == unknown.status_code == 404 and real.json() == unknown.json()
    step = housing.post(f"/api/v1/interventions/{intervention.pk}/steps", STEP, HTTP_IF_MATCH='"1"')
    assert step.status_code == 404
    islington = _client(demo, "islington", "council")
    assert islington.get(f"/api/v1/interventions/{intervention.pk}").status_code == 404


# --- Opening and closing an intervention --------------------------------------------------------


def _opened(demo, resident, police, **extra):
    person, _ = resident
    body = {
        "person_profile": person.pk,
        "opened_on": "2026-01-05",
        "summary": "Intimidating neighbours",
        **extra,
    }
    return police.post("/api/v1/interventions", body, HTTP_IDEMPOTENCY_KEY="open-1")


def test_the_police_open_an_intervention_once_whatever_the_retries_then_close_it_with_if_match(
    demo, resident
):
    from casereview.interventions.models import Intervention

    police = _client(demo, "west-northamptonshire", "police")
    made = _opened(demo, resident, police)
    assert made.status_code == 201, made.content
    again = _opened(demo, resident, police)
    assert again.status_code == 201 and again.json() == made.json() and again["Idempotent-Replayed"] == "true"
    assert Intervention.objects.count() == 1
    item = Intervention.objects.get()
    body = made.json()
    assert body["id"] == item.pk and body["lead_agency"] == "Northamptonshire Police"
    assert body["subject"] == "person" and body["status"] == "open" and made["ETag"] == f'"{item.version}"'
    assert item.person == resident[0] and item.officer == item.lead_agency.api_clients.get().service_user
    # The same page's service: its case on the kernel, the police party to it, the timeline's line.
    assert item.casework.kind == "intervention" and item.events.filter(kind="opened").exists()
    created = AccessEvent.objects.filter(object_type="interventions.intervention", action="create")
    assert f"Intervention {item.pk} opened" in {e.summary for e in created}
    assert {e.details["acting_person"] for e in created} == {"PC 4321 (force system)"}
    # Another body with the same key is refused.
    conflict = _opened(demo, resident, police, summary="Something else")
    assert conflict.status_code == 409 and Intervention.objects.count() == 1

    url = f"/api/v1/interventions/{item.pk}/close"
    assert police.post(url).status_code == 428
    assert police.post(url, HTTP_IF_MATCH='"999"').status_code == 412
    item.refresh_from_db()
    assert item.status == "open"
    closed = police.post(url, HTTP_IF_MATCH=made["ETag"])
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed["ETag"] == f'"{item.version + 1}"'
    item.refresh_from_db()
    assert item.status == "closed" and item.casework.status == "closed"
    # Closing it again: the case's status table refuses, in words; nothing changes.
    before = item.version
    twice = police.post(url, HTTP_IF_MATCH=closed["ETag"])
    assert twice.status_code == 422 and twice["Content-Type"] == "application/problem+json"
    assert twice.json()["reasons"], twice.json()
    item.refresh_from_db()
    assert item.version == before


def test_opening_for_a_person_the_agency_may_not_see_names_the_field_and_stores_nothing(
    demo, resident, unchanged_rows
):
    from casereview.interventions.models import Intervention

    housing = _client(demo, "west-northamptonshire", "housing")  # the resident's reports were not to housing
    with unchanged_rows(Intervention, Person):
        hidden = _opened(demo, resident, housing)
    assert hidden.status_code == 422 and hidden["Content-Type"] == "application/problem+json"
    assert hidden.json()["errors"] == [
        {"detail": "There is no person profile with that number you may see.", "pointer": "/person_profile"}
    ]
    police = _client(demo, "west-northamptonshire", "police")
    with unchanged_rows(Intervention):
        blank = _opened(demo, resident, police, summary="   ", nation="scotland")
    assert blank.status_code == 422
    assert {e["pointer"] for e in blank.json()["errors"]} == {"/summary", "/nation"}
    with unchanged_rows(Intervention):
        blank = _opened(demo, resident, police, summary=" \t")
    assert blank.status_code == 422, blank.content
    # Without the write scope: 403, nothing opened.
    reader = _client(demo, "west-northamptonshire", "police", scopes="interventions:read")
    with unchanged_rows(Intervention):
        assert _opened(demo, resident, reader).status_code == 403


def test_only_the_lead_agency_closes_and_another_partnership_gets_the_404(demo, intervention, unchanged_rows):
    from casereview.interventions.models import Intervention

    # The police issued a step (recorded on the page): they may read it, but not close it.
    interventions.step_record(
        intervention=intervention,
        data=interventions.StepData(
            issuing_agency=demo.agency("west-northamptonshire", "police"),
            kind="warning_letter",
            served_on=dt.date(2026, 1, 10),
            how_served="post",
        ),
        actor=demo.user("wn-csm"),
    )
    url = f"/api/v1/interventions/{intervention.pk}/close"
    police = _client(demo, "west-northamptonshire", "police")
    etag = police.get(f"/api/v1/interventions/{intervention.pk}")["ETag"]
    with unchanged_rows(Intervention):
        refused = police.post(url, HTTP_IF_MATCH=etag)
    assert refused.status_code == 403 and "lead agency" in refused.json()["detail"]
    islington = _client(demo, "islington", "council")
    with unchanged_rows(Intervention):
        real = islington.post(url, HTTP_IF_MATCH=etag)
    unknown = islington.post("/api/v1/interventions/999999/close", HTTP_IF_MATCH=etag)
    assert real.status_code == 404 and real.json() == unknown.json()
    council = _client(demo, "west-northamptonshire", "council")
    assert council.post(url, HTTP_IF_MATCH=etag).status_code == 200


# --- A household or an address referred over the API (ADR 0076) ------------------------------------


def answer_text(body) -> str:
    import json

    return json.dumps(body, ensure_ascii=False)


HOUSEHOLD = {
    **{k: v for k, v in REFERRAL.items() if k != "person_name"},
    "subject_kind": "household",
    "household_names": ["Cy One", "Dee Two"],
    "address": "Flat 4, 20 Holloway Road",
    "postcode": "N7 8AA",
}


def test_a_housing_system_refers_a_household_once_and_reads_it_back(demo):
    housing = _client(demo, "islington", "housing")
    first = housing.post("/api/v1/referrals", HOUSEHOLD, HTTP_IDEMPOTENCY_KEY="hh-1")
    assert first.status_code == 201, first.content
    again = housing.post("/api/v1/referrals", HOUSEHOLD, HTTP_IDEMPOTENCY_KEY="hh-1")
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    referral = Referral.objects.get()
    assert referral.subject_kind == "household" and referral.place.address == "Flat 4, 20 Holloway Road"
    assert sorted(referral.household.values_list("full_name", flat=True)) == ["Cy One", "Dee Two"]
    assert Person.objects.filter(full_name__in=["Cy One", "Dee Two"]).count() == 2  # not twice
    read = housing.get(f"/api/v1/referrals/{referral.pk}").json()
    assert read == first.json()
    assert (read["subject_kind"], read["household_size"], read["address"]) == (
        "household",
        2,
        "Flat 4, 20 Holloway Road",
    )
    # One name, as for a person (the first member); the others are counted, not named.
    assert read["person_name"] == referral.person.full_name and referral.person in referral.household.all()
    other = ({"Cy One", "Dee Two"} - {read["person_name"]}).pop()
    assert other not in answer_text(read)
    assert [r["subject_kind"] for r in housing.get("/api/v1/referrals").json()["results"]] == ["household"]


def test_an_address_referral_over_the_api_names_no_person(demo):
    housing = _client(demo, "islington", "housing")
    body = {
        **{k: v for k, v in REFERRAL.items() if k != "person_name"},
        "subject_kind": "address",
        "address": "7 Cuckoo Court",
        "uprn": "100031234567",
    }
    answer = housing.post("/api/v1/referrals", body)
    assert answer.status_code == 201, answer.content
    referral = Referral.objects.get()
    assert (referral.subject_kind, referral.person, referral.place.uprn) == ("address", None, "100031234567")
    read = housing.get(f"/api/v1/referrals/{referral.pk}").json()
    assert (read["subject_kind"], read["person_name"], read["household_size"]) == ("address", "", 0)
    assert (read["address"], read["uprn"]) == ("7 Cuckoo Court", "100031234567")
    assert "of someone living at the address" in " ".join(read["reasons"])


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"household_names": ["Only One"]}, "/household_names"),
        ({"uprn": "flat-3"}, "/uprn"),
        ({"address": "", "postcode": ""}, "/address"),
        ({"household_profiles": [999999]}, "/household_profiles"),
        ({"place_profile": 999999, "address": "", "postcode": ""}, "/place_profile"),
        ({"subject_kind": "street"}, "/subject_kind"),
    ],
)
def test_a_bad_household_or_address_names_the_field_and_stores_nothing(demo, unchanged_rows, change, pointer):
    from casereview.people.models import Place

    housing = _client(demo, "islington", "housing")
    with unchanged_rows(Referral, Person, Place):
        answer = housing.post("/api/v1/referrals", {**HOUSEHOLD, **change}, HTTP_IDEMPOTENCY_KEY="bad-1")
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert pointer in {e["pointer"] for e in answer.json()["errors"]}, answer.json()
