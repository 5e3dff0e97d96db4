"""The documents served for a step (ADR 0067): a warning letter, a CPW, a CPN with its terms and
appeal route, a closure notice — accessible PDFs from the partnership's editable templates, on the
intervention's case, dispatched through the one outbox or print queue — and never naming a victim,
a reporter or a witness: a match refuses (what matched and where), a detail that is also the
recipient's own holds the document for a manager."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.applications.models import CaseEvent
from casereview.interventions import services
from casereview.interventions.models import Step
from casereview.letters.models import Audience, Letter, LetterDispatch
from casereview.letters.rendering import LetterRedactionError
from casereview.people import services as people
from casereview.reports.services import report_record
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    """An ASB Case Review whose victim is Jo Bloggs, 1 High Street (the factories' victim)."""
    return make_application(
        world.partnership, actor=world.csm, incidents=[(dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12))]
    )


@pytest.fixture
def ladder(world):
    """Lee Adult: a warning letter, a CPW with a week to comply, then a CPN with terms."""
    intervention = world.open_for(person=world.adult)
    council = world.council

    def step(kind, served_on, **kwargs):
        return services.step_record(
            intervention=intervention,
            data=services.StepData(
                kind=kind, issuing_agency=council, served_on=served_on, how_served="post", **kwargs
            ),
            actor=world.csm,
        )

    warning = step("warning_letter", dt.date(2026, 1, 10))
    cpw = step(
        "cpw",
        dt.date(2026, 1, 20),
        comply_by=dt.date(2026, 1, 27),
        prohibitions="No amplified music after 11pm",
    )
    cpn = step(
        "cpn",
        dt.date(2026, 2, 2),
        prohibitions="No amplified music after 11pm\nNo gathering on the stairwell",
        requirements="Attend the tenancy support meeting",
        comply_by=dt.date(2026, 2, 9),
    )
    return intervention, warning, cpw, cpn


def _issue(step, csm, behaviour, **kwargs):
    intervention = step.intervention
    return services.step_document_issue(
        step=step,
        behaviour=behaviour,
        recipient=services.document_recipient(intervention, address="Flat 1, 2 Canal Street\nNN11 4AA"),
        actor=csm,
        channel="post",
        **kwargs,
    )


def test_a_clean_cpn_is_issued_with_its_terms_and_appeal_route_and_queued_to_post(world, ladder):
    intervention, _, _, cpn = ladder
    letter = _issue(cpn, world.csm, "Loud music late at night from your flat, most nights since January.")
    assert (letter.kind, letter.audience, letter.is_held) == ("cpn", Audience.PERPETRATOR, False)
    assert letter.case_id == intervention.casework_id
    body = letter.body_html
    assert "No gathering on the stairwell" in body and "Attend the tenancy support meeting" in body
    assert "magistrates" in body and "21 days beginning with the day it was issued" in body
    assert "22 February 2026" in body  # 2 February + 20: the last day to appeal (s.46(1))
    assert "£100" in body  # the fixed penalty in force on the day served (the 2026 Act's £500 not yet)
    assert letter.pdf_sha256 and letter.pdf.size > 1000
    [dispatch] = LetterDispatch.objects.filter(letter=letter)
    assert (dispatch.channel, dispatch.via, dispatch.status) == ("post", "print_queue", "queued")
    cpn.refresh_from_db()
    assert cpn.letter_id == letter.pk
    assert CaseEvent.objects.filter(application=intervention.casework, kind="letter_issued").count() == 1
    assert intervention.events.filter(kind="document").count() == 1


def test_a_document_naming_a_witness_on_the_case_is_refused_saying_what_and_where(
    world, ladder, unchanged_rows
):
    intervention, _, cpw, _ = ladder
    services.casework_protected_person_add(
        intervention=intervention,
        role="witness",
        full_name="Marta Quillfeather",
        address="7 Orchard Close",
        postcode="NN12 6ZZ",
        actor=world.csm,
    )
    with unchanged_rows(), pytest.raises(LetterRedactionError) as refused:
        _issue(cpw, world.csm, "Ms Quillfeather of Orchard Close saw you playing music at 2am.")
    messages = [finding.message() for finding in refused.value.findings]
    assert any("name of a witness on the case appears in paragraph" in m for m in messages), messages
    assert any("address of a witness on the case" in m for m in messages), messages
    assert Step.objects.get(pk=cpw.pk).letter_id is None


