import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casereview.applications.models import ApplicationAgency, CaseEvent, Status
from casereview.panels import services
from casereview.panels.models import MeetingStatus
from casereview.panels.selectors import meeting_quorum
from tests.panels.helpers import FUTURE, full_panel, hold, schedule
from tests.reviews.helpers import accepted_application, in_review_application

pytestmark = pytest.mark.django_db


def events(application, kind):
    return list(CaseEvent.objects.filter(application=application, kind=kind))


def test_scheduling_adds_the_spoc_and_warns_until_the_panel_is_quorate(demo):
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    assert [m.role for m in meeting.members.all()] == ["spoc"]
    assert len(events(application, "panel_scheduled")) == 1
    quorum = meeting_quorum(meeting)
    assert not quorum.ok
    assert any("independent chair" in p for p in quorum.problems)
    full_panel(demo, meeting)
    assert meeting_quorum(meeting).ok


def test_a_panel_is_scheduled_only_once_the_review_is_in_progress(demo, unchanged_rows):
    application = accepted_application(demo)
    with unchanged_rows(), pytest.raises(ValidationError, match="review is in progress"):
        services.panel_schedule(
            case=application,
            meeting_on=FUTURE,
            starts_at=dt.time(10),
            location="Room 1",
            actor=demo.user("wn-csm"),
        )


def test_schedule_names_the_missing_fields(demo, unchanged_rows):
    application = in_review_application(demo)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.panel_schedule(
            case=application,
            meeting_on=dt.date(2020, 1, 1),
            starts_at=dt.time(10),
            online=True,
            actor=demo.user("wn-spoc"),
        )
    assert set(refused.value.error_dict) == {"meeting_on", "joining_details"}


def test_members_join_the_case_and_the_spoc_cannot_chair(demo, unchanged_rows):
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    health = demo.agency("west-northamptonshire", "health")
    ApplicationAgency.objects.filter(application=application, agency=health).delete()
    services.panel_member_add(
        meeting=meeting, role="representative", user=demo.user("wn-health"), actor=demo.user("wn-spoc")
    )
    assert ApplicationAgency.objects.filter(application=application, agency=health).exists()
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.panel_member_add(
            meeting=meeting, role="independent_chair", user=demo.user("wn-spoc"), actor=demo.user("wn-spoc")
        )
    assert "role" in refused.value.error_dict or "user" in refused.value.error_dict


def test_an_agency_officer_cannot_run_the_panel(demo, unchanged_rows):
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    with unchanged_rows(), pytest.raises(PermissionDenied):
        services.panel_member_add(
            meeting=meeting, role="representative", user=demo.user("wn-police"), actor=demo.user("wn-police")
        )


def test_recording_the_meeting_moves_the_case_to_panel_held_on_the_day(demo):
    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    held_on = dt.date.today() - dt.timedelta(days=1)
    hold(demo, meeting, held_on=held_on)
    application.refresh_from_db()
    meeting.refresh_from_db()
    assert application.status == Status.PANEL_HELD
    assert meeting.status == MeetingStatus.HELD
    (event,) = events(application, "panel_held")
    assert event.occurred_on == held_on
    assert event.data["quorum_problems"] == []


def test_a_meeting_without_its_quorum_is_refused_without_the_chairs_reason(demo, unchanged_rows):
    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    present = list(meeting.members.exclude(name__icontains="Harpreet").values_list("id", flat=True))
    before = list(CaseEvent.objects.filter(application=application).values_list("id", flat=True))
    meeting.meeting_on = dt.date.today()  # the meeting day comes, before the refused record
    meeting.save()
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        hold(demo, meeting, attended_member_ids=present)
    assert set(refused.value.error_dict) == {"inquorate_reason"}
    message = refused.value.error_dict["inquorate_reason"][0].messages[0]
    assert "NHS" in message and "Record the chair's reason" in message
    meeting.refresh_from_db()
    application.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and not meeting.inquorate
    assert application.status == Status.IN_REVIEW
    assert list(CaseEvent.objects.filter(application=application).values_list("id", flat=True)) == before
    assert not meeting.members.filter(attended__isnull=False).exists()


def test_with_the_chairs_reason_the_meeting_is_held_and_inquorate(demo):
    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    present = list(meeting.members.exclude(name__icontains="Harpreet").values_list("id", flat=True))
    hold(demo, meeting, attended_member_ids=present, inquorate_reason="The health lead was taken ill.")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.inquorate
    assert meeting.inquorate_reason == "The health lead was taken ill."
    assert meeting.status_label == "Held (inquorate)"
    (event,) = events(application, "panel_held")
    assert "without its quorum (inquorate)" in event.summary
    assert event.data["inquorate"] is True
    assert any("NHS" in p for p in event.data["quorum_problems"])


@pytest.mark.parametrize(
    ("leave_out", "voice", "expected"),
    [
        ("independent_chair", "impact_statement", "independent chair"),
        (None, "declined", "victim's voice was not heard"),
    ],
)
def test_the_chair_and_the_victims_voice_are_needed_whatever_the_policy(
    demo, leave_out, voice, expected, unchanged_rows
):
    # Islington's policy requires no particular role: the chair and the victim's voice still are.
    application = in_review_application(demo, "islington")
    meeting = full_panel(demo, schedule(demo, application))
    present = list(meeting.members.exclude(role=leave_out or "-").values_list("id", flat=True))
    meeting.meeting_on = dt.date.today()  # the meeting day comes, before the refused record
    meeting.save()
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        hold(demo, meeting, attended_member_ids=present, victim_voice=voice, impact_statement="I am afraid.")
    assert expected in refused.value.error_dict["inquorate_reason"][0].messages[0]


