import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from casereview.accounts.models import Role, RoleGrant, User
from casereview.actions.models import Action
from casereview.applications.models import ApplicationAgency, CaseEvent, Status
from casereview.applications.selectors import applications_visible_to
from casereview.reviews import services
from casereview.reviews.models import Disclosure, InformationRequest, LawfulBasis
from casereview.reviews.selectors import (
    contact_efforts,
    information_requests_due_for_reminder,
    information_requests_visible_to,
    spoc_prior_involvement,
)
from tests.reviews.helpers import (
    APPOINTED_ON,
    accepted_application,
    in_review_application,
    independent_spoc,
)

pytestmark = pytest.mark.django_db


def events(application, kind):
    return list(CaseEvent.objects.filter(application=application, kind=kind))


# --- The SPOC -----------------------------------------------------------------------------------------


def test_an_independent_spoc_is_appointed_without_a_reason_and_the_review_starts(demo):
    application = accepted_application(demo)
    spoc = independent_spoc(demo)
    assert spoc_prior_involvement(application=application, user=spoc) == []

    services.spoc_appoint(
        application=application, spoc=spoc, actor=demo.user("wn-csm"), appointed_on=dt.date(2025, 4, 25)
    )

    application.refresh_from_db()
    assert application.spoc == spoc
    assert application.status == Status.IN_REVIEW
    (event,) = events(application, "spoc_appointed")
    assert event.occurred_on == dt.date(2025, 4, 25)
    assert event.data["from"] == "accepted"


def test_the_system_finds_prior_involvement_and_requires_a_reason(demo, unchanged_rows):
    application = accepted_application(demo)
    spoc = demo.user("wn-spoc")  # works for the council, which received the report of incident I2
    findings = spoc_prior_involvement(application=application, user=spoc)
    assert any("West Northamptonshire Council" in f and "I2" in f for f in findings)

    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.spoc_appoint(application=application, spoc=spoc, actor=demo.user("wn-csm"))
    assert "override_reason" in refused.value.error_dict
    application.refresh_from_db()
    assert application.spoc is None and application.status == Status.ACCEPTED
    assert events(application, "spoc_appointed") == []

    appointment = services.spoc_appoint(
        application=application, spoc=spoc, actor=demo.user("wn-csm"), override_reason="Different team."
    )
    assert appointment.involvement == findings
    assert appointment.override_reason == "Different team."
    assert events(application, "spoc_appointed")[0].data["prior_involvement_overridden"] is True


def test_recording_steps_on_the_case_or_being_named_in_a_report_is_prior_involvement(demo):
    application = accepted_application(demo)
    csm = demo.user("wn-csm")  # acknowledged and accepted the case
    assert any("Recorded steps" in f for f in spoc_prior_involvement(application=application, user=csm))

    spoc = independent_spoc(demo)
    report = application.incidents.first().reports.first()
    report.reporter = "Neighbour, seen by Indira Shah on patrol"
    report.save()
    assert any(
        "Named in the reports" in f for f in spoc_prior_involvement(application=application, user=spoc)
    )


def test_only_a_community_safety_manager_appoints_and_only_an_accepted_case(demo, unchanged_rows):
    application = accepted_application(demo)
    spoc = independent_spoc(demo)
    with unchanged_rows(), pytest.raises(PermissionDenied):
        services.spoc_appoint(application=application, spoc=spoc, actor=demo.user("wn-spoc"))
    declined = accepted_application(demo)
    declined.status = Status.DECLINED
    declined.save()
    with unchanged_rows(), pytest.raises(ValidationError, match="accepted for review"):
        services.spoc_appoint(application=declined, spoc=spoc, actor=demo.user("wn-csm"))


def test_replacing_the_spoc_keeps_the_review_running_and_the_clock_start(demo):
    application = in_review_application(demo)
    services.spoc_appoint(application=application, spoc=independent_spoc(demo), actor=demo.user("wn-csm"))
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert len(events(application, "spoc_appointed")) == 1
    assert len(events(application, "spoc_replaced")) == 1


