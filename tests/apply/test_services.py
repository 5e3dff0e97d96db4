"""Sending an online application creates exactly what the person entered, all or nothing."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casereview.applications import services as application_services
from casereview.applications.models import (
    Application,
    ApplicationAgency,
    CaseEvent,
    Incident,
    IncidentReport,
    Person,
)
from casereview.apply.models import OnlineSubmission
from casereview.apply.services import NOT_SURE_NOTE, online_application_submit

from .conftest import agency

TODAY = dt.date(2026, 3, 18)


def answers_for(areas, **changes) -> dict:
    """A victim's complete answers, as the journey leaves them in the session."""
    police = agency("west-northamptonshire", "police")
    council = agency("west-northamptonshire", "council")
    housing = agency("west-northamptonshire", "housing")
    answers = {
        "partnership": "west-northamptonshire",
        "area_postcode": "NN1 1ED",
        "area_matched": True,
        "in_danger": "no",
        "concerns": [],
        "applicant_type": "self_individual",
        "victim_name": {"full_name": "Jo Bloggs", "organisation_name": ""},
        "victim_address": {
            "address_line_1": "1 High Street",
            "address_line_2": "Flat 2",
            "town": "Northampton",
            "postcode": "NN1 1AA",
        },
        "contact": {"preferred": "text", "email": "jo@example.com", "phone": "", "mobile": "07700 900982"},
        "contact_safety": {"safe_times": "After 6pm", "safety_notes": "He reads my post."},
        "needs": {"formats": ["large_print", "easy_read"], "language": "Polish", "other_needs": "Step-free"},
        "incidents": [
            {
                "occurred_on": "2026-01-05",
                "description": "Music until 3am",
                "location": "Flat 3",
                "hostility": ["no"],
                "reported_to": [f"agency-{police.pk}", f"agency-{council.pk}"],
                "other_name": "",
                "reports": {
                    f"agency-{police.pk}": {"reported_on": "2026-01-06", "reference": "NP-123"},
                    f"agency-{council.pk}": {"reported_on": "2026-01-08", "reference": ""},
                },
            },
            {
                "occurred_on": "2026-02-01",
                "description": "Shouted abuse at me",
                "location": "Stairwell",
                "hostility": ["race", "religion"],
                "reported_to": [f"agency-{housing.pk}", "other"],
                "other_name": "Citizens Advice",
                "reports": {
                    f"agency-{housing.pk}": {"reported_on": "2026-02-02", "reference": "H-9"},
                    "other": {"reported_on": "2026-02-03", "reference": ""},
                },
            },
            {
                "occurred_on": "2026-03-01",
                "description": "Rubbish left at my door",
                "location": "Front door",
                "hostility": ["not_sure"],
                "reported_to": ["none"],
                "other_name": "",
                "reports": {},
            },
        ],
        "incidents_done": True,
        "summary": "It has gone on for a year.",
        "desired_outcome": "For it to stop.",
    }
    answers.update(changes)
    return answers