def test_a_closure_notice_naming_who_reported_the_premises_is_refused(world, unchanged_rows):
    closure = world.open_for(premises=world.flat)
    served_at = timezone.make_aware(dt.datetime(2026, 3, 2, 14, 0))
    notice = services.step_record(
        intervention=closure,
        data=services.StepData(
            kind="closure_notice",
            issuing_agency=world.council,
            served_on=served_at.date(),
            served_at=served_at,
            how_served="affixed",
            duration_hours=24,
            duties=["occupants_informed", "appropriate_consulted"],
            prohibitions="No visits to Odette Brackenridge next door",
        ),
        actor=world.csm,
    )
    reporter = people.person_create(
        partnership=world.partnership,
        data=people.PersonData(full_name="Odette Brackenridge"),
        actor=world.csm,
    )
    report = report_record(
        partnership=world.partnership,
        agency=world.council,
        reported_at=dt.datetime(2026, 2, 20, 23, 0, tzinfo=dt.UTC),
        location="Flat 3, 9 Mill Lane",
        caller="caller-odette",
        actor=world.csm,
    )
    people.report_link_confirm(report=report, place=world.flat, actor=world.csm)
    people.report_link_confirm(report=report, person=reporter, actor=world.csm)
    with unchanged_rows(Letter, LetterDispatch, Step), pytest.raises(LetterRedactionError) as refused:
        services.step_document_issue(
            step=notice,
            behaviour="",
            recipient=services.document_recipient(closure),
            actor=world.csm,
            channel="by_hand",
        )
    assert {f.who for f in refused.value.findings} == {"reporter 1"}


def test_the_victim_of_the_case_it_arose_from_is_protected(world, case, unchanged_rows):
    intervention = services.intervention_open(
        partnership=world.partnership,
        lead_agency=world.council,
        officer=world.csm,
        opened_on=dt.date(2026, 1, 5),
        summary="Noise",
        person=world.adult,
        case=case,
        actor=world.csm,
    )
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
    with unchanged_rows(Letter, LetterDispatch), pytest.raises(LetterRedactionError) as refused:
        _issue(step, world.csm, "Jo Bloggs at 1 High Street has complained about you.")
    assert {f.who for f in refused.value.findings} == {f"the victim of case {case.reference}"}


def test_a_detail_that_is_also_the_recipients_own_holds_the_document(world, ladder):
    intervention, warning, _, _ = ladder
    services.casework_protected_person_add(
        intervention=intervention,
        role="victim",
        full_name="Ruth Pemberton",
        address="Flat 2, 2 Canal Street",
        postcode="NN11 4AA",
        actor=world.csm,
    )
    letter = _issue(warning, world.csm, "Shouting in the shared hallway of 2 Canal Street, NN11 4AA.")
    assert letter.is_held and "a victim on the case" in letter.held_findings
    assert not LetterDispatch.objects.filter(letter=letter).exists()


def test_the_closure_notice_gives_its_end_and_the_hearing_deadline(world):
    closure = world.open_for(premises=world.flat)
    served_at = timezone.make_aware(dt.datetime(2026, 3, 2, 14, 0))
    notice = services.step_record(
        intervention=closure,
        data=services.StepData(
            kind="closure_notice",
            issuing_agency=world.council,
            served_on=served_at.date(),
            served_at=served_at,
            how_served="affixed",
            duration_hours=24,
            duties=["occupants_informed", "appropriate_consulted"],
        ),
        actor=world.csm,
    )
    letter = services.step_document_issue(
        step=notice,
        behaviour="",
        recipient=services.document_recipient(closure),
        actor=world.csm,
        channel="by_hand",
    )
    assert letter.kind == "closure_notice"
    assert "Flat 3, 9 Mill Lane" in letter.subject
    assert "14:00 on 3 March 2026" in letter.body_html  # 24 hours
    assert "14:00 on 4 March 2026" in letter.body_html  # the hearing within 48 hours (s.80)
    assert letter.recipient_name.startswith("The occupiers")


def test_a_step_without_a_document_and_a_second_issue_are_refused(world, ladder):
    intervention, _, cpw, _ = ladder
    abc = services.step_record(
        intervention=intervention,
        data=services.StepData(
            kind="abc", issuing_agency=world.council, served_on=dt.date(2026, 2, 3), how_served="in_person"
        ),
        actor=world.csm,
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _issue(abc, world.csm, "Noise.")
    _issue(cpw, world.csm, "Loud music late at night.")
    from casereview.letters.rendering import LetterError

    with pytest.raises(LetterError):
        _issue(Step.objects.get(pk=cpw.pk), world.csm, "Loud music late at night.")
    assert Letter.objects.filter(kind="cpw").count() == 1