# --- Contact with the victim ----------------------------------------------------------------------------


def test_contact_form_records_victim_contacted_on_the_day(demo):
    application = in_review_application(demo)
    contact = services.victim_contact_record(
        application=application,
        contacted_on=dt.date(2025, 4, 28),
        method="phone",
        incidents_in_own_words="Music until 3am most nights.",
        desired_outcome="To be able to sleep.",
        voice_preference="impact_statement",
        actor=demo.user("wn-spoc"),
    )
    assert contact.pk
    (event,) = events(application, "victim_contacted")
    assert event.occurred_on == dt.date(2025, 4, 28)


def test_contact_form_names_each_missing_field(demo, unchanged_rows):
    application = in_review_application(demo)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.victim_contact_record(
            application=application,
            contacted_on=dt.date(2025, 4, 28),
            method="pigeon",
            incidents_in_own_words=" ",
            desired_outcome="",
            voice_preference="",
            actor=demo.user("wn-spoc"),
        )
    assert set(refused.value.error_dict) == {
        "method",
        "incidents_in_own_words",
        "desired_outcome",
        "voice_preference",
    }


def test_only_the_cases_spoc_or_a_manager_records_contact(demo, unchanged_rows):
    application = in_review_application(demo)
    with unchanged_rows(), pytest.raises(PermissionDenied):
        services.contact_attempt_record(
            application=application,
            method="phone",
            attempted_on=dt.date(2025, 4, 25),
            outcome="no_answer",
            actor=demo.user("wn-police"),
        )


def test_unreachable_needs_reasonable_efforts_then_withdraws_the_review(demo, unchanged_rows):
    application = in_review_application(demo)
    spoc = demo.user("wn-spoc")
    attempts = [
        ("phone", dt.date(2025, 4, 25), "no_answer"),
        ("phone", dt.date(2025, 4, 28), "message_left"),
    ]
    for method, day, outcome in attempts:
        services.contact_attempt_record(
            application=application, method=method, attempted_on=day, outcome=outcome, actor=spoc
        )
    # Two attempts by one method are not reasonable efforts.
    with unchanged_rows(), pytest.raises(ValidationError, match="at least 3 attempts by at least 2"):
        services.victim_unreachable_record(application=application, actor=spoc)
    services.contact_attempt_record(
        application=application,
        method="phone",
        attempted_on=dt.date(2025, 4, 29),
        outcome="no_answer",
        actor=spoc,
    )
    assert not contact_efforts(application=application).enough_for_unreachable  # 3 attempts, 1 method
    services.contact_attempt_record(
        application=application,
        method="visit",
        attempted_on=dt.date(2025, 4, 30),
        outcome="not_home",
        actor=spoc,
    )
    assert contact_efforts(application=application).enough_for_unreachable

    services.victim_unreachable_record(application=application, actor=spoc, occurred_on=dt.date(2025, 5, 2))

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    (event,) = events(application, "victim_unreachable")
    assert event.occurred_on == dt.date(2025, 5, 2)
    assert event.data["to"] == "withdrawn"
    assert len(events(application, "victim_contact_attempted")) == 4


def test_a_victim_who_was_reached_is_not_unreachable(demo, unchanged_rows):
    application = in_review_application(demo)
    spoc = demo.user("wn-spoc")
    for method, day in [("phone", 25), ("email", 26), ("letter", 27)]:
        services.contact_attempt_record(
            application=application,
            method=method,
            attempted_on=dt.date(2025, 4, day),
            outcome="no_reply",
            actor=spoc,
        )
    services.contact_attempt_record(
        application=application,
        method="visit",
        attempted_on=dt.date(2025, 4, 28),
        outcome="reached",
        actor=spoc,
    )
    with unchanged_rows(), pytest.raises(ValidationError, match="has been reached"):
        services.victim_unreachable_record(application=application, actor=spoc)


# --- Risk and support -----------------------------------------------------------------------------------


