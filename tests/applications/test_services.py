import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casereview.applications import services as s
from casereview.applications.models import (
    AllegedPerpetrator,
    Application,
    CaseEvent,
    Incident,
    IncidentReport,
    Status,
    ThresholdDecision,
)
from casereview.applications.threshold import threshold_evaluate, threshold_input_build
from tests.factories import make_application

NOT_MET = [  # two qualifying incidents; the third reported too late
    (dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12)),
    (dt.date(2025, 2, 2), "council", dt.date(2025, 2, 3)),
    (dt.date(2025, 2, 5), "housing", dt.date(2025, 3, 30)),
]


def acknowledged(demo, **kwargs):
    application = make_application(demo.partnership(), **kwargs)
    s.application_acknowledge(
        application=application, actor=demo.user("wn-csm"), acknowledged_on=dt.date(2025, 4, 16)
    )
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_acknowledge_records_the_clock_event_on_the_day_given(demo):
    application = make_application(demo.partnership())
    s.application_acknowledge(
        application=application, actor=demo.user("wn-csm"), acknowledged_on=dt.date(2025, 4, 17)
    )
    application.refresh_from_db()
    assert application.status == Status.ACKNOWLEDGED
    event = application.events.get(kind="acknowledged")
    assert event.occurred_on == dt.date(2025, 4, 17)
    assert event.actor == demo.user("wn-csm")


@pytest.mark.django_db
def test_acknowledge_refuses_a_date_before_receipt_or_in_the_future(demo, unchanged_rows):
    application = make_application(demo.partnership())
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        s.application_acknowledge(application=application, actor=None, acknowledged_on=dt.date(2025, 4, 14))
    assert "acknowledged_on" in error.value.error_dict
    with unchanged_rows(), pytest.raises(ValidationError):
        s.application_acknowledge(application=application, actor=None, acknowledged_on=dt.date(2999, 1, 1))
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED


@pytest.mark.django_db
def test_a_transition_the_process_does_not_allow_is_refused(demo, unchanged_rows):
    application = make_application(demo.partnership())
    with unchanged_rows(), pytest.raises(ValidationError, match="cannot become"):
        s.application_set_status(application=application, to=Status.ACCEPTED, actor=None, summary="x")
    s.application_withdraw(
        application=application, actor=None, reason="Asked to", withdrawn_on=dt.date(2025, 4, 20)
    )
    with unchanged_rows(), pytest.raises(ValidationError):  # withdrawal is final
        s.application_acknowledge(application=application, actor=None, acknowledged_on=dt.date(2025, 4, 21))
    assert Application.objects.get(pk=application.pk).status == Status.WITHDRAWN


@pytest.mark.django_db
def test_withdraw_needs_a_reason_and_keeps_it_on_the_timeline(demo, unchanged_rows):
    application = make_application(demo.partnership())
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        s.application_withdraw(
            application=application, actor=None, reason="  ", withdrawn_on=dt.date(2025, 4, 20)
        )
    assert "reason" in error.value.error_dict
    s.application_withdraw(
        application=application,
        actor=demo.user("wn-csm"),
        reason="Victim moved away",
        withdrawn_on=dt.date(2025, 4, 20),
    )
    assert application.events.get(kind="withdrawn").data["reason"] == "Victim moved away"


@pytest.mark.django_db
def test_threshold_input_is_the_contract_input(demo):
    application = make_application(demo.partnership())
    data = threshold_input_build(application=application)
    assert data["application_date"] == "2025-04-15"
    assert data["applicant"] == {"anonymous": False, "on_behalf_of_victim": False, "victim_consent": None}
    assert [i["reports"][0]["agency"] for i in data["incidents"]] == ["police", "council", "housing"]
    assert data["incidents"][0]["reports"][0] == {
        "agency": "police",
        "reported_on": "2025-01-12",
        "reporter": "victim",
    }


@pytest.mark.django_db
def test_decide_met_accepts_and_stores_the_engine_result_whole(demo):
    application = acknowledged(demo)
    csm = demo.user("wn-csm")
    decision = s.application_decide(
        application=application, actor=csm, choice=s.DecisionChoice.ACCEPT, decided_on=dt.date(2025, 4, 20)
    )
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert decision.decision == "accepted"
    assert decision.engine_result == threshold_evaluate(application=application)
    assert (decision.policy_id, decision.policy_version) == ("west-northamptonshire", "2024-09-16")
    assert decision.qualifying_complaints == 3
    assert decision.decided_by == csm
    event = application.events.get(kind="accepted")  # starts the review clocks
    assert event.occurred_on == dt.date(2025, 4, 20)
    assert event.data["decision"] == decision.pk


@pytest.mark.django_db
def test_decide_met_cannot_be_declined(demo, unchanged_rows):
    application = acknowledged(demo)
    with unchanged_rows(), pytest.raises(ValidationError):
        s.application_decide(
            application=application, actor=demo.user("wn-csm"), choice=s.DecisionChoice.DECLINE
        )
    assert not ThresholdDecision.objects.exists()


