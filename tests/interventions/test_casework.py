"""Each intervention is a case of its own kind on the kernel (ADR 0066): opened with it, the person
as its subject party, agencies party to it deciding who sees it through the one selector; the case
details (programme, support plan, lawful basis, special category data encrypted); the document page
(ADR 0067); and the list's CSV export, in the access log."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection

from casereview.applications.models import Case, CaseEvent
from casereview.applications.selectors import case_parties, cases_visible_to
from casereview.audit.models import AccessEvent
from casereview.interventions import selectors, services
from casereview.interventions.models import Intervention, Step
from casereview.letters.models import Letter

pytestmark = pytest.mark.django_db


def date_post(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_opening_an_intervention_opens_its_case_with_the_person_as_subject(world):
    intervention = world.open_for(person=world.adult)
    case = intervention.casework
    assert (case.kind, case.status, case.received_on) == ("intervention", "open", dt.date(2026, 1, 5))
    assert case.reference.startswith("WN-2026-")
    [party] = case_parties(case)
    assert (party.role, party.person.full_name, party.person.profile_link.person_id) == (
        "subject",
        "Lee Adult",
        world.adult.pk,
    )
    assert list(case.agencies.values_list("agency_id", flat=True)) == [world.council.pk]
    assert CaseEvent.objects.filter(application=case, kind="intervention_opened").exists()
    # The review's clocks never run on it: no deadline of the review's policy starts from its events.
    assert not case.clocks.exists() and case.next_due_on is None


def test_the_access_selector_decides_who_sees_it(world, demo):
    intervention = world.open_for(person=world.adult)
    police = world.police_user
    assert not selectors.interventions_visible_to(police).exists()
    assert not cases_visible_to(police).filter(pk=intervention.casework_id).exists()
    # The police issue a step: their agency is party to the case from then on.
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
    assert list(selectors.interventions_visible_to(police)) == [intervention]
    assert not selectors.interventions_visible_to(demo.user("wn-housing")).exists()


def test_closing_moves_the_case_by_its_table(world):
    intervention = world.open_for(person=world.adult)
    services.intervention_close(intervention=intervention, actor=world.csm)
    intervention.casework.refresh_from_db()
    assert (intervention.status, intervention.casework.status) == ("closed", "closed")
    assert CaseEvent.objects.filter(application=intervention.casework, kind="closed").exists()


def test_the_case_details_page_saves_the_plan_and_encrypts_special_category_data(client, world, demo):
    intervention = world.open_for(person=world.adult)
    client.force_login(world.csm)
    page = client.get(f"/interventions/{intervention.pk}/case/")
    assert page.status_code == 200
    response = client.post(
        f"/interventions/{intervention.pk}/case/",
        {
            "version": str(intervention.version),
            "programme": "integrated_gangs",
            "support_plan": "Weekly mentoring; a place on the boxing programme.",
            "lawful_basis": "safeguarding",
            "special_category": "Diagnosed with ADHD.",
            "agencies": [str(world.police.pk)],
        },
    )
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.programme == "integrated_gangs" and "boxing" in intervention.support_plan
    assert intervention.special_category == "Diagnosed with ADHD."
    with connection.cursor() as cursor:
        cursor.execute(
            "select special_category from interventions_intervention where id = %s", [intervention.pk]
        )
        [stored] = cursor.fetchone()
    assert "ADHD" not in stored
    assert list(selectors.interventions_visible_to(world.police_user)) == [intervention]
    detail = client.get(f"/interventions/{intervention.pk}/").content.decode()
    assert "Integrated gangs team" in detail and "ADHD" not in detail
    # A second save from the page read before the first is refused.
    stale = client.post(
        f"/interventions/{intervention.pk}/case/",
        {
            "version": str(intervention.version - 1),
            "programme": "early_intervention",
            "lawful_basis": "safeguarding",
        },
    )
    assert stale.status_code == 400
    intervention.refresh_from_db()
    assert intervention.programme == "integrated_gangs"


def test_the_document_page_refuses_a_leak_and_issues_a_clean_document(client, world, unchanged_rows):
    intervention = world.open_for(person=world.adult)
    step = services.step_record(
        intervention=intervention,
        data=services.StepData(
            kind="warning_letter",
            issuing_agency=world.council,
            served_on=dt.date(2026, 1, 10),
            how_served="post",
        ),
        actor=world.csm,
    )
    services.casework_protected_person_add(
        intervention=intervention, role="reporter", full_name="Marta Quillfeather", actor=world.csm
    )
    client.force_login(world.csm)
    url = f"/interventions/{intervention.pk}/steps/{step.pk}/document/"
    assert client.get(url).status_code == 200
    with unchanged_rows(Letter, Step):
        refused = client.post(url, {"behaviour": "Marta Quillfeather says you shout.", "check": "1"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "This document cannot be issued" in text and "name of a reporter on the case" in text
    checked = client.post(
        url, {"behaviour": "Shouting in the stairwell.", "recipient_address": "2 Canal St", "check": "1"}
    )
    assert checked.status_code == 200 and "Issue the document" in checked.content.decode()
    issued = client.post(
        url,
        {
            "behaviour": "Shouting in the stairwell.",
            "recipient_address": "2 Canal St",
            "issue": "1",
            "channel": "post",
            "submission_token": "t" * 32,
        },
    )
    letter = Letter.objects.get(kind="intervention_warning")
    assert issued.status_code == 302 and issued["Location"] == f"/letters/{letter.pk}/"
    assert client.get(issued["Location"]).status_code == 200
    assert client.get(f"/letters/{letter.pk}/download/")["Content-Type"] == "application/pdf"


def test_the_list_exports_as_csv_with_its_filters_and_the_export_is_logged(client, world):
    lee = world.open_for(person=world.adult)
    flat = world.open_for(premises=world.flat)
    services.step_record(
        intervention=lee,
        data=services.StepData(
            kind="warning_letter",
            issuing_agency=world.council,
            served_on=dt.date(2026, 1, 10),
            how_served="post",
        ),
        actor=world.csm,
    )
    client.force_login(world.csm)
    response = client.get("/interventions/?status=open&subject=person&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["reference"], r["case"], r["steps"], r["highest_step"]) for r in rows] == [
        (lee.reference, lee.casework.reference, "1", "warning_letter")
    ]
    assert flat.reference not in response.content.decode() and "Lee Adult" not in response.content.decode()
    [event] = AccessEvent.objects.filter(action="export", summary__startswith="Interventions exported")
    assert "1 rows" in event.summary and "subject=person" in event.summary
    # An officer of another agency exports nothing of the council's.
    client.force_login(world.police_user)
    rows = list(csv.DictReader(io.StringIO(client.get("/interventions/?format=csv").content.decode())))
    assert rows == []


def test_the_migration_gives_an_old_intervention_its_case(world):
    from django.apps import apps as global_apps

    module = __import__(
        "casereview.interventions.migrations.0002_intervention_case_kind_and_documents",
        fromlist=["open_cases"],
    )
    intervention = world.open_for(person=world.adult)
    old_case = intervention.casework
    Intervention.objects.filter(pk=intervention.pk).update(casework=None)
    module.open_cases(global_apps, type("SchemaEditor", (), {"connection": connection})())
    intervention.refresh_from_db()
    assert intervention.casework_id not in (None, old_case.pk)
    assert intervention.casework.kind == "intervention"
    assert Case.objects.filter(pk=intervention.casework_id, agencies__agency=world.council).exists()


def test_a_victim_added_on_the_page_is_protected_in_the_documents(client, world, unchanged_rows):
    intervention = world.open_for(person=world.adult)
    client.force_login(world.csm)
    url = f"/interventions/{intervention.pk}/case/people/new/"
    assert client.get(url).status_code == 200
    with unchanged_rows(Case, Intervention):
        missing = client.post(url, {"role": "victim"})
    assert missing.status_code == 400 and "Enter their full name" in missing.content.decode()
    response = client.post(url, {"role": "victim", "full_name": "Ruth Pemberton", "postcode": "NN1 2ZZ"})
    assert response.status_code == 302
    [party] = selectors.casework_protected_parties(intervention)
    assert (party.role, party.person.full_name) == ("victim", "Ruth Pemberton")
    assert "Victim: Ruth Pemberton" in client.get(f"/interventions/{intervention.pk}/").content.decode()
    step = services.step_record(
        intervention=intervention,
        data=services.StepData(
            kind="warning_letter",
            issuing_agency=world.council,
            served_on=dt.date(2026, 1, 10),
            how_served="post",
        ),
        actor=world.csm,
    )
    rendered = services.step_document_preview(
        step=step,
        behaviour="Ms Pemberton is scared to leave her flat.",
        recipient=services.document_recipient(intervention),
        actor=world.csm,
    )
    assert [f.who for f in rendered.refused] == ["a victim on the case"]


def test_retention_deletes_the_case_its_documents_and_its_subjects_copy_with_the_intervention(
    world, django_capture_on_commit_callbacks
):
    from casereview.applications.models import Person
    from casereview.interventions import retention

    closed = world.open_for(person=world.adult)
    step = services.step_record(
        intervention=closed,
        data=services.StepData(
            kind="warning_letter",
            issuing_agency=world.council,
            served_on=dt.date(2026, 1, 10),
            how_served="post",
        ),
        actor=world.csm,
    )
    letter = services.step_document_issue(
        step=step,
        behaviour="Shouting in the stairwell.",
        recipient=services.document_recipient(closed, address="2 Canal Street"),
        actor=world.csm,
        channel="post",
    )
    storage, name = letter.pdf.storage, letter.pdf.name
    case_pk, subject_pk = closed.casework_id, case_parties(closed.casework).get().person_id
    services.intervention_close(intervention=closed, actor=world.csm)
    kept = world.open_for(person=world.teen)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            retention.disposed_line(today=dt.date(2100, 1, 1), actor_name="test")
            == "1 intervention(s) deleted"
        )
    assert list(Intervention.objects.all()) == [kept]
    assert not Case.objects.filter(pk=case_pk).exists() and not Letter.objects.filter(pk=letter.pk).exists()
    assert not Person.objects.filter(pk=subject_pk).exists()
    assert Case.objects.filter(pk=kept.casework_id).exists()
    assert not storage.exists(name)


def test_an_agency_officer_never_sees_special_category_data_and_cannot_erase_it(client, world):
    intervention = world.open_for(person=world.adult)
    services.casework_update(
        intervention=intervention,
        programme="integrated_gangs",
        support_plan="",
        lawful_basis="safeguarding",
        special_category="Diagnosed with ADHD.",
        agencies=[world.police],
        actor=world.csm,
    )
    intervention.refresh_from_db()
    client.force_login(world.police_user)
    page = client.get(f"/interventions/{intervention.pk}/case/").content.decode()
    assert "ADHD" not in page and "special_category" not in page
    response = client.post(
        f"/interventions/{intervention.pk}/case/",
        {
            "version": str(intervention.version),
            "programme": "integrated_gangs",
            "support_plan": "Mentoring.",
            "lawful_basis": "safeguarding",
            "agencies": [str(world.police.pk)],
        },
    )
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert (intervention.support_plan, intervention.special_category) == (
        "Mentoring.",
        "Diagnosed with ADHD.",
    )
    client.force_login(world.csm)
    assert "ADHD" in client.get(f"/interventions/{intervention.pk}/case/").content.decode()
    assert AccessEvent.objects.filter(
        summary__contains="Special category information of intervention"
    ).exists()
