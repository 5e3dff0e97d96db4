"""The issue's "done when", through the services and pages: a first warning, support, a CPW and a
CPN; refusals naming the rule and its date; a possible breach flagged from the report log; a
cuckooed address's closure notice with its hearing warning and the court's order recorded; and
figures that match the cases."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casereview.interventions import selectors, services
from casereview.interventions.models import BreachFlag, Step
from casereview.law import services as law_services
from casereview.people.services import report_link_confirm
from casereview.reports.services import report_record

pytestmark = pytest.mark.django_db


def step(world, intervention, kind, served_on, **kw):
    data = services.StepData(
        kind=kind,
        issuing_agency=kw.pop("agency", world.council),
        served_on=served_on,
        how_served="in_person",
        **kw,
    )
    return services.step_record(intervention=intervention, data=data, actor=world.csm)


def test_the_ladder_for_a_person_with_refusals_at_each_rule(world, unchanged_rows):
    intervention = world.open_for(person=world.adult)
    step(
        world,
        intervention,
        "warning_letter",
        dt.date(2026, 1, 10),
        prohibitions="No shouting in the stairwell",
    )
    services.referral_offer(
        intervention=intervention, service="drug_alcohol", offered_on=dt.date(2026, 1, 10), actor=world.csm
    )
    # Skipping the warning: refused, nothing written, the rule and its date named.
    with unchanged_rows(), pytest.raises(services.StepRefused) as refused:
        step(world, intervention, "cpn", dt.date(2026, 2, 1), prohibitions="No shouting")
    assert [f.code for f in refused.value.judgement.refusals] == ["cpn_needs_warning"]
    assert "s.43(5)(a), in force from 20 October 2014" in refused.value.messages[0]
    step(
        world,
        intervention,
        "cpw",
        dt.date(2026, 2, 1),
        comply_by=dt.date(2026, 2, 15),
        prohibitions="No shouting",
    )
    with unchanged_rows(), pytest.raises(services.StepRefused):
        step(world, intervention, "cpn", dt.date(2026, 2, 15), prohibitions="No shouting")
    cpn = step(
        world,
        intervention,
        "cpn",
        dt.date(2026, 2, 16),
        prohibitions="No shouting",
        requirements="Attend mediation",
    )
    assert cpn.rule_check["allowed"] and cpn.rule_check["facts"]["appeal_last_day"] == "2026-03-08"
    kinds = list(intervention.events.values_list("kind", flat=True))
    assert kinds.count("step") == 3 and "support" in kinds and "opened" in kinds


def test_a_cpn_on_a_15_year_old_under_the_2014_rule_and_a_12_year_old_under_the_lowered_age(
    world, admin_user, unchanged_rows
):
    intervention = world.open_for(person=world.teen)  # born 1 May 2011: 14 in early 2026, 15 from May
    step(
        world,
        intervention,
        "cpw",
        dt.date(2026, 6, 1),
        comply_by=dt.date(2026, 6, 14),
        prohibitions="No graffiti",
    )
    with unchanged_rows(), pytest.raises(services.StepRefused) as refused:
        step(world, intervention, "cpn", dt.date(2026, 6, 20), prohibitions="No graffiti")
    [finding] = refused.value.judgement.refusals
    assert (finding.code, finding.params["age"], finding.rule) == ("too_young", 15, "cpn.age_16")
    # The administrator records the lowered age: the same step is judged by the new rule from its day.
    law_services.commencement_record(
        provision="reform.cpn_age_10",
        nation="england",
        in_force_on=dt.date(2026, 6, 20),
        source="test SI",
        actor=admin_user,
    )
    with unchanged_rows(), pytest.raises(services.StepRefused) as refused:
        step(world, intervention, "cpn", dt.date(2026, 6, 20), prohibitions="No graffiti")
    assert [f.code for f in refused.value.judgement.refusals] == ["cpn_youth_services"]
    assert "in force from 20 June 2026" in refused.value.messages[0]
    assert step(
        world,
        intervention,
        "cpn",
        dt.date(2026, 6, 20),
        prohibitions="No graffiti",
        duties=["youth_services_engaged"],
    )


def test_a_report_about_the_person_flags_a_possible_breach_to_the_owning_officer(world):
    intervention = world.open_for(person=world.adult)
    step(
        world,
        intervention,
        "cpw",
        dt.date(2026, 2, 1),
        comply_by=dt.date(2026, 2, 15),
        prohibitions="No shouting",
    )
    report = report_record(
        partnership=world.partnership,
        agency=world.police,
        reported_at=timezone.make_aware(dt.datetime(2026, 3, 1, 22, 0)),
        occurred_on=dt.date(2026, 3, 1),
        location="9 Mill Lane",
        caller="07700900123",
        actor=world.csm,
    )
    report_link_confirm(report=report, person=world.adult, actor=world.csm)
    [flag] = BreachFlag.objects.all()
    assert flag.owner == world.csm and flag.intervention == intervention and flag.status == "open"
    assert list(selectors.open_breach_flags(world.csm)) == [flag]
    from casereview.notifications.models import Notice

    [notice] = Notice.objects.filter(
        recipient=world.csm, url__startswith=f"/interventions/{intervention.pk}/"
    )
    assert "Possible breach" in notice.text and world.adult.full_name not in notice.text
    services.breach_decide(flag=flag, status="confirmed", actor=world.csm)
    assert selectors.figures(world.partnership.pk)[0].breaches == 1


def test_a_report_before_the_warning_or_about_someone_else_flags_nothing(world):
    intervention = world.open_for(person=world.adult)
    step(
        world,
        intervention,
        "cpw",
        dt.date(2026, 2, 1),
        comply_by=dt.date(2026, 2, 15),
        prohibitions="No shouting",
    )
    before = report_record(
        partnership=world.partnership,
        agency=world.police,
        reported_at=timezone.make_aware(dt.datetime(2026, 1, 20, 22, 0)),
        occurred_on=dt.date(2026, 1, 20),
        location="9 Mill Lane",
        caller="07700900124",
        actor=world.csm,
    )
    report_link_confirm(report=before, person=world.adult, actor=world.csm)
    other = report_record(
        partnership=world.partnership,
        agency=world.police,
        reported_at=timezone.make_aware(dt.datetime(2026, 3, 1, 22, 0)),
        occurred_on=dt.date(2026, 3, 1),
        location="9 Mill Lane",
        caller="07700900125",
        actor=world.csm,
    )
    report_link_confirm(report=other, person=world.teen, actor=world.csm)
    assert not BreachFlag.objects.exists()


def test_a_cuckooed_address_closure_notice_hearing_warning_and_the_courts_order(world, unchanged_rows):
    intervention = world.open_for(premises=world.flat)
    served_at = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    common = {"served_at": served_at, "duration_hours": 24, "agency": world.council}
    with unchanged_rows(), pytest.raises(services.StepRefused) as refused:
        step(
            world,
            intervention,
            "closure_notice",
            dt.date(2026, 3, 2),
            duties=["appropriate_consulted"],
            **common,
        )
    assert [f.code for f in refused.value.judgement.refusals] == ["closure_occupants_not_informed"]
    duties = ["appropriate_consulted", "occupants_informed"]
    with unchanged_rows(), pytest.raises(services.StepRefused) as refused:
        step(
            world,
            intervention,
            "closure_notice",
            dt.date(2026, 3, 2),
            duties=duties,
            **{**common, "duration_hours": 48},
        )
    assert [f.code for f in refused.value.judgement.refusals] == ["closure_over_24_needs_senior"]
    notice = step(
        world,
        intervention,
        "closure_notice",
        dt.date(2026, 3, 2),
        duties=duties,
        authorisations=["council_chief_executive_designate"],
        **{**common, "duration_hours": 48},
    )
    [warning] = selectors.hearing_warnings(intervention, now=served_at + dt.timedelta(hours=40))
    assert warning.status == "due_soon" and warning.hours == 48
    assert "10:00 on 4 March 2026" in warning.text
    assert (
        selectors.hearing_warnings(intervention, now=served_at + dt.timedelta(hours=49))[0].status
        == "overdue"
    )
    order = services.step_record(
        intervention=intervention,
        data=services.StepData(
            kind="closure_order",
            issuing_agency=world.council,
            served_on=dt.date(2026, 3, 3),
            how_served="court",
            served_at=served_at + dt.timedelta(hours=30),
            court_decision="Closure order for 3 months",
        ),
        actor=world.csm,
    )
    assert order.court_decision == "Closure order for 3 months"
    notice.refresh_from_db()
    assert notice.hearing_at is not None
    assert selectors.hearing_warnings(intervention) == []


def test_a_closure_notice_without_its_time_is_refused(world, unchanged_rows):
    intervention = world.open_for(premises=world.flat)
    with unchanged_rows(), pytest.raises(ValidationError) as caught:
        step(
            world,
            intervention,
            "closure_notice",
            dt.date(2026, 3, 2),
            duration_hours=24,
            duties=["appropriate_consulted", "occupants_informed"],
        )
    assert "served_at" in caught.value.error_dict


def test_a_late_appeal_is_recorded_with_a_warning_and_the_courts_outcome_kept(world):
    intervention = world.open_for(person=world.adult)
    step(
        world,
        intervention,
        "cpw",
        dt.date(2026, 2, 1),
        comply_by=dt.date(2026, 2, 15),
        prohibitions="No shouting",
    )
    cpn = step(world, intervention, "cpn", dt.date(2026, 2, 16), prohibitions="No shouting")
    assert (
        services.step_outcome_record(
            step=cpn, outcome="appealed", outcome_on=dt.date(2026, 3, 8), actor=world.csm
        )
        == []
    )
    cpn.refresh_from_db()
    [warning] = services.step_outcome_record(
        step=cpn, outcome="appealed", outcome_on=dt.date(2026, 3, 9), actor=world.csm
    )
    assert "the last day to appeal, 8 March 2026" in warning
    services.step_outcome_record(
        step=cpn,
        outcome="varied",
        outcome_on=dt.date(2026, 4, 1),
        court_decision="Varied: curfew removed",
        actor=world.csm,
    )
    [row] = selectors.figures(world.partnership.pk)
    assert row.appeals == 1 and row.appeals_by_outcome["varied"] == 1


def test_the_escalation_figures_match_the_cases(world, demo):
    from casereview.people.services import PersonData, person_create

    people = [
        person_create(
            partnership=world.partnership,
            data=PersonData(full_name=f"P{i}", date_of_birth=dt.date(1980, 1, 1)),
            actor=world.csm,
        )
        for i in range(4)
    ]
    # Four people warned in 2026; one warned again within 12 months, one escalated to a CPW on the
    # anniversary (counts), one escalated a day too late (does not), one never again.
    plans = [
        [("warning_letter", dt.date(2026, 1, 10)), ("second_warning", dt.date(2026, 6, 1))],
        [("warning_letter", dt.date(2026, 1, 10)), ("cpw", dt.date(2027, 1, 10))],
        [("warning_letter", dt.date(2026, 1, 10)), ("cpw", dt.date(2027, 1, 11))],
        [("warning_letter", dt.date(2026, 1, 10))],
    ]
    for person, plan in zip(people, plans, strict=True):
        intervention = world.open_for(person=person)
        for kind, on in plan:
            extra = {"comply_by": on + dt.timedelta(days=14)} if kind == "cpw" else {}
            step(world, intervention, kind, on, **extra)
    rows = {(r.year, r.agency): r for r in selectors.figures(world.partnership.pk)}
    r2026 = rows[(2026, world.council.name)]
    assert (r2026.warnings, r2026.escalated, r2026.escalated_share) == (4, 2, "50%")
    assert rows[(2027, world.council.name)].notices_orders["cpw"] == 2


def test_a_stale_form_is_refused(world, unchanged_rows):
    intervention = world.open_for(person=world.adult)
    read = intervention.version
    step(world, intervention, "warning_letter", dt.date(2026, 1, 10))
    stale = type(intervention).objects.get(pk=intervention.pk)
    with unchanged_rows(Step), pytest.raises(ValidationError):
        services.step_record(
            intervention=stale,
            data=services.StepData(
                kind="second_warning",
                issuing_agency=world.council,
                served_on=dt.date(2026, 2, 1),
                how_served="post",
            ),
            actor=world.csm,
            read_version=read,
        )


def test_a_refusal_in_welsh_through_djangos_catalogue():
    from django.utils import translation

    from casereview.core.commencement import default_register
    from casereview.core.enforcement import ProposedStep, judge
    from casereview.core.enforcement_reasons import render
    from casereview.core.reasons import Words

    judgement = judge(
        ProposedStep("cpn", on=dt.date(2026, 3, 2), date_of_birth=dt.date(2011, 5, 1)), default_register()
    )
    with translation.override("cy"):
        words = Words(gettext=translation.gettext, ngettext=translation.ngettext, language="cy")
        text = [render(f.reason(), words) for f in judgement.refusals]
    assert text[0].startswith("Dim ond ar ôl rhybudd ysgrifenedig")
    assert "mewn grym o 20 Hydref 2014" in text[0]
    assert (
        "Dim ond ar gyfer rhywun 16 oed neu hŷn y gellir defnyddio hysbysiad Diogelu'r Gymuned" not in text[1]
    )
    assert "y gellir defnyddio Hysbysiad Diogelu'r Gymuned; mae'r unigolyn hwn yn 14 oed" in text[1]


def test_a_subject_access_export_holds_the_interventions_about_the_person(world):
    from casereview.interventions.subject_access import interventions_about
    from casereview.people.services import case_party_link
    from tests.factories import make_application

    case = make_application(world.partnership, victim_name="Lee Adult", actor=world.csm)
    case_party_link(person=world.adult, party=case.victim, actor=world.csm)
    intervention = world.open_for(person=world.adult)
    step(world, intervention, "warning_letter", dt.date(2026, 1, 10), prohibitions="No shouting")
    export = interventions_about(case.victim, lambda text: text)
    assert export["lists"]["Steps taken"][0]["must not"] == "No shouting"
    assert export["lists"]["Interventions about you"][0]["reference"] == intervention.reference


def test_the_people_retention_run_keeps_a_profile_an_intervention_is_about(world):
    from casereview.people.retention import people_due, places_due

    world.open_for(person=world.adult)
    world.open_for(premises=world.flat)
    far = dt.date(2100, 1, 1)
    assert world.adult not in people_due(today=far) and world.teen in people_due(today=far)
    assert world.flat not in places_due(today=far)


def test_a_closed_intervention_leaves_on_the_retention_schedule_and_an_open_one_stays(world):
    from casereview.interventions import retention
    from casereview.interventions.models import Intervention

    closed = world.open_for(person=world.adult)
    step(world, closed, "warning_letter", dt.date(2026, 1, 10))
    services.intervention_close(intervention=closed, actor=world.csm)
    kept = world.open_for(person=world.teen)
    far = dt.date(2100, 1, 1)
    assert retention.planned_line(today=far).startswith("1 intervention(s)")
    assert retention.disposed_line(today=far, actor_name="test") == "1 intervention(s) deleted"
    assert list(Intervention.objects.all()) == [kept]
    assert not Step.objects.exists()