@pytest.mark.django_db
def test_decide_not_met_declines(demo):
    application = acknowledged(demo, incidents=NOT_MET)
    decision = s.application_decide(
        application=application, actor=demo.user("wn-spoc"), choice=s.DecisionChoice.DECLINE
    )
    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert decision.engine_outcome == "not_met"
    assert decision.qualifying_complaints == 2
    assert "too late" in " ".join(decision.engine_result["incidents"][2]["reasons"])
    assert decision.explanation == decision.engine_result["explanation"]


@pytest.mark.django_db
def test_discretion_needs_reasons_and_a_manager(demo, unchanged_rows):
    application = acknowledged(demo, incidents=NOT_MET)
    with unchanged_rows(), pytest.raises(PermissionDenied):  # a SPOC may not accept at discretion
        s.application_decide(
            application=application,
            actor=demo.user("wn-spoc"),
            choice=s.DecisionChoice.ACCEPT_DISCRETION,
            reasons="Vulnerable victim",
        )
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        s.application_decide(
            application=application,
            actor=demo.user("wn-csm"),
            choice=s.DecisionChoice.ACCEPT_DISCRETION,
            reasons=" ",
        )
    assert "reasons" in error.value.error_dict
    assert not ThresholdDecision.objects.exists()
    decision = s.application_decide(
        application=application,
        actor=demo.user("wn-csm"),
        choice=s.DecisionChoice.ACCEPT_DISCRETION,
        reasons="Persistent and escalating; children targeted.",
    )
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert decision.discretionary and not decision.safeguarding
    assert decision.reasons == "Persistent and escalating; children targeted."


@pytest.mark.django_db
def test_safeguarding_is_the_senior_managers_alone(demo, unchanged_rows):
    application = acknowledged(demo, incidents=NOT_MET)
    with unchanged_rows(), pytest.raises(PermissionDenied):
        s.application_decide(
            application=application,
            actor=demo.user("wn-csm"),
            choice=s.DecisionChoice.ACCEPT_SAFEGUARDING,
            reasons="Vulnerable",
        )
    decision = s.application_decide(
        application=application,
        actor=demo.user("wn-senior"),
        choice=s.DecisionChoice.ACCEPT_SAFEGUARDING,
        reasons="Elderly victim living alone; risk of harm.",
    )
    assert decision.safeguarding and decision.decision == "accepted"
    assert decision.engine_outcome == "not_met"  # the engine's view is kept as it was


@pytest.mark.django_db
def test_ineligible_is_declined_as_ineligible(demo):
    application = acknowledged(demo, concerns=["court_decision"])
    decision = s.application_decide(
        application=application, actor=demo.user("wn-csm"), choice=s.DecisionChoice.DECLINE_INELIGIBLE
    )
    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert decision.decision == "ineligible"
    assert decision.engine_result["ineligible_reasons"]


@pytest.mark.django_db
def test_awaiting_consent_then_consent_then_accept(demo):
    from casereview.applications.models import Person

    application = acknowledged(
        demo, applicant=Person(full_name="Cllr Morris"), applicant_relationship="Councillor"
    )
    assert (
        s.application_decide(
            application=application, actor=demo.user("wn-csm"), choice=s.DecisionChoice.AWAITING_CONSENT
        )
        is None
    )
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CONSENT
    s.application_consent_record(
        application=application, actor=demo.user("wn-csm"), consent=True, recorded_on=dt.date(2025, 4, 22)
    )
    application.refresh_from_db()
    assert application.status == Status.ACKNOWLEDGED and application.victim_consent is True
    s.application_decide(application=application, actor=demo.user("wn-csm"), choice=s.DecisionChoice.ACCEPT)
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


@pytest.mark.django_db
def test_redeciding_supersedes_but_keeps_the_earlier_decision(demo):
    application = acknowledged(demo, incidents=NOT_MET)
    first = s.application_decide(
        application=application, actor=demo.user("wn-csm"), choice=s.DecisionChoice.DECLINE
    )
    second = s.application_decide(
        application=application,
        actor=demo.user("wn-senior"),
        choice=s.DecisionChoice.ACCEPT_DISCRETION,
        reasons="New information about the victim's health.",
    )
    assert list(application.decisions.order_by("-decided_at", "-id")) == [second, first]
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


@pytest.mark.django_db
def test_the_decision_is_refused_when_the_evidence_changed_since_the_officer_looked(demo, unchanged_rows):
    application = acknowledged(demo)
    with unchanged_rows(), pytest.raises(ValidationError):
        s.application_decide(
            application=application,
            actor=demo.user("wn-csm"),
            choice=s.DecisionChoice.ACCEPT,
            expected_outcome="not_met",
        )