def test_a_reason_given_for_a_quorate_meeting_is_not_kept(demo):
    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    hold(demo, meeting, inquorate_reason="Just in case.")
    meeting.refresh_from_db()
    assert not meeting.inquorate and meeting.inquorate_reason == ""


def test_the_record_names_its_missing_parts(demo, unchanged_rows):
    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.panel_record(
            meeting=meeting,
            held_on=dt.date.today(),
            attended_member_ids=[],
            victim_voice="impact_statement",
            impact_statement="",
            minutes="",
            decisions="",
            actor=demo.user("wn-spoc"),
        )
    assert set(refused.value.error_dict) == {"attended", "impact_statement", "minutes", "decisions"}
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_recommendations_and_actions_belong_to_the_plan(demo, unchanged_rows):
    application = in_review_application(demo)
    meeting = hold(demo, full_panel(demo, schedule(demo, application)))
    housing = demo.agency("west-northamptonshire", "housing")
    recommendation = services.recommendation_add(
        meeting=meeting, body=housing, text="Review the tenancy management plan.", actor=demo.user("wn-spoc")
    )
    action = services.panel_action_add(
        meeting=meeting,
        description="Joint visit with the police.",
        owner_agency=housing,
        owner=demo.user("wn-housing"),
        due_on=dt.date.today() + dt.timedelta(days=28),
        actor=demo.user("wn-spoc"),
    )
    assert list(meeting.actions.all()) == [action] and action.kind == "panel"
    assert recommendation.body == housing
    assert len(events(application, "recommendation_made")) == 1
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.panel_action_add(
            meeting=meeting,
            description="Something",
            owner_agency=housing,
            owner=None,
            due_on=dt.date.today(),
            actor=demo.user("wn-spoc"),
        )
    assert "owner" in refused.value.error_dict


def test_the_plan_cannot_be_final_without_consulting_the_victim_or_a_reason(demo, unchanged_rows):
    application = in_review_application(demo)
    meeting = hold(demo, full_panel(demo, schedule(demo, application)))
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.action_plan_finalise(meeting=meeting, actor=demo.user("wn-spoc"))
    assert "without_consultation_reason" in refused.value.error_dict
    meeting.refresh_from_db()
    assert not meeting.plan_is_final

    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.victim_consultation_record(
            meeting=meeting,
            consulted_on=dt.date.today(),
            method="phone",
            view="concerns",
            actor=demo.user("wn-spoc"),
        )
    assert "victim_comments" in refused.value.error_dict
    services.victim_consultation_record(
        meeting=meeting,
        consulted_on=dt.date.today(),
        method="phone",
        view="concerns",
        victim_comments="Worried the visit will make things worse.",
        actor=demo.user("wn-spoc"),
    )
    services.action_plan_finalise(meeting=meeting, actor=demo.user("wn-spoc"))
    meeting.refresh_from_db()
    assert meeting.plan_is_final and meeting.finalised_without_consultation_reason == ""
    assert events(application, "action_plan_finalised")[0].data["consulted"] is True
    with unchanged_rows(), pytest.raises(ValidationError, match="final"):
        services.recommendation_add(
            meeting=meeting,
            body=demo.agency("west-northamptonshire", "police"),
            text="More",
            actor=demo.user("wn-spoc"),
        )


def test_the_plan_can_be_final_without_consultation_with_a_recorded_reason(demo):
    application = in_review_application(demo)
    meeting = hold(demo, full_panel(demo, schedule(demo, application)))
    services.action_plan_finalise(
        meeting=meeting,
        actor=demo.user("wn-spoc"),
        without_consultation_reason="Victim in hospital; daughter agreed.",
    )
    meeting.refresh_from_db()
    assert meeting.finalised_without_consultation_reason == "Victim in hospital; daughter agreed."


def test_a_further_review_is_a_new_meeting_on_the_same_case(demo, unchanged_rows):
    application = in_review_application(demo)
    first = hold(demo, full_panel(demo, schedule(demo, application)))
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        schedule(demo, application)
    assert "further_review_reason" in refused.value.error_dict
    second = schedule(demo, application, further_review_reason="The behaviour has escalated to threats.")
    assert second.round == 2 and first.round == 1
    assert len(events(application, "further_review")) == 1
    hold(demo, full_panel(demo, second))
    assert len(events(application, "panel_held")) == 2


def test_a_further_review_reopens_a_closed_case(demo):
    application = in_review_application(demo)
    hold(demo, full_panel(demo, schedule(demo, application)))
    application.refresh_from_db()
    from casereview.applications.services import application_set_status

    application_set_status(
        application=application, to=Status.CLOSED, actor=demo.user("wn-csm"), summary="Closed."
    )
    schedule(demo, application, further_review_reason="New incidents since the review closed.")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert events(application, "further_review")[0].data["to"] == "in_review"