@pytest.mark.django_db
def test_the_application_is_exactly_what_was_entered(areas):
    answers = answers_for(areas)
    application = online_application_submit(answers=answers, token="t" * 40, today=TODAY)

    assert application.reference == "WN-2026-0001"
    assert application.partnership.slug == "west-northamptonshire"
    assert (application.channel, application.status, application.received_on) == ("online", "received", TODAY)
    assert application.applicant is None and application.victim_consent is None
    assert application.concerns == []
    assert application.location == "NN1 1ED"
    assert application.summary == "It has gone on for a year."
    assert application.desired_outcome == "For it to stop."

    victim = application.victim
    assert (victim.kind, victim.full_name, victim.organisation_name) == ("individual", "Jo Bloggs", "")
    assert victim.address == "1 High Street\nFlat 2\nNorthampton"
    assert victim.postcode == "NN1 1AA"
    assert (victim.email, victim.phone, victim.preferred_contact) == (
        "jo@example.com",
        "07700 900982",
        "text",
    )
    assert (victim.safe_contact_times, victim.contact_safety_notes) == ("After 6pm", "He reads my post.")
    assert victim.format_needs == "Large print, Easy read"
    assert (victim.language, victim.accessibility_needs) == ("Polish", "Step-free")
    assert victim.partnership_id == application.partnership_id

    incidents = list(application.incidents.order_by("ref"))
    assert [(i.ref, i.occurred_on, i.location) for i in incidents] == [
        ("I1", dt.date(2026, 1, 5), "Flat 3"),
        ("I2", dt.date(2026, 2, 1), "Stairwell"),
        ("I3", dt.date(2026, 3, 1), "Front door"),
    ]
    assert [i.hate_motivations for i in incidents] == [[], ["race", "religion"], []]
    assert incidents[0].description == "Music until 3am"
    # "Not sure" is not a hate motivation (it would count for the hate route), but staff are told.
    assert incidents[2].description == f"Rubbish left at my door\n\n{NOT_SURE_NOTE}"

    reports = [
        (
            r.incident.ref,
            r.agency.name if r.agency else None,
            r.agency_kind,
            r.agency_name,
            r.reported_on,
            r.agency_reference,
            r.reporter,
        )
        for r in IncidentReport.objects.filter(incident__application=application).order_by(
            "incident__ref", "id"
        )
    ]
    assert reports == [
        (
            "I1",
            "Northamptonshire Police",
            "police",
            "Northamptonshire Police",
            dt.date(2026, 1, 6),
            "NP-123",
            "victim",
        ),
        (
            "I1",
            "West Northamptonshire Council",
            "council",
            "West Northamptonshire Council",
            dt.date(2026, 1, 8),
            "",
            "victim",
        ),
        (
            "I2",
            "Northamptonshire Partnership Homes",
            "housing",
            "Northamptonshire Partnership Homes",
            dt.date(2026, 2, 2),
            "H-9",
            "victim",
        ),
        ("I2", None, "other", "Citizens Advice", dt.date(2026, 2, 3), "", "victim"),
    ]
    # The agencies told become party to the case (so their officers can see it); nobody else.
    assert set(
        ApplicationAgency.objects.filter(application=application).values_list("agency__kind", flat=True)
    ) == {
        "police",
        "council",
        "housing",
    }
    kinds = list(CaseEvent.objects.filter(application=application).values_list("kind", flat=True))
    # ... and the acknowledgement owed to the person who applied (docs/apply.md).
    assert kinds == ["received", "incident_added", "incident_added", "incident_added", "notification_sent"]
    received = CaseEvent.objects.get(application=application, kind="received")
    assert received.occurred_on == TODAY and received.actor is None
    assert OnlineSubmission.objects.get(token="t" * 40).application == application


@pytest.mark.django_db
@pytest.mark.parametrize(("consent", "stored"), [("yes", True), ("not_asked", None), ("no", False)])
def test_a_third_party_application_records_the_applicant_relationship_and_consent(areas, consent, stored):
    answers = answers_for(
        areas,
        applicant_type="third_party",
        victim_kind="business",
        victim_name={"full_name": "Sam Shah", "organisation_name": "Corner Shop Ltd"},
        relationship="councillor",
        relationship_other="",
        applicant={
            "full_name": "Cllr Ann Lee",
            "organisation": "WNC",
            "email": "ann@example.org",
            "phone": "",
        },
        victim_consent=consent,
    )
    application = online_application_submit(answers=answers, token=f"third-{consent}", today=TODAY)
    assert application.is_third_party
    assert application.applicant.full_name == "Cllr Ann Lee"
    assert application.applicant.organisation_name == "WNC"
    assert application.applicant.email == "ann@example.org"
    assert application.applicant_relationship == "Councillor"
    assert application.victim_consent is stored
    assert application.consent_recorded_on == (TODAY if stored is not None else None)
    assert (application.victim.kind, application.victim.organisation_name) == ("business", "Corner Shop Ltd")