def test_risk_assessment_is_scored_and_recorded(demo):
    application = in_review_application(demo)
    answers = dict.fromkeys(services.risk.QUESTION_CODES, False) | {"self_harm": True}
    assessment = services.risk_assessment_record(
        application=application, answers=answers, assessed_on=dt.date(2025, 4, 28), actor=demo.user("wn-spoc")
    )
    assert (assessment.level, assessment.score) == ("high", 1)
    (event,) = events(application, "risk_assessed")
    assert event.data == {"level": "high", "score": 1}
    assert "high risk" in event.summary


def test_a_referral_needs_the_victims_consent(demo, unchanged_rows):
    application = in_review_application(demo)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.support_referral_record(
            application=application,
            service="Victim Support",
            offered_on=dt.date(2025, 4, 28),
            outcome="referred",
            consent=False,
            actor=demo.user("wn-spoc"),
        )
    assert "consent" in refused.value.error_dict
    referral = services.support_referral_record(
        application=application,
        service="Victim Support",
        offered_on=dt.date(2025, 4, 28),
        outcome="referred",
        consent=True,
        actor=demo.user("wn-spoc"),
    )
    assert referral.consent is True
    assert len(events(application, "support_referral_recorded")) == 1


def test_interim_action_is_created_now_and_its_agency_joins_the_case(demo):
    application = in_review_application(demo)
    health = demo.agency("west-northamptonshire", "health")
    ApplicationAgency.objects.filter(application=application, agency=health).delete()
    action = services.interim_action_create(
        application=application,
        description="Urgent mental health assessment for the victim.",
        owner_agency=health,
        owner=demo.user("wn-health"),
        due_on=dt.date.today() + dt.timedelta(days=2),
        actor=demo.user("wn-spoc"),
    )
    assert action.kind == "interim" and action.share_with_victim is False
    assert ApplicationAgency.objects.filter(application=application, agency=health).exists()
    assert len(events(application, "interim_action_created")) == 1
    assert "mental health" not in events(application, "interim_action_created")[0].summary


def test_an_action_owner_must_work_for_the_owning_agency(demo, unchanged_rows):
    application = in_review_application(demo)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.interim_action_create(
            application=application,
            description="Patrols",
            owner_agency=demo.agency("west-northamptonshire", "police"),
            owner=demo.user("wn-housing"),
            due_on=dt.date.today(),
            actor=demo.user("wn-spoc"),
        )
    assert "owner" in refused.value.error_dict
    assert not Action.objects.filter(case=application).exists()


# --- Information from agencies --------------------------------------------------------------------------


def test_requests_are_due_by_the_policy_and_link_the_agency(demo):
    application = in_review_application(demo, "islington")
    health = demo.agency("islington", "health")
    assert not ApplicationAgency.objects.filter(application=application, agency=health).exists()
    (request,) = services.information_requests_send(
        application=application,
        agencies=[health],
        requested_on=dt.date(2025, 4, 28),
        actor=demo.user("is-spoc"),
    )
    assert request.due_on == dt.date(2025, 5, 19)  # Islington: 21 days
    assert ApplicationAgency.objects.filter(application=application, agency=health).exists()
    (event,) = events(application, "information_requested")
    assert event.occurred_on == dt.date(2025, 4, 28)
    assert application in applications_visible_to(demo.user("is-health"))


def test_wnc_requests_default_to_ten_working_days_and_the_spoc_may_set_another_date(demo, unchanged_rows):
    application = in_review_application(demo)
    police, housing = (
        demo.agency("west-northamptonshire", "police"),
        demo.agency("west-northamptonshire", "housing"),
    )
    (request,) = services.information_requests_send(
        application=application,
        agencies=[police],
        requested_on=dt.date(2025, 5, 1),
        actor=demo.user("wn-spoc"),
    )
    assert request.due_on == dt.date(2025, 5, 16)  # 10 working days, skipping the 5 May bank holiday
    (other,) = services.information_requests_send(
        application=application,
        agencies=[housing],
        requested_on=dt.date(2025, 5, 1),
        due_on=dt.date(2025, 5, 9),
        actor=demo.user("wn-spoc"),
    )
    assert other.due_on == dt.date(2025, 5, 9)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.information_requests_send(
            application=application,
            agencies=[police],
            actor=demo.user("wn-spoc"),
            requested_on=dt.date(2025, 5, 2),
        )
    assert "Already awaiting a response from Northamptonshire Police" in str(refused.value)


