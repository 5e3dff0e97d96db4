"""The interventions pages: the list with filters, opening one, the step form's refusal (the rule,
its date and what to do next; nothing written), figures as a page and CSV, and who may see what."""

import datetime as dt

import pytest

from casereview.audit.models import AccessEvent
from casereview.interventions import services
from casereview.interventions.models import Intervention, InterventionEvent, Step

pytestmark = pytest.mark.django_db


def date_post(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_open_an_intervention_and_see_it_listed(client, world):
    client.force_login(world.csm)
    response = client.post(
        "/interventions/new/",
        {
            "subject": "person",
            "person": str(world.adult.pk),
            "lead_agency": str(world.council.pk),
            "nation": "england",
            "summary": "Noise",
            **date_post("opened_on", dt.date(2026, 1, 5)),
        },
    )
    intervention = Intervention.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/interventions/{intervention.pk}/"
    listing = client.get("/interventions/")
    assert intervention.reference in listing.content.decode()
    assert intervention.reference not in client.get("/interventions/?subject=premises").content.decode()
    page = client.get(f"/interventions/{intervention.pk}/")
    assert "Record the next step" in page.content.decode()
    assert AccessEvent.objects.filter(object_type="interventions.intervention", action="view").exists()


def test_open_without_choosing_the_person_names_the_field(client, world):
    client.force_login(world.csm)
    response = client.post(
        "/interventions/new/",
        {
            "subject": "person",
            "lead_agency": str(world.council.pk),
            "nation": "england",
            "summary": "x",
            **date_post("opened_on", dt.date(2026, 1, 5)),
        },
    )
    assert response.status_code == 200
    assert "Choose the person" in response.content.decode()
    assert not Intervention.objects.exists()


def test_the_step_form_refuses_a_cpn_without_a_warning_naming_the_rule_and_what_to_do(
    client, world, unchanged_rows
):
    intervention = world.open_for(person=world.adult)
    client.force_login(world.csm)
    # The page's read is logged (audit); the intervention and its steps are untouched.
    with unchanged_rows(Intervention, Step, InterventionEvent):
        response = client.post(
            f"/interventions/{intervention.pk}/steps/new/",
            {
                "version": str(intervention.version),
                "kind": "cpn",
                "issuing_agency": str(world.council.pk),
                "how_served": "in_person",
                "prohibitions": "No shouting",
                **date_post("served_on", dt.date(2026, 2, 1)),
            },
        )
    text = response.content.decode()
    assert response.status_code == 400
    assert "The law does not allow this step on this date" in text
    assert "s.43(5)(a), in force from 20 October 2014" in text
    assert f"/interventions/{intervention.pk}/steps/new/?kind=cpw" in text


def test_a_step_the_law_allows_is_recorded_from_the_form(client, world):
    intervention = world.open_for(person=world.adult)
    client.force_login(world.csm)
    response = client.post(
        f"/interventions/{intervention.pk}/steps/new/",
        {
            "version": str(intervention.version),
            "kind": "cpw",
            "issuing_agency": str(world.council.pk),
            "how_served": "post",
            "prohibitions": "No shouting",
            **date_post("served_on", dt.date(2026, 2, 1)),
            **date_post("comply_by", dt.date(2026, 2, 15)),
        },
    )
    assert response.status_code == 302
    assert Step.objects.get().kind == "cpw"


def test_the_closure_notice_form_needs_its_time(client, world, unchanged_rows):
    intervention = world.open_for(premises=world.flat)
    client.force_login(world.csm)
    # The page's read is logged (audit); the intervention and its steps are untouched.
    with unchanged_rows(Intervention, Step, InterventionEvent):
        response = client.post(
            f"/interventions/{intervention.pk}/steps/new/",
            {
                "version": str(intervention.version),
                "kind": "closure_notice",
                "issuing_agency": str(world.council.pk),
                "how_served": "affixed",
                "duration_hours": "24",
                "duties": ["occupants_informed", "appropriate_consulted"],
                **date_post("served_on", dt.date(2026, 3, 2)),
            },
        )
    assert response.status_code == 200
    assert "hearing deadline runs from it" in response.content.decode()


def test_figures_page_and_csv(client, world):
    intervention = world.open_for(person=world.adult)
    services.step_record(
        intervention=intervention,
        data=services.StepData(
            kind="warning_letter",
            issuing_agency=world.council,
            served_on=dt.date(2026, 1, 10),
            how_served="post",
        ),
        actor=world.csm,
    )
    client.force_login(world.csm)
    assert "Intervention figures" in client.get("/interventions/figures/").content.decode()
    csv_text = client.get("/interventions/figures/?format=csv").content.decode()
    header, row = csv_text.strip().splitlines()[:2]
    assert header.startswith("year,agency,warnings,second_warning_or_escalated_within_12_months,share")
    assert row.startswith(f"2026,{world.council.name},1,0,0%")


def test_an_agency_officer_sees_only_their_agencys_interventions(client, world, demo):
    intervention = world.open_for(person=world.adult)
    client.force_login(demo.user("wn-health"))
    assert client.get(f"/interventions/{intervention.pk}/").status_code == 404
    assert intervention.reference not in client.get("/interventions/").content.decode()
    client.force_login(world.police_user)
    assert client.get(f"/interventions/{intervention.pk}/").status_code == 404
    services.step_record(
        intervention=intervention,
        data=services.StepData(
            kind="warning_letter",
            issuing_agency=world.police,
            served_on=dt.date(2026, 1, 10),
            how_served="post",
        ),
        actor=world.csm,
    )
    assert client.get(f"/interventions/{intervention.pk}/").status_code == 200


def test_close_an_intervention_on_its_page_after_confirming(client, world, unchanged_rows):
    intervention = world.open_for(person=world.adult)
    client.force_login(world.csm)
    detail = client.get(f"/interventions/{intervention.pk}/").content.decode()
    assert f'href="/interventions/{intervention.pk}/close/"' in detail
    page = client.get(f"/interventions/{intervention.pk}/close/")
    assert page.status_code == 200 and "Close the intervention" in page.content.decode()
    version = Intervention.objects.get(pk=intervention.pk).version

    with unchanged_rows(Intervention, InterventionEvent):
        refused = client.post(f"/interventions/{intervention.pk}/close/", {"version": str(version)})
    assert refused.status_code == 400
    assert "Confirm that you want to close this intervention" in refused.content.decode()

    done = client.post(f"/interventions/{intervention.pk}/close/", {"version": str(version), "confirm": "on"})
    assert done.status_code == 302 and done["Location"].startswith(f"/interventions/{intervention.pk}/")
    closed = Intervention.objects.get(pk=intervention.pk)
    assert closed.status == "closed"
    assert InterventionEvent.objects.filter(intervention=closed, kind="closed").count() == 1
    after = client.get(f"/interventions/{intervention.pk}/").content.decode()
    assert "Record the next step" not in after and "/close/" not in after


def test_closing_from_a_stale_page_or_twice_is_refused_and_writes_nothing(client, world, unchanged_rows):
    intervention = world.open_for(person=world.adult)
    client.force_login(world.csm)
    stale = Intervention.objects.get(pk=intervention.pk).version
    services.intervention_close(intervention=Intervention.objects.get(pk=intervention.pk), actor=world.csm)
    with unchanged_rows(Intervention, InterventionEvent):
        response = client.post(
            f"/interventions/{intervention.pk}/close/", {"version": str(stale), "confirm": "on"}
        )
    assert response.status_code == 400
    now = Intervention.objects.get(pk=intervention.pk).version
    with unchanged_rows(Intervention, InterventionEvent):
        again = client.post(
            f"/interventions/{intervention.pk}/close/", {"version": str(now), "confirm": "on"}
        )
    assert again.status_code == 400 and "already closed" in again.content.decode()


def test_an_officer_who_may_not_record_cannot_close(client, world, unchanged_rows):
    intervention = world.open_for(person=world.adult)
    client.force_login(world.police_user)
    with unchanged_rows(Intervention, InterventionEvent):
        response = client.post(f"/interventions/{intervention.pk}/close/", {"confirm": "on"})
    assert response.status_code in {403, 404}
    assert Intervention.objects.get(pk=intervention.pk).status == "open"
