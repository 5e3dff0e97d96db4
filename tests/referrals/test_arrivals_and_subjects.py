"""Issue 16's routes into a standing panel and its subjects (ADR 0076, 0077): a repeat caller
arrives from the report log's triage (the caller's person as the subject, the triage's findings as
the reason) and the triage then links to the referral; a hotspot arrives as an Enhanced Partnership
Response (the place as the subject, the window's count as the reason); a household or an address
is the subject of any referral, with the parties on the kernel case to match."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casereview.applications.models import CaseEvent
from casereview.applications.selectors import case_parties
from casereview.people.models import CasePartyLink, Person, PersonPlaceLink, Place
from casereview.people.services import PersonData, PlaceData, person_create, place_create, report_link_confirm
from casereview.referrals import services
from casereview.referrals.models import Referral
from casereview.reports.models import TriageOutcome
from casereview.reports.services import repeat_caller_triage_record
from tests.reports.helpers import make_report

pytestmark = pytest.mark.django_db

CALLER = "07700 900123"


@pytest.fixture
def islington(demo):
    return demo.partnership("islington")


def _kind(islington, code):
    return islington.policy.panel_kind(code)


def _repeat_caller(demo, islington, *, risk="high", vulnerable=True):
    """A caller who meets the out-of-hours rule (10 calls in 3 months, 2 in the last month), linked
    to a person profile, and triaged by the community safety team."""
    today = timezone.localdate()
    reports = [
        make_report(
            islington, day=today - dt.timedelta(days=3 + 5 * n), caller=CALLER, channel="out_of_hours_line"
        )
        for n in range(10)
    ]
    csm = demo.user("is-csm")
    person = person_create(partnership=islington, data=PersonData(full_name="Morag Caller"), actor=csm)
    report_link_confirm(report=reports[0], person=person, actor=csm)
    triage = repeat_caller_triage_record(
        partnership=islington,
        caller=reports[0].caller,
        rule="out_of_hours_line",
        calls=10,
        as_of=today,
        vulnerable=vulnerable,
        risk=risk,
        outcome=TriageOutcome.MULTI_AGENCY,
        notes="" if vulnerable and risk != "low" else "Checked.",
        actor=csm,
    )
    return reports[0], person, triage


def _hotspot(islington, location="12 Example Street", reports=8):
    today = timezone.localdate()
    for n in range(reports):
        make_report(islington, day=today - dt.timedelta(days=n % 10), location=location)


def _field_value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    return found.group(1) if found else ""


# --- 1. A repeat caller arriving from the triage ----------------------------------------------------


def test_a_triaged_repeat_caller_is_referred_to_the_repeat_callers_panel_and_the_triage_links_to_it(
    demo, islington, client
):
    report, person, triage = _repeat_caller(demo, islington)
    client.force_login(demo.user("is-csm"))
    listing = client.get("/reports/repeat-callers/").content.decode()
    route = f"/referrals/repeat-callers/new/?triage={triage.pk}"
    assert "Refer to the Repeat Callers panel" in listing and route in listing

    form = client.get(route).content.decode()
    assert "From a repeat caller&#x27;s triage" in form
    assert _field_value(form, "person_profile") == str(person.pk)
    assert _field_value(form, "triage") == str(triage.pk)
    assert "10 calls under the out_of_hours_line rule" in form  # the findings, as the reason

    response = client.post(
        "/referrals/repeat-callers/new/",
        {
            "subject_kind": "person",
            "person_profile": str(person.pk),
            "vulnerabilities": ["social_isolation"],
            "risk_answers": ["caller_vulnerable", "no_service_response"],
            "asb_reports": "10",
            "summary": "Repeat caller: 10 calls; vulnerable; risk high.",
            "consent": "given",
            "triage": str(triage.pk),
        },
    )
    referral = Referral.objects.get(panel_kind="repeat-callers")
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert (referral.source, referral.triage_id, referral.person_id) == (
        "repeat_caller_triage",
        triage.pk,
        person.pk,
    )
    assert [code for code, _ in referral.reason_codes][:3] == [
        "referral_vulnerability_met",
        "referral_risk_met",
        "referral_criteria_met",
    ]
    subject = case_parties(referral.case).get(role="subject")
    assert CasePartyLink.objects.get(party=subject.person).person == person
    assert CaseEvent.objects.filter(application=referral.case, kind="panel_referred_from_triage").exists()

    # The triage shows the referral once made, on its page and in the list.
    made = f"Referred to Repeat Callers: case {referral.case.reference}"
    page = client.get(f"/reports/{report.pk}/triage/").content.decode()
    assert made in page and f"/referrals/{referral.pk}/" in page
    assert made in client.get("/reports/repeat-callers/").content.decode()


def test_a_triage_without_vulnerability_and_risk_offers_no_referral(demo, islington, client):
    _, _, triage = _repeat_caller(demo, islington, risk="low")
    client.force_login(demo.user("is-csm"))
    assert "Refer to the Repeat Callers panel" not in client.get("/reports/repeat-callers/").content.decode()


def test_the_triage_route_is_the_community_safety_teams_and_the_panels_that_take_it(demo, islington, client):
    _, _, triage = _repeat_caller(demo, islington)
    client.force_login(demo.user("is-police"))  # may refer to the panel, may not read triages
    assert client.get(f"/referrals/repeat-callers/new/?triage={triage.pk}").status_code == 404
    client.force_login(demo.user("is-csm"))
    assert client.get(f"/referrals/cmarac/new/?triage={triage.pk}").status_code == 404  # CMARAC takes none


def test_the_service_refuses_a_triage_for_a_panel_that_does_not_take_them(demo, islington, unchanged_rows):
    _, person, triage = _repeat_caller(demo, islington)
    data = services.ReferralData(
        summary="From the triage.",
        consent="given",
        person_profile=person.pk,
        vulnerabilities=["age"],
        risk_answers={"harm_to_self": True, "harm_from_others": True},
        asb_reports=3,
        triage_id=triage.pk,
    )
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        services.referral_make(
            partnership=islington, kind=_kind(islington, "cmarac"), data=data, actor=demo.user("is-csm")
        )
    assert "does not take referrals from a repeat caller" in str(error.value)


# --- 2. A hotspot arriving as an Enhanced Partnership Response ---------------------------------------


def test_a_hotspot_is_referred_as_an_enhanced_partnership_response_with_the_windows_count(
    demo, islington, client
):
    _hotspot(islington)
    client.force_login(demo.user("is-csm"))
    hotspots = client.get("/reports/hotspots/").content.decode()
    assert "Refer as an Enhanced Partnership Response" in hotspots
    route = "/referrals/enhanced-partnership-response/new/?location=12+Example+Street"
    assert route in hotspots.replace("&amp;", "&")

    form = client.get(route).content.decode()
    assert _field_value(form, "hotspot_location") == "12 Example Street"
    assert "8 reports at 12 Example Street" in form

    response = client.post(
        "/referrals/enhanced-partnership-response/new/",
        {
            "subject_kind": "address",
            "address": "12 Example Street",
            "hotspot_location": "12 Example Street",
            "asb_reports": "8",
            "summary": "A persistent location: 8 reports in two weeks.",
            "consent": "not_sought",
            "lawful_basis": "cda1998_s115",
            "consent_notes": "A place, not a person: shared for the prevention of crime and disorder.",
        },
    )
    referral = Referral.objects.get(panel_kind="enhanced-partnership-response")
    assert response.status_code == 302
    assert (referral.subject_kind, referral.source, referral.person) == ("address", "hotspot", None)
    assert referral.place.address == "12 Example Street"
    code, params = referral.reason_codes[0]
    assert code == "referral_hotspot_met" and (params["reports"], params["more_than"]) == (8, 6)
    assert not case_parties(referral.case).exists()  # an address: the place is linked, no person
    assert CaseEvent.objects.filter(application=referral.case, kind="panel_subject_address").exists()

    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Hotspot: met — 8 reports at 12 Example Street" in page
    assert "None: the case is about an address" in page
    # The hotspots page now links to the case instead of offering another referral.
    hotspots = client.get("/reports/hotspots/").content.decode()
    assert f"Referred to Enhanced Partnership Response: case {referral.case.reference}" in hotspots
    assert "Refer as an Enhanced Partnership Response" not in hotspots


def test_a_location_short_of_a_hotspot_is_not_met_and_stores_nothing(demo, islington, unchanged_rows):
    _hotspot(islington, location="3 Quiet Close", reports=5)
    data = services.ReferralData(
        summary="Persistent.",
        consent="not_sought",
        lawful_basis="cda1998_s115",
        consent_notes="A place.",
        subject_kind="address",
        address="3 Quiet Close",
        hotspot_location="3 Quiet Close",
    )
    with unchanged_rows(), pytest.raises(services.CriteriaNotMet) as refused:
        services.referral_make(
            partnership=islington,
            kind=_kind(islington, "enhanced-partnership-response"),
            data=data,
            actor=demo.user("is-csm"),
        )
    from casereview.core.reasons import render_all

    assert refused.value.result.unmet == ("hotspot",)
    assert "Hotspot: not met — 5 reports at 3 Quiet Close" in render_all(refused.value.result.reasons)[0]


def test_a_person_is_not_a_hotspot(demo, islington):
    data = services.ReferralData(summary="Persistent.", consent="given", person_name="Jo Bloggs")
    with pytest.raises(services.CriteriaNotMet) as refused:
        services.referral_make(
            partnership=islington,
            kind=_kind(islington, "enhanced-partnership-response"),
            data=data,
            actor=demo.user("is-csm"),
        )
    from casereview.core.reasons import render

    assert render(refused.value.result.reasons[0]).startswith("Hotspot: not met — the panel hears a place")


# --- 3. A household or an address as the subject -----------------------------------------------------


def _cmarac_data(**changes):
    return services.ReferralData(
        **{
            "summary": "A family targeted by neighbours; the mother is unwell.",
            "consent": "given",
            "vulnerabilities": ["mental_health"],
            "risk_answers": {"harm_to_self": True, "harm_from_others": True},
            "asb_reports": 4,
            **changes,
        }
    )


def test_a_household_is_every_member_a_party_at_one_place(demo, islington, client):
    housing = demo.user("is-housing")
    csm = demo.user("is-csm")
    known = person_create(partnership=islington, data=PersonData(full_name="Ada Household"), actor=csm)
    referral = services.referral_make(
        partnership=islington,
        kind=_kind(islington, "cmarac"),
        data=_cmarac_data(
            subject_kind="household",
            household_profiles=[known.pk],
            household_names=["Ben Household"],
            address="Flat 4, 20 Holloway Road",
            postcode="n7 8jl",
        ),
        actor=csm,
    )
    assert referral.subject_kind == "household" and referral.person == known
    members = set(referral.household.values_list("full_name", flat=True))
    assert members == {"Ada Household", "Ben Household"}
    parties = list(case_parties(referral.case))
    assert {(p.role, p.person.full_name) for p in parties} == {
        ("subject", "Ada Household"),
        ("subject", "Ben Household"),
    }
    linked = {
        link.person.full_name for link in CasePartyLink.objects.filter(party__in=[p.person for p in parties])
    }
    assert linked == members
    assert referral.place.postcode == "N7 8JL"
    assert PersonPlaceLink.objects.filter(place=referral.place, kind="lives_at").count() == 2
    assert CaseEvent.objects.filter(application=referral.case, kind="panel_subject_household").exists()
    code, params = referral.reason_codes[0]
    assert (code, params["subject"]) == ("referral_vulnerability_met", "household")

    client.force_login(csm)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Vulnerability: met — the referral records mental health in the household." in page
    assert "Ada Household" in page and "Ben Household" in page and "Flat 4, 20 Holloway Road" in page
    assert "A household of 2" in client.get("/referrals/cmarac/cases/").content.decode()
    # The one access selector still decides: the police are not on the case.
    client.force_login(demo.user("is-police"))
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    del housing


def test_a_household_of_one_is_refused_naming_the_field(demo, islington, unchanged_rows):
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        services.referral_make(
            partnership=islington,
            kind=_kind(islington, "cmarac"),
            data=_cmarac_data(subject_kind="household", household_names=["Only One"], address="1 Road"),
            actor=demo.user("is-housing"),
        )
    assert "household_names" in error.value.message_dict


def test_an_address_found_by_its_uprn_and_the_person_criteria_explain_themselves(demo, islington):
    csm = demo.user("is-csm")
    place = place_create(
        partnership=islington, data=PlaceData(address="7 Cuckoo Court", uprn="100031234567"), actor=csm
    )
    with pytest.raises(services.CriteriaNotMet) as refused:
        services.referral_make(
            partnership=islington,
            kind=_kind(islington, "cmarac"),
            data=_cmarac_data(subject_kind="address", uprn="100031234567", vulnerabilities=[]),
            actor=csm,
        )
    from casereview.core.reasons import render

    assert render(refused.value.result.reasons[0]).startswith(
        "Vulnerability: not met — vulnerability is a person's"
    )
    referral = services.referral_make(
        partnership=islington,
        kind=_kind(islington, "cmarac"),
        data=_cmarac_data(subject_kind="address", uprn="100031234567"),
        actor=csm,
    )
    assert referral.place == place and Place.objects.filter(uprn="100031234567").count() == 1
    assert render(referral.reason_codes[0]) == (
        "Vulnerability: met — the referral records mental health of someone living at the address."
    )
    assert Person.objects.filter(panel_referrals=referral).count() == 0


def test_the_form_takes_a_household(demo, islington, client):
    client.force_login(demo.user("is-housing"))
    response = client.post(
        "/referrals/cmarac/new/",
        {
            "subject_kind": "household",
            "household_names": "Cy One\nDee Two",
            "address": "9 Form Street",
            "vulnerabilities": ["age"],
            "risk_answers": ["harm_to_self", "harm_from_others"],
            "asb_reports": "2",
            "summary": "A household at risk.",
            "consent": "given",
        },
    )
    referral = Referral.objects.get(place__address="9 Form Street")
    assert response.status_code == 302 and referral.household.count() == 2


def test_the_form_names_a_bad_household_profile_number(demo, islington, client):
    client.force_login(demo.user("is-housing"))
    page = client.post(
        "/referrals/cmarac/new/",
        {
            "subject_kind": "household",
            "household_profiles": "12, x",
            "summary": "S",
            "consent": "given",
            "asb_reports": "1",
        },
    ).content.decode()
    assert "is not a profile number" in page and 'href="#id_household_profiles"' in page


def test_the_triage_page_names_the_panel_the_policy_routes_a_repeat_caller_to(demo, islington, client):
    """Not Community MARAC: the panel whose `referred_from` takes a repeat caller's triage (Islington's
    Repeat Callers), with its own criteria, in English and in Welsh; a policy routing it nowhere
    says so."""
    from django.utils import translation

    from casereview.reports.views import _triage_panels

    report, _, _ = _repeat_caller(demo, islington)
    client.force_login(demo.user("is-csm"))
    page = client.get(f"/reports/{report.pk}/triage/").content.decode()
    routed = [kind for kind in islington.policy.panel_kinds if "repeat_caller_triage" in kind.referred_from]
    assert [kind.name for kind in routed] == ["Repeat Callers"]
    assert (
        "A repeat caller who needs a multi-agency response is referred to the Repeat Callers panel, "
        "which needs vulnerability and risk." in page
    )
    assert "Community MARAC" not in page
    with translation.override("cy"):
        assert _triage_panels(islington) == [{"name": "Galwyr Mynych", "criteria": "bregusrwydd a risg"}]
    assert _triage_panels(demo.partnership("west-northamptonshire")) == []


# --- 4. The yearly figures count referrals by how they arrived ---------------------------------------


def test_the_yearly_figures_count_the_years_referrals_by_how_they_arrived(demo, islington, client):
    from casereview.referrals import figures

    today = timezone.localdate()
    year = figures.year_of(today)
    start, _ = figures.financial_year(year)
    csm = demo.user("is-csm")
    callers = _kind(islington, "repeat-callers")
    _, person, triage = _repeat_caller(demo, islington)

    def refer(kind, on=today, **changes):
        data = {
            "summary": "Repeat caller; vulnerable; risk high.",
            "consent": "given",
            "vulnerabilities": ["social_isolation"],
            "risk_answers": {"caller_vulnerable": True, "no_service_response": True},
            "asb_reports": 10,
            **changes,
        }
        return services.referral_make(
            partnership=islington, kind=kind, data=services.ReferralData(**data), actor=csm, today=on
        )

    refer(callers, person_profile=person.pk, triage_id=triage.pk)  # from the triage
    refer(callers, person_name="Walk In Caller")  # a partner's referral on the form
    refer(callers, person_name="Last Year Caller", on=start - dt.timedelta(days=1))  # not this year
    _hotspot(islington)
    refer(
        _kind(islington, "enhanced-partnership-response"),
        subject_kind="address",
        address="12 Example Street",
        hotspot_location="12 Example Street",
        vulnerabilities=[],
        risk_answers={},
        consent="not_sought",
        lawful_basis="cda1998_s115",
        consent_notes="A place.",
    )
    assert Referral.objects.count() == 4

    rows = {r.code: r for r in figures.panel_figures(islington, year=year)}
    got = {
        code: (r.referred, r.referred_by_partner, r.referred_from_triage, r.referred_from_hotspot)
        for code, r in rows.items()
    }
    assert got["repeat-callers"] == (2, 1, 1, 0)
    assert got["enhanced-partnership-response"] == (1, 0, 0, 1)
    assert got["cmarac"] == (0, 0, 0, 0)
    assert {r.code: r.referred for r in figures.panel_figures(islington, year=year - 1)}[
        "repeat-callers"
    ] == 1

    client.force_login(csm)
    csv_lines = client.get(f"/referrals/figures.csv?year={year}").content.decode().splitlines()
    assert csv_lines[0].endswith(
        "referred,referred_by_partner,referred_from_repeat_caller_triage,referred_from_hotspot"
    )
    assert any(line.startswith(f"{year},repeat-callers,") and line.endswith(",2,1,1,0") for line in csv_lines)
    page = client.get(f"/referrals/figures/?year={year}").content.decode()
    assert "Referrals made, by how they arrived" in page and "A repeat caller, from triage" in page


# --- 5. People and places merged: the referrals follow, and an unmerge puts them back --------------


def test_a_merge_of_people_moves_a_referrals_person_and_household_and_an_unmerge_restores_them(
    demo, islington
):
    from casereview.people.models import Merge
    from casereview.people.services import record_merge, record_unmerge

    csm = demo.user("is-csm")
    kept = person_create(partnership=islington, data=PersonData(full_name="Ann Evans"), actor=csm)
    duplicate = person_create(partnership=islington, data=PersonData(full_name="Ann Evans (dup)"), actor=csm)
    other = person_create(partnership=islington, data=PersonData(full_name="Bo Evans"), actor=csm)
    cmarac = _kind(islington, "cmarac")
    household = services.referral_make(
        partnership=islington,
        kind=cmarac,
        data=_cmarac_data(
            subject_kind="household", household_profiles=[duplicate.pk, other.pk], address="1 Road"
        ),
        actor=csm,
    )
    single = services.referral_make(
        partnership=islington, kind=cmarac, data=_cmarac_data(person_profile=duplicate.pk), actor=csm
    )
    both = services.referral_make(  # a household already holding both: the duplicate stays a member
        partnership=islington,
        kind=cmarac,
        data=_cmarac_data(
            subject_kind="household", household_profiles=[kept.pk, duplicate.pk], address="2 Road"
        ),
        actor=csm,
    )

    def state():
        for referral in (household, single, both):
            referral.refresh_from_db()
        return (
            household.person_id,
            sorted(household.household.values_list("pk", flat=True)),
            single.person_id,
            both.person_id,
            sorted(both.household.values_list("pk", flat=True)),
        )

    before = state()
    assert before == (
        duplicate.pk,
        sorted([duplicate.pk, other.pk]),
        duplicate.pk,
        kept.pk,
        sorted([kept.pk, duplicate.pk]),
    )
    merge = record_merge(kind="person", kept=kept, duplicate=duplicate, reason="Same person", actor=csm)
    assert state() == (
        kept.pk,
        sorted([kept.pk, other.pk]),
        kept.pk,
        kept.pk,
        sorted([kept.pk, duplicate.pk]),
    )
    recorded = {tuple(entry) for entry in Merge.objects.get(pk=merge.pk).moved if len(entry) == 4}
    assert ("referrals.referral", single.pk, "person", "referrals") in recorded
    assert ("referrals.referral", household.pk, "person", "referrals") in recorded
    # The case's subject party follows too (the people app's own link).
    subject = case_parties(single.case).get(role="subject")
    assert CasePartyLink.objects.get(party=subject.person).person_id == kept.pk

    record_unmerge(merge=merge, reason="Two people after all", choices={}, actor=csm)
    assert state() == before
    assert CasePartyLink.objects.get(party=subject.person).person_id == duplicate.pk


def test_a_referral_made_to_the_kept_person_after_a_merge_goes_where_the_unmerge_says(
    demo, islington, unchanged_rows
):
    """A referral made to the kept record after the merge is asked about at the unmerge, as its
    case's subject link (the people app's own) is: sent to the duplicate, the referral's person
    goes with it, so the referral and its case name the same person; kept, both stay. Without an
    answer for it the unmerge is refused and changes nothing."""
    from casereview.people.services import links_made_after, record_merge, record_unmerge

    csm = demo.user("is-csm")
    cmarac = _kind(islington, "cmarac")

    def merged_then_referred():
        kept = person_create(partnership=islington, data=PersonData(full_name="Ann Evans"), actor=csm)
        duplicate = person_create(partnership=islington, data=PersonData(full_name="Ann Evans"), actor=csm)
        merge = record_merge(kind="person", kept=kept, duplicate=duplicate, reason="Same person", actor=csm)
        later = services.referral_make(
            partnership=islington, kind=cmarac, data=_cmarac_data(person_profile=kept.pk), actor=csm
        )
        return kept, duplicate, merge, later

    kept, duplicate, merge, later = merged_then_referred()
    asked = {(row._meta.label_lower, row.pk, field): owner for row, field, owner in links_made_after(merge)}
    assert asked[("referrals.referral", later.pk, "person")] == "referrals"
    subject = case_parties(later.case).get(role="subject").person
    link = CasePartyLink.objects.get(party=subject)
    assert asked[("people.casepartylink", link.pk, "person")] == ""

    with unchanged_rows(), pytest.raises(ValidationError, match="where it goes"):
        record_unmerge(
            merge=merge,
            reason="Two people",
            choices={f"people.casepartylink:{link.pk}:person": "duplicate"},
            actor=csm,
        )

    everything = {f"{label}:{pk}:{field}": "duplicate" for label, pk, field in asked}
    record_unmerge(merge=merge, reason="Two people", choices=everything, actor=csm)
    later.refresh_from_db()
    link.refresh_from_db()
    assert (later.person_id, link.person_id) == (duplicate.pk, duplicate.pk)
    merge.refresh_from_db()
    assert ["referrals.referral", later.pk, "person", "duplicate"] in merge.after_choices

    # Kept: the referral stays with the kept person.
    kept, duplicate, merge, later = merged_then_referred()
    everything = {
        f"{row._meta.label_lower}:{row.pk}:{field}": "kept" for row, field, _ in links_made_after(merge)
    }
    record_unmerge(merge=merge, reason="Two people", choices=everything, actor=csm)
    later.refresh_from_db()
    assert later.person_id == kept.pk


def test_a_merge_of_places_moves_a_referrals_place_and_an_unmerge_restores_it(demo, islington):
    from casereview.people.services import record_merge, record_unmerge

    csm = demo.user("is-csm")
    kept = place_create(
        partnership=islington, data=PlaceData(address="7 Cuckoo Court", uprn="100031234567"), actor=csm
    )
    duplicate = place_create(partnership=islington, data=PlaceData(address="Flat at 7 Cuckoo Ct"), actor=csm)
    referral = services.referral_make(
        partnership=islington,
        kind=_kind(islington, "cmarac"),
        data=_cmarac_data(subject_kind="address", place_profile=duplicate.pk),
        actor=csm,
    )
    merge = record_merge(kind="place", kept=kept, duplicate=duplicate, reason="Same flat", actor=csm)
    referral.refresh_from_db()
    assert referral.place_id == kept.pk
    record_unmerge(merge=merge, reason="Two flats", choices={}, actor=csm)
    referral.refresh_from_db()
    assert referral.place_id == duplicate.pk


def test_the_merge_pages_show_the_referrals_the_merge_moves_and_name_those_made_since(
    demo, islington, client
):
    """The confirmation page counts the referrals the merge would move beside the people app's own
    links, and the unmerge page names a referral made since by its case, not "Referral 7"."""
    from casereview.people.services import record_merge

    csm = demo.user("is-csm")
    cmarac = _kind(islington, "cmarac")
    kept = person_create(partnership=islington, data=PersonData(full_name="Ann Evans"), actor=csm)
    duplicate = person_create(partnership=islington, data=PersonData(full_name="Ann Evans"), actor=csm)
    services.referral_make(
        partnership=islington, kind=cmarac, data=_cmarac_data(person_profile=duplicate.pk), actor=csm
    )
    client.force_login(csm)
    page = client.post(f"/people/{kept.pk}/merge/", {"duplicate": duplicate.pk, "reason": "Same person"})
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "Check before merging" in text
    assert "<li>1 panel referrals (the person referred)</li>" in text
    assert Referral.objects.get(person=duplicate)  # nothing moved by the check

    merge = record_merge(kind="person", kept=kept, duplicate=duplicate, reason="Same person", actor=csm)
    later = services.referral_make(
        partnership=islington, kind=cmarac, data=_cmarac_data(person_profile=kept.pk), actor=csm
    )
    text = client.get(f"/people/merges/{merge.pk}/").content.decode()
    assert f"The panel referral {later.case.reference} (the person referred)" in text
    assert f"Referral {later.pk}" not in text