def test_an_agency_officer_sees_only_their_own_agencys_requests(demo):
    application = in_review_application(demo)
    police, health = (
        demo.agency("west-northamptonshire", "police"),
        demo.agency("west-northamptonshire", "health"),
    )
    services.information_requests_send(
        application=application,
        agencies=[police, health],
        requested_on=dt.date(2025, 5, 1),
        actor=demo.user("wn-spoc"),
    )
    # Another case the health body is not party to, with a request to the police only.
    other = in_review_application(demo)
    services.information_requests_send(
        application=other, agencies=[police], requested_on=dt.date(2025, 5, 1), actor=demo.user("wn-spoc")
    )
    # One clock per request: each information_requested event names its request.
    requested = events(application, "information_requested")
    assert sorted(e.data["request"] for e in requested) == sorted(
        application.information_requests.values_list("pk", flat=True)
    )
    assert {r.agency for r in information_requests_visible_to(demo.user("wn-health"))} == {health}
    assert set(
        information_requests_visible_to(demo.user("wn-police")).values_list("application", flat=True)
    ) == {
        application.pk,
        other.pk,
    }
    assert information_requests_visible_to(demo.user("wn-police")).filter(agency=health).count() == 0
    assert information_requests_visible_to(demo.user("wn-spoc")).count() == 3
    assert information_requests_visible_to(demo.user("is-police")).count() == 0
    # An officer without an agency sees nothing.
    lost = User.objects.create_user(username="lost", partnership=demo.partnership())
    RoleGrant.objects.create(user=lost, partnership=demo.partnership(), role=Role.AGENCY_OFFICER)
    assert information_requests_visible_to(lost).count() == 0


def test_an_answer_records_the_disclosure_with_its_lawful_basis(demo):
    application = in_review_application(demo)
    police = demo.agency("west-northamptonshire", "police")
    (request,) = services.information_requests_send(
        application=application,
        agencies=[police],
        requested_on=dt.date(2025, 5, 1),
        actor=demo.user("wn-spoc"),
    )
    officer = demo.user("wn-police")
    services.information_request_respond(
        request=request,
        actor=officer,
        reports_received="Three calls, refs 123, 456, 789.",
        actions_taken="Words of advice given.",
        current_involvement="Neighbourhood team aware.",
        lawful_basis=LawfulBasis.CDA_1998_S115,
        responded_on=dt.date(2025, 5, 20),
    )
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.ANSWERED and request.responded_by == officer
    (disclosure,) = Disclosure.objects.filter(application=application)
    assert disclosure.from_agency == police
    assert disclosure.disclosed_by == officer
    assert disclosure.lawful_basis == "cda_1998_s115"
    assert disclosure.disclosed_on == dt.date(2025, 5, 20)
    assert application.reference in disclosure.purpose and "s.104" in disclosure.purpose
    assert "SPOC" in disclosure.recipient
    (event,) = events(application, "agency_response_received")
    assert event.data["late"] is True and "days late" in event.summary


def test_an_officer_of_another_agency_cannot_answer(demo, unchanged_rows):
    application = in_review_application(demo)
    (request,) = services.information_requests_send(
        application=application,
        agencies=[demo.agency("west-northamptonshire", "police")],
        requested_on=dt.date(2025, 5, 1),
        actor=demo.user("wn-spoc"),
    )
    with unchanged_rows(), pytest.raises(PermissionDenied):
        services.information_request_respond(
            request=request,
            actor=demo.user("wn-housing"),
            reports_received="x",
            actions_taken="x",
            current_involvement="x",
            lawful_basis=LawfulBasis.ASB_ACT_SCH4_PARA7,
        )
    assert not Disclosure.objects.exists()


