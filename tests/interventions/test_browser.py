"""The step form's refusal in Chromium, with axe-core (WCAG 2.2 AA): the error summary names the
rule and its date, links to what to do next, and nothing is recorded; then the list, the
intervention page (with a closure notice's hearing warning) and the figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.interventions import services
from casereview.interventions.models import Step
from casereview.people.services import PersonData, PlaceData, person_create, place_create
from tests.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_step_form_refuses_a_cpn_without_a_warning(page, demo):
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    council = demo.agency("west-northamptonshire", "council")
    person = person_create(
        partnership=wn, data=PersonData(full_name="Lee Adult", date_of_birth=dt.date(1990, 1, 1)), actor=csm
    )
    intervention = services.intervention_open(
        partnership=wn,
        lead_agency=council,
        officer=csm,
        opened_on=dt.date(2026, 1, 5),
        summary="Noise",
        person=person,
        actor=csm,
    )
    services.step_record(
        intervention=intervention,
        data=services.StepData(
            kind="warning_letter", issuing_agency=council, served_on=dt.date(2026, 1, 10), how_served="post"
        ),
        actor=csm,
    )
    sign_in(page, "wn-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto(f"/interventions/{intervention.pk}/steps/new/")
    assert_accessible(page)
    page.get_by_label("Step", exact=True).select_option("cpn")
    page.locator("#id_served_on_day").fill("1")
    page.locator("#id_served_on_month").fill("2")
    page.locator("#id_served_on_year").fill("2026")
    page.get_by_label("Prohibitions (what the person must not do)").fill("No shouting in the stairwell")
    with page.expect_navigation():
        page.get_by_role("button", name="Check and record the step").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The law does not allow this step on this date" in summary
    assert "s.43(5)(a), in force from 20 October 2014" in summary
    assert_accessible(page)
    assert Step.objects.filter(kind="cpn").count() == 0
    with page.expect_navigation():
        page.get_by_role("link", name="Record a Community Protection Warning first").click()
    assert page.get_by_label("Step", exact=True).input_value() == "cpw"

    place = place_create(partnership=wn, data=PlaceData(address="Flat 3, 9 Mill Lane"), actor=csm)
    closure = services.intervention_open(
        partnership=wn,
        lead_agency=council,
        officer=csm,
        opened_on=dt.date(2026, 3, 1),
        summary="Cuckooing",
        premises=place,
        actor=csm,
    )
    services.step_record(
        intervention=closure,
        data=services.StepData(
            kind="closure_notice",
            issuing_agency=council,
            served_on=timezone.localdate(),
            how_served="affixed",
            served_at=timezone.now() - dt.timedelta(hours=40),
            duration_hours=24,
            duties=["occupants_informed", "appropriate_consulted"],
        ),
        actor=csm,
    )
    page.goto(f"/interventions/{closure.pk}/")
    assert "Due soon" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/interventions/")
    assert_accessible(page)
    page.goto("/interventions/figures/")
    assert_accessible(page)
