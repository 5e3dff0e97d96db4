"""A report in the log linked to the person it is about (people.ReportLink role "subject",
ADR 0078): whoever made it is protected from what is served on that person, and a report while a
requirement on them is in force flags a possible breach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.audit.models import AccessEvent
from casereview.interventions import services
from casereview.interventions.models import BreachFlag, Step
from casereview.letters.models import Letter, LetterDispatch
from casereview.letters.rendering import LetterRedactionError
from casereview.people import services as people
from casereview.people.models import ReportLink
from casereview.reports.services import report_record

pytestmark = pytest.mark.django_db


def _report(world, *, on: dt.date, caller: str, reference: str = ""):
    return report_record(
        partnership=world.partnership,
        agency=world.police,
        reported_at=timezone.make_aware(dt.datetime.combine(on, dt.time(22, 0))),
        occurred_on=on,
        location="9 Mill Lane",
        caller=caller,
        agency_reference=reference,
        actor=world.csm,
    )


@pytest.fixture
def cpw(world):
    """Lee Adult: a warning letter on 10 January 2026, a CPW on 1 February (comply by the 15th)."""
    intervention = world.open_for(person=world.adult)

    def step(kind, served_on, **kwargs):
        return services.step_record(
            intervention=intervention,
            data=services.StepData(
                kind=kind, issuing_agency=world.council, served_on=served_on, how_served="post", **kwargs
            ),
            actor=world.csm,
        )

    step("warning_letter", dt.date(2026, 1, 10))
    return step("cpw", dt.date(2026, 2, 1), comply_by=dt.date(2026, 2, 15), prohibitions="No shouting")


@pytest.fixture
def reporter(world):
    """Odette Brackenridge, who rang the police about Lee Adult on 5 January 2026 (before any
    requirement: no breach flag protects her, only the report's subject link)."""
    person = people.person_create(
        partnership=world.partnership,
        data=people.PersonData(full_name="Odette Brackenridge", phone="07700 900777"),
        actor=world.csm,
    )
    report = _report(world, on=dt.date(2026, 1, 5), caller="caller-odette", reference="PC-1")
    people.report_link_confirm(report=report, person=person, actor=world.csm)
    return person, report


def _issue(step, csm, behaviour):
    return services.step_document_issue(
        step=step,
        behaviour=behaviour,
        recipient=services.document_recipient(step.intervention, address="Flat 1, 2 Canal Street\nNN11 4AA"),
        actor=csm,
        channel="post",
    )


def test_a_document_naming_the_caller_of_a_report_about_the_person_is_refused(
    world, cpw, reporter, unchanged_rows
):
    person, report = reporter
    people.report_subject_link(report=report, person=world.adult, actor=world.csm)
    assert not BreachFlag.objects.exists()  # before the CPW: protected by the subject link alone
    with unchanged_rows(Letter, LetterDispatch, Step), pytest.raises(LetterRedactionError) as refused:
        _issue(cpw, world.csm, "Ms Brackenridge has told the police about your shouting.")
    assert {f.who for f in refused.value.findings} == {"reporter 1"}
    assert Step.objects.get(pk=cpw.pk).letter_id is None
    # The control: the same step's document without her name is issued.
    letter = _issue(cpw, world.csm, "Shouting in the stairwell late at night.")
    assert letter.kind == "cpw" and not letter.is_held


def test_without_the_subject_link_the_caller_is_not_known_to_be_protected(world, cpw, reporter):
    """The control for the link itself: the same report, not linked as about the person, protects
    nobody (its caller is not known to have reported this person)."""
    letter = _issue(cpw, world.csm, "Ms Brackenridge has told the police about your shouting.")
    assert letter.kind == "cpw"


def test_linking_a_reports_subject_flags_a_possible_breach(world, cpw):
    later = _report(world, on=dt.date(2026, 3, 1), caller="caller-neighbour", reference="PC-2")
    assert not BreachFlag.objects.exists()
    link = people.report_subject_link(report=later, person=world.adult, actor=world.csm)
    assert (link.role, link.resolved_by) == ("subject", "officer")
    [flag] = BreachFlag.objects.all()
    assert (flag.step, flag.report, flag.owner, flag.status) == (cpw, later, world.csm, "open")
    assert cpw.intervention.events.filter(kind="breach_flag").count() == 1
    assert AccessEvent.objects.filter(summary=f"Report {later.pk} confirmed as about person {world.adult.pk}")


def test_a_report_may_be_about_several_people_each_once(world, unchanged_rows):
    report = _report(world, on=dt.date(2026, 3, 1), caller="caller-x")
    people.report_subject_link(report=report, person=world.adult, actor=world.csm)
    people.report_subject_link(report=report, person=world.teen, actor=world.csm)
    with unchanged_rows(ReportLink), pytest.raises(people.ValidationError, match="already linked"):
        people.report_subject_link(report=report, person=world.adult, actor=world.csm)
    assert ReportLink.objects.filter(report=report, role="subject").count() == 2


def test_the_person_page_links_a_report_about_them_and_refuses_a_stale_or_unknown_one(
    client, world, cpw, unchanged_rows
):
    later = _report(world, on=dt.date(2026, 3, 1), caller="caller-neighbour", reference="PC-2")
    client.force_login(world.csm)
    page = client.get(f"/people/{world.adult.pk}/").content.decode()
    assert "Reports about Lee Adult" in page and "Link the report" in page
    url = f"/people/{world.adult.pk}/reports/about/"
    with unchanged_rows(ReportLink, BreachFlag):
        unknown = client.post(
            url, {"version": "0", "agency": str(world.police.pk), "agency_reference": "PC-404"}
        )
        stale = client.post(url, {"version": "3", "agency": str(world.police.pk), "agency_reference": "PC-2"})
    assert unknown.status_code == 200 and "No report with this reference" in unknown.content.decode()
    assert stale.status_code == 200 and "changed" in stale.content.decode()
    done = client.post(url, {"version": "0", "agency": str(world.police.pk), "agency_reference": "PC-2"})
    assert done.status_code == 302 and done["Location"] == f"/people/{world.adult.pk}/#reports-about"
    assert ReportLink.objects.get(role="subject").report == later
    assert BreachFlag.objects.get().report == later
    assert "PC-2" in client.get(f"/people/{world.adult.pk}/").content.decode()


def test_only_who_confirms_callers_may_link_a_reports_subject(client, world, unchanged_rows):
    report = _report(world, on=dt.date(2026, 3, 1), caller="caller-x", reference="PC-3")
    client.force_login(world.police_user)
    with unchanged_rows(ReportLink):
        response = client.post(
            f"/people/{world.adult.pk}/reports/about/",
            {"version": "0", "agency": str(world.police.pk), "agency_reference": report.agency_reference},
        )
    assert response.status_code in (403, 404)


def test_merging_two_people_a_report_is_about_keeps_one_link_each_and_unmerges_exactly(world):
    report = _report(world, on=dt.date(2026, 3, 1), caller="caller-x")
    duplicate = people.person_create(
        partnership=world.partnership, data=people.PersonData(full_name="Lee Adult"), actor=world.csm
    )
    people.report_subject_link(report=report, person=world.adult, actor=world.csm)
    people.report_subject_link(report=report, person=duplicate, actor=world.csm)
    merge = people.record_merge(
        kind="person", kept=world.adult, duplicate=duplicate, reason="Same person", actor=world.csm
    )
    links = ReportLink.objects.filter(report=report, role="subject")
    assert sorted(links.values_list("person_id", flat=True)) == sorted([world.adult.pk, duplicate.pk])
    people.record_unmerge(merge=merge, reason="Different people", choices={}, actor=world.csm)
    assert sorted(links.values_list("person_id", flat=True)) == sorted([world.adult.pk, duplicate.pk])