def test_reminders_pick_due_and_overdue_requests_once_a_week(demo):
    application = in_review_application(demo)
    police, housing = (
        demo.agency("west-northamptonshire", "police"),
        demo.agency("west-northamptonshire", "housing"),
    )
    police.email = "asb@police.example.gov.uk"
    police.save()
    (due_soon,) = services.information_requests_send(
        application=application,
        agencies=[police],
        requested_on=dt.date(2025, 5, 1),
        actor=demo.user("wn-spoc"),
        due_on=dt.date(2025, 5, 16),
    )
    services.information_requests_send(
        application=application,
        agencies=[housing],
        requested_on=dt.date(2025, 5, 1),
        actor=demo.user("wn-spoc"),
        due_on=dt.date(2025, 6, 30),
    )
    today = dt.date(2025, 5, 14)
    assert list(information_requests_due_for_reminder(today=today)) == [due_soon]
    services.information_request_remind(request=due_soon, today=today)
    due_soon.refresh_from_db()
    assert due_soon.reminders_sent == 1 and due_soon.last_reminded_on == today
    assert list(information_requests_due_for_reminder(today=today + dt.timedelta(days=3))) == []
    assert list(information_requests_due_for_reminder(today=today + dt.timedelta(days=7))) == [due_soon]
    assert events(application, "information_request_reminded")[0].data["overdue"] is False


def test_request_notification_email_carries_no_personal_data(demo, django_capture_on_commit_callbacks):
    application = in_review_application(demo)
    police = demo.agency("west-northamptonshire", "police")
    police.email = "asb@police.example.gov.uk"
    police.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.information_requests_send(
            application=application,
            agencies=[police],
            requested_on=dt.date(2025, 5, 1),
            actor=demo.user("wn-spoc"),
        )
    (message,) = mail.outbox
    assert message.to == ["asb@police.example.gov.uk"]
    assert application.reference in message.subject
    assert application.victim.full_name not in message.body
    assert application.victim.address not in message.body


def test_the_spoc_appointment_clock_event_is_on_the_appointment_day(demo):
    application = in_review_application(demo)
    assert events(application, "spoc_appointed")[0].occurred_on == APPOINTED_ON


# --- The next-steps letter tells the truth about the SPOC's earlier involvement -------------------


def test_the_next_steps_letter_says_so_when_the_prior_involvement_warning_was_overridden(demo):
    application = in_review_application(demo)  # wn-spoc, appointed despite the council's report
    services.review_letter_issue(application=application, kind="next_steps", actor=demo.user("wn-spoc"))
    body = application.letters.get(kind="next_steps").body_html
    assert "no earlier involvement" not in body
    assert "They have had some earlier involvement in your case." in body
    # The findings and the manager's reason are staff notes, not for the victim.
    assert "Works in community safety" not in body and "I2" not in body


def test_the_next_steps_letter_says_no_earlier_involvement_only_when_none_was_found(demo):
    application = accepted_application(demo)
    spoc = independent_spoc(demo)
    services.spoc_appoint(application=application, spoc=spoc, actor=demo.user("wn-csm"))
    services.review_letter_issue(application=application, kind="next_steps", actor=spoc)
    body = application.letters.get(kind="next_steps").body_html
    assert "As far as our records show, they had no earlier involvement in your case." in body
    assert "some earlier involvement" not in body


def test_a_replacement_spoc_with_prior_involvement_changes_the_wording(demo):
    from casereview.letters.services import letter_preview

    application = accepted_application(demo)
    services.spoc_appoint(application=application, spoc=independent_spoc(demo), actor=demo.user("wn-csm"))
    services.spoc_appoint(
        application=application,
        spoc=demo.user("wn-spoc"),
        actor=demo.user("wn-csm"),
        override_reason="Indira is on leave.",
    )
    application.refresh_from_db()
    # Through the letters app directly (no extra from the caller): the reviews app supplies it.
    preview = letter_preview(case=application, kind="next_steps", actor=demo.user("wn-spoc"))
    assert "some earlier involvement" in preview.body_html
