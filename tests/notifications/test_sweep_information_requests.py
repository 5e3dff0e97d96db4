"""The sweep reminds each agency of its information request (reviews.information_request_remind):
three days before the response is due, then once a week while it is open, each reminder once
however often the sweep runs, and once when sweeps race."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from casereview.applications.models import CaseEvent, Status
from casereview.applications.services import application_set_status
from casereview.notifications.models import ReminderSent
from casereview.reviews import services as review_services
from casereview.reviews.models import InformationRequest, LawfulBasis
from casereview.reviews.reminders import (
    information_request_reminder_send,
    information_request_reminders_due,
)
from tests.reviews.helpers import in_review_application

MAILBOX = "asb@police.example.gov.uk"
REQUESTED_ON = dt.date(2025, 5, 1)
DUE_ON = dt.date(2025, 5, 16)  # a Friday


def sweep(day: dt.date) -> str:
    out = io.StringIO()
    call_command("sweep", today=day.isoformat(), stdout=out)
    return out.getvalue()


def days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def request_to_police(demo) -> InformationRequest:
    application = in_review_application(demo)
    police = demo.agency("west-northamptonshire", "police")
    police.email = MAILBOX
    police.save()
    (request,) = review_services.information_requests_send(
        application=application,
        agencies=[police],
        requested_on=REQUESTED_ON,
        due_on=DUE_ON,
        actor=demo.user("wn-spoc"),
    )
    return request


def reminders_to_mailbox() -> list:
    return [m for m in mail.outbox if m.to == [MAILBOX] and "information requested" not in m.subject]


def reminded_events(request) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(
            application=request.application, kind="information_request_reminded"
        ).order_by("occurred_on", "id")
    )


@pytest.mark.django_db
def test_each_agency_reminder_goes_once_however_often_the_sweep_runs(demo):
    request = request_to_police(demo)
    for day in days(REQUESTED_ON, dt.date(2025, 6, 15)):
        for _ in range(2):  # the sweep runs every few minutes: twice a day proves it
            sweep(day)
    for _ in range(3):
        sweep(dt.date(2025, 6, 15))

    expected = [
        dt.date(2025, 5, 13),
        dt.date(2025, 5, 20),
        dt.date(2025, 5, 27),
        dt.date(2025, 6, 3),
        dt.date(2025, 6, 10),
    ]
    events = reminded_events(request)
    assert [e.occurred_on for e in events] == expected
    assert [e.data["overdue"] for e in events] == [False, True, True, True, True]
    request.refresh_from_db()
    assert request.reminders_sent == 5 and request.last_reminded_on == dt.date(2025, 6, 10)
    assert sorted(
        ReminderSent.objects.filter(purpose="information_request_reminder").values_list("key", flat=True)
    ) == [f"info_request:{request.pk}:2025-05-16:{n}" for n in range(1, 6)]
    emails = reminders_to_mailbox()
    assert len(emails) == 5
    assert "due soon" in emails[0].subject and "overdue" in emails[1].subject
    victim = request.application.victim
    assert all(victim.full_name not in m.body and request.application.reference in m.body for m in emails)


@pytest.mark.django_db
def test_an_answered_request_or_a_withdrawn_case_gets_no_more_reminders(demo):
    request = request_to_police(demo)
    sweep(dt.date(2025, 5, 13))
    assert len(reminded_events(request)) == 1
    review_services.information_request_respond(
        request=request,
        actor=demo.user("wn-police"),
        reports_received="Three calls.",
        actions_taken="Words of advice.",
        current_involvement="Neighbourhood team aware.",
        lawful_basis=LawfulBasis.CDA_1998_S115,
        responded_on=dt.date(2025, 5, 14),
    )
    sweep(dt.date(2025, 5, 20))
    assert len(reminded_events(request)) == 1

    other = request_to_police(demo)
    application_set_status(
        application=other.application, to=Status.WITHDRAWN, actor=demo.user("wn-csm"), summary="Withdrawn."
    )
    sweep(dt.date(2025, 5, 20))
    assert reminded_events(other) == []


@pytest.mark.django_db
def test_two_sweeps_that_planned_the_same_reminder_send_it_once(demo):
    request = request_to_police(demo)
    today = dt.date(2025, 5, 14)
    [planned_by_first] = information_request_reminders_due(today=today)
    [planned_by_second] = information_request_reminders_due(today=today)
    assert information_request_reminder_send(request=planned_by_first, today=today) is True
    assert information_request_reminder_send(request=planned_by_second, today=today) is False
    assert len(reminded_events(request)) == 1
    assert ReminderSent.objects.filter(purpose="information_request_reminder").count() == 1


@pytest.mark.django_db
def test_a_dry_run_lists_the_agency_reminder_and_sends_nothing(demo):
    request = request_to_police(demo)
    out = io.StringIO()
    call_command("sweep", today="2025-05-20", dry_run=True, stdout=out)
    assert f"would remind agency: {request.application.reference} {request.agency.name}" in out.getvalue()
    assert "1 agency reminder(s)" in out.getvalue() and "due." in out.getvalue()
    assert reminded_events(request) == [] and reminders_to_mailbox() == []
    assert "1 agency reminder(s) sent" in sweep(dt.date(2025, 5, 20))


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_remind_the_agency_once(demo):
    """Four sweeps at the same moment, each on its own connection (PostgreSQL only: SQLite allows
    one writer at a time, so it cannot race)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    request = request_to_police(demo)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait(timeout=30)
            call_command("sweep", today="2025-05-20", stdout=io.StringIO())
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(reminded_events(request)) == 1
    assert ReminderSent.objects.filter(purpose="information_request_reminder").count() == 1
    assert len(reminders_to_mailbox()) == 1


@pytest.mark.django_db
def test_an_agency_with_no_email_address_is_never_recorded_as_reminded_but_becomes_a_staff_task(demo, client):
    request = request_to_police(demo)
    police = request.agency
    police.email = ""
    police.save()
    sweep(dt.date(2025, 5, 13))
    sweep(dt.date(2025, 5, 13))
    assert reminded_events(request) == []  # nothing went, so nobody was "reminded"
    assert reminders_to_mailbox() == []
    (task_event,) = CaseEvent.objects.filter(
        application=request.application, kind="information_request_reminder_task"
    )
    assert "no email address" in task_event.summary
    from casereview.notifications.models import Message, MessageStatus

    (task,) = Message.objects.filter(case=request.application, status=MessageStatus.STAFF_TASK)
    assert task.to == "" and "has no email address recorded" in task.staff_task_reason
    # The SPOC sees it as a task to do, and is told.
    spoc = demo.user("wn-spoc")
    client.force_login(spoc)
    assert f"/notices/tasks/{task.pk}/" in client.get("/notices/tasks/").content.decode()
    assert spoc.notices.filter(url=f"/notices/tasks/{task.pk}/").exists()
