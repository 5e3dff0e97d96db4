"""Search and signpost and the person page in Chromium, with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.people import services
from casereview.people.models import IdentifierKind
from casereview.reports.services import report_record
from tests.conftest import assert_accessible, sign_in
from tests.factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_and_person_pages(page, demo):
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    police = demo.agency("west-northamptonshire", "police")
    report = report_record(
        partnership=wn,
        agency=police,
        reported_at=dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC),
        location="100021234567",
        caller="CX-0042",
        actor=csm,
    )
    case = make_application(
        wn,
        victim_name="Llŷr Evans",
        incidents=[(dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12))],
        actor=csm,
    )
    place = services.place_create(
        partnership=wn, data=services.PlaceData(address="12 Acacia Avenue", uprn="100021234567"), actor=csm
    )
    person = services.person_create(
        partnership=wn, data=services.PersonData(full_name="Llŷr Evans"), actor=csm
    )
    services.identifier_add(person=person, kind=IdentifierKind.PARTNER_KEY, value="CX-0042", actor=csm)
    services.person_place_link(person=person, place=place, kind="lives_at", actor=csm)
    services.case_party_link(person=person, party=case.victim, actor=csm)
    services.report_resolve(report=report)

    sign_in(page, "wn-housing")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto("/people/")
    assert_accessible(page)
    page.get_by_label("Name or alias").fill("llyr evans")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert "llyr" not in page.url.lower()
    body = page.locator("main").inner_text()
    assert "Known to:" in body and "Northamptonshire Police" in body and case.reference not in body
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "wn-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"/people/{person.pk}/")
    assert case.reference in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"/people/places/{place.pk}/")
    assert report.agency_reference in page.locator("main").inner_text()
    assert_accessible(page)