@pytest.mark.django_db
def test_deciding_is_all_or_nothing(demo, unchanged_rows):
    application = acknowledged(demo)
    events_before = CaseEvent.objects.count()
    with (
        mock.patch(
            "casereview.applications.services.case_event_record", side_effect=RuntimeError("disk full")
        ),
        unchanged_rows(),
        pytest.raises(RuntimeError),
    ):
        s.application_decide(
            application=application, actor=demo.user("wn-csm"), choice=s.DecisionChoice.ACCEPT
        )
    application.refresh_from_db()
    assert application.status == Status.ACKNOWLEDGED
    assert not ThresholdDecision.objects.exists()
    assert CaseEvent.objects.count() == events_before


@pytest.mark.django_db
def test_an_agency_officer_cannot_decide(demo, unchanged_rows):
    application = acknowledged(demo)
    with unchanged_rows(), pytest.raises(PermissionDenied):
        s.application_decide(
            application=application, actor=demo.user("wn-police"), choice=s.DecisionChoice.ACCEPT
        )


@pytest.mark.django_db
def test_moving_a_report_onto_another_incident_merges_them_and_counts_once(demo):
    application = make_application(
        demo.partnership(),
        incidents=[
            (dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12)),
            (dt.date(2025, 1, 10), "housing", dt.date(2025, 1, 13)),  # the same night, told to housing
            (dt.date(2025, 2, 2), "council", dt.date(2025, 2, 3)),
            (dt.date(2025, 3, 1), "council", dt.date(2025, 3, 2)),
        ],
    )
    assert threshold_evaluate(application=application)["qualifying_complaints"] == 4
    i1, i2 = (
        Incident.objects.get(application=application, ref="I1"),
        Incident.objects.get(application=application, ref="I2"),
    )
    s.incident_report_move(report=i2.reports.get(), to_incident=i1, actor=demo.user("wn-csm"))
    assert not Incident.objects.filter(pk=i2.pk).exists()
    assert i1.reports.count() == 2
    assert threshold_evaluate(application=application)["qualifying_complaints"] == 3
    event = application.events.get(kind="incident_merged")
    assert event.data == {"from": "I2", "to": "I1", "merged": True}


@pytest.mark.django_db
def test_a_report_cannot_move_onto_a_later_incident(demo, unchanged_rows):
    application = make_application(demo.partnership())
    i1, i3 = application.incidents.get(ref="I1"), application.incidents.get(ref="I3")
    with unchanged_rows(), pytest.raises(ValidationError):
        s.incident_report_move(report=i1.reports.get(), to_incident=i3, actor=None)
    assert i1.reports.count() == 1


@pytest.mark.django_db
def test_an_incident_cannot_move_after_its_reports(demo, unchanged_rows):
    application = make_application(demo.partnership())
    incident = application.incidents.get(ref="I1")
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        s.incident_update(
            incident=incident, actor=None, data=s.IncidentData(occurred_on=dt.date(2025, 1, 20))
        )
    assert "occurred_on" in error.value.error_dict
    incident.refresh_from_db()
    assert incident.occurred_on == dt.date(2025, 1, 10)


@pytest.mark.django_db
def test_editing_and_removing_evidence_is_on_the_timeline(demo):
    application = make_application(demo.partnership())
    incident = application.incidents.get(ref="I3")
    report = incident.reports.get()
    other = demo.agency("west-northamptonshire", "other")
    s.incident_report_update(
        report=report,
        actor=demo.user("wn-csm"),
        data=s.ReportData(
            agency=other, agency_kind="other", reported_on=dt.date(2025, 3, 21), confirmed=True
        ),
    )
    report.refresh_from_db()
    assert (report.agency_kind, report.confirmed, report.reported_on) == ("other", True, dt.date(2025, 3, 21))
    s.incident_report_remove(report=report, actor=None)
    s.incident_remove(incident=incident, actor=None)
    assert not IncidentReport.objects.filter(incident__application=application, incident__ref="I3").exists()
    kinds = set(application.events.values_list("kind", flat=True))
    assert {"incident_report_updated", "incident_report_removed", "incident_removed"} <= kinds


@pytest.mark.django_db
def test_a_perpetrators_details_never_reach_the_timeline(demo, unchanged_rows):
    application = make_application(demo.partnership())
    perpetrator = s.perpetrator_save(
        application=application, actor=None, data=s.PerpetratorData(name="Kyle Smith", address="2 Elm Road")
    )
    s.perpetrator_save(
        application=application,
        actor=None,
        perpetrator=perpetrator,
        data=s.PerpetratorData(name="Kyle Smyth"),
    )
    assert AllegedPerpetrator.objects.get().name == "Kyle Smyth"
    text = " ".join(application.events.values_list("summary", flat=True)) + str(
        list(application.events.values_list("data", flat=True))
    )
    assert "Kyle" not in text and "Elm" not in text
    with unchanged_rows(), pytest.raises(ValidationError):
        s.perpetrator_save(application=application, actor=None, data=s.PerpetratorData())
