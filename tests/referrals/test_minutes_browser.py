"""The minutes issued as documents, and the tracker's closure notices, in Chromium with axe-core
(WCAG 2.2 AA): the chair opens the held meeting, sees who gets what, issues the minutes and finds
each agency's letter listed; the tracker's page shows a closure notice in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.interventions import services as interventions
from casereview.referrals.models import MinutesDocument
from casereview.tracker import services as tracker
from tests.conftest import assert_accessible, sign_in
from tests.referrals.test_standing_panels_more import DISCUSSIONS, held, refer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_issues_the_minutes_one_document_per_agency(page, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    islington = demo.partnership("islington")
    cmarac = islington.policy.panel_kind("cmarac")
    for kind in ("council", "police", "housing", "health"):
        islington.agencies.filter(kind=kind).update(email=f"panels@{kind}.example.org")
    jo = refer(demo, islington, cmarac, name="Jo Bloggs")
    meeting = held(demo, islington, cmarac, DISCUSSIONS)
    sign_in(page, "is-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"/referrals/meetings/{meeting.pk}/")
    assert "Not issued yet" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Issue the minutes").click()
    main = page.locator("main").inner_text()
    assert jo.case.reference in main and "panels@housing.example.org" in main
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Issue the minutes").click()
    assert "The minutes are issued to 2 agency(ies)" in page.locator("body").inner_text()
    assert MinutesDocument.objects.filter(meeting=meeting).count() == 2
    assert page.get_by_role("link", name="Issue the minutes again").is_visible()
    assert_accessible(page)
    page.goto("/referrals/cmarac/meetings/")
    assert page.get_by_role("link", name="Download these meetings as CSV").is_visible()
    assert_accessible(page)


def test_the_tracker_shows_a_closure_notice_in_force(page, demo):
    islington = demo.partnership("islington")
    csm = demo.user("is-csm")
    entry = tracker.entry_add(
        partnership=islington,
        data=tracker.AddressData(
            address="Flat 4\n21 Caledonian Road\nLondon",
            postcode="N1 9DX",
            uprn="100023336956",
            ward="Caledonian",
            occupant_name="Pat Doyle",
            concerns="Young men visiting at night.",
        ),
        actor=csm,
        today=timezone.localdate(),
    )
    council = demo.agency("islington", "council")
    served_at = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    intervention = interventions.intervention_open(
        partnership=islington,
        lead_agency=council,
        officer=csm,
        opened_on=timezone.localdate(served_at),
        summary="Drug dealing from the flat.",
        premises=entry.place,
        programme="enforcement",
        actor=csm,
    )
    interventions.step_record(
        intervention=intervention,
        data=interventions.StepData(
            kind="closure_notice",
            issuing_agency=council,
            served_on=timezone.localdate(served_at),
            how_served="affixed",
            served_at=served_at,
            duration_hours=24,
            duties=["appropriate_consulted", "occupants_informed"],
        ),
        actor=csm,
    )
    sign_in(page, "is-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"/tracker/{entry.pk}/")
    closures = page.locator("#closure-notices").inner_text()
    assert "Closure notice" in closures and "In force" in closures and "By " in closures
    assert_accessible(page)
    page.goto("/tracker/")
    assert "Closure in force" in page.locator("main").inner_text()
    assert_accessible(page)