@pytest.mark.django_db
def test_sending_the_same_journey_twice_creates_one_application(areas):
    answers = answers_for(areas)
    first = online_application_submit(answers=answers, token="same-token", today=TODAY)
    second = online_application_submit(answers=answers, token="same-token", today=TODAY)
    assert first == second
    assert Application.objects.count() == 1


def _counts():
    return [
        m.objects.count()
        for m in (Person, Application, Incident, IncidentReport, CaseEvent, OnlineSubmission)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spoil",
    [
        lambda a: a["incidents"][2].update(occurred_on="2026-03-19"),  # the last incident in the future
        lambda a: a["incidents"][1]["reports"]["other"].update(
            reported_on="2026-01-01"
        ),  # before it happened
        lambda a: a["incidents"][2].update(reported_to=["agency-999999"]),  # not this area's agency
        lambda a: a.update(incidents=[]),
        lambda a: a.update(summary=""),
        lambda a: a["victim_address"].update(postcode=""),
        lambda a: a.update(applicant_type="third_party", victim_kind="individual", relationship="friend"),
        lambda a: a.update(partnership="nowhere"),
    ],
)
def test_nothing_is_written_when_any_answer_is_invalid(areas, spoil, unchanged_rows):
    answers = copy.deepcopy(answers_for(areas))
    spoil(answers)
    before = _counts()
    with unchanged_rows(), pytest.raises(ValidationError):
        online_application_submit(answers=answers, token="bad", today=TODAY)
    assert _counts() == before


@pytest.mark.django_db
def test_a_failure_part_way_through_writing_leaves_nothing_behind(areas, monkeypatch, unchanged_rows):
    """The writes share one transaction: if the third incident fails, the people, the application
    and the first two incidents are rolled back too."""
    real_incident_add = application_services.incident_add
    calls = []

    def failing_incident_add(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real_incident_add(**kwargs)

    monkeypatch.setattr(application_services, "incident_add", failing_incident_add)
    before = _counts()
    with unchanged_rows(), pytest.raises(RuntimeError):
        online_application_submit(answers=answers_for(areas), token="boom", today=TODAY)
    assert len(calls) == 3
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_create_one_application(areas, monkeypatch):
    """Both requests pass the "already sent?" check before either has written: the unique token
    makes the second one's insert fail, its writes roll back, and it returns the first's."""
    from casereview.apply import services

    first = online_application_submit(answers=answers_for(areas), token="race", today=TODAY)
    real = services._submission_with
    checks = []

    def not_yet_on_first_check(token):
        checks.append(token)
        return None if len(checks) == 1 else real(token)

    monkeypatch.setattr(services, "_submission_with", not_yet_on_first_check)
    before = _counts()
    second = online_application_submit(answers=answers_for(areas), token="race", today=TODAY)
    assert second == first
    assert len(checks) == 2
    assert _counts() == before


@pytest.mark.django_db
def test_staff_see_an_online_application_only_where_their_agency_is_involved(demo):
    """The agencies an incident was reported to become party to the case; no other agency's officer
    can see it (applications.selectors is the one place access is decided)."""
    from casereview.applications.selectors import applications_visible_to

    application = online_application_submit(answers=answers_for(None), token="access", today=TODAY)
    visible = {
        username: applications_visible_to(demo.user(username)).filter(pk=application.pk).exists()
        for username in ("wn-csm", "wn-police", "wn-housing", "wn-health", "is-csm")
    }
    assert visible == {
        "wn-csm": True,
        "wn-police": True,
        "wn-housing": True,
        "wn-health": False,
        "is-csm": False,
    }


@pytest.mark.django_db
def test_someone_in_danger_is_flagged_on_the_timeline(areas):
    answers = answers_for(areas, in_danger="yes")
    application = online_application_submit(answers=answers, token="d", today=TODAY)
    event = CaseEvent.objects.get(application=application, kind="danger_reported")
    assert "immediate danger" in event.summary and event.occurred_on == TODAY
    calm = online_application_submit(answers=answers_for(areas), token="c", today=TODAY)
    assert not CaseEvent.objects.filter(application=calm, kind="danger_reported").exists()


@pytest.mark.django_db
def test_a_victim_applying_online_receives_the_acknowledgement_email(
    areas, smtp_sink, django_capture_on_commit_callbacks
):
    answers = answers_for(
        areas,
        contact={"preferred": "email", "email": "jo@example.com", "phone": ""},
        needs={"formats": [], "language": "", "other_needs": ""},
    )
    with django_capture_on_commit_callbacks(execute=True):
        application = online_application_submit(answers=answers, token="ack-email", today=TODAY)
    (email,) = smtp_sink.messages
    assert email["To"] == "jo@example.com"
    assert application.reference in email["Subject"]
    text = email.get_payload(decode=True).decode()
    assert f"Your reference is {application.reference}" in text
    assert "Music until 3am" not in text  # nothing of what they told us
    event = CaseEvent.objects.get(application=application, kind="notification_sent")
    assert event.data["purpose"] == "application_received" and event.data["channel"] == "email"
    assert "jo@example.com" not in event.summary


@pytest.mark.django_db
def test_a_third_party_applicant_is_acknowledged_not_the_victim(areas):
    answers = answers_for(
        areas,
        applicant_type="third_party",
        victim_kind="individual",
        relationship="councillor",
        relationship_other="",
        applicant={"full_name": "Cllr Ann Lee", "organisation": "", "email": "ann@example.org", "phone": ""},
        victim_consent="yes",
    )
    application = online_application_submit(answers=answers, token="ack-third", today=TODAY)
    (message,) = application.messages.all()
    assert message.to == "ann@example.org" and message.recipient_person == application.applicant


@pytest.mark.django_db
def test_a_way_the_victim_refused_is_never_used_it_becomes_a_task_saying_why(areas):
    answers = answers_for(
        areas,
        contact={"preferred": "letter", "email": "", "phone": "01604 000000", "mobile": ""},
        contact_safety={"refuse": ["post", "voicemail"], "safe_times": "After 6pm", "safety_notes": ""},
    )
    application = online_application_submit(answers=answers, token="refused", today=TODAY)
    assert application.victim.refused_contact == {"post", "voicemail"}
    (message,) = application.messages.all()
    assert message.channel == "phone" and message.status == "staff_task"
    assert "do not send letters by post" in message.staff_task_reason
    assert "After 6pm" in message.staff_task_reason
    assert "Do not leave a voicemail" in message.staff_task_reason


@pytest.mark.django_db
def test_someone_in_danger_alerts_the_managers_in_the_same_transaction(areas):
    from casereview.accounts.models import Partnership, Role, RoleGrant, User
    from casereview.notifications.models import Message, Notice

    wn = Partnership.objects.get(slug="west-northamptonshire")
    manager = User.objects.create_user(username="manager", email="csm@example.gov.uk", partnership=wn)
    RoleGrant.objects.create(user=manager, partnership=wn, role=Role.COMMUNITY_SAFETY_MANAGER)
    application = online_application_submit(
        answers=answers_for(areas, in_danger="yes"), token="d2", today=TODAY
    )
    (notice,) = Notice.objects.filter(case=application, text__contains="immediate danger")
    assert notice.recipient == manager
    (email,) = Message.objects.filter(case=application, purpose="danger_alert")
    assert email.to == "csm@example.gov.uk" and "Jo Bloggs" not in email.body
    calm = online_application_submit(answers=answers_for(areas), token="c2", today=TODAY)
    assert not Notice.objects.filter(case=calm, text__contains="immediate danger").exists()
