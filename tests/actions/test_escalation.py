"""The escalation ladder climbed by the sweep, with time moved forward on fixed dates.

West Northamptonshire (seed 004 §13): overdue -> the SPOC chases the owner; more than three weeks
-> the owner's line manager; more than two months -> the Head of Service (the Chief Executive
where the line manager is the Head of Service); more than three months -> the Chief Executive.

Demo line management (accounts.demo): wn-police -> wn-csm -> wn-hos -> wn-ceo.
"""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from casereview.actions.models import EscalationSent
from casereview.actions.services import action_complete, action_delay, action_escalate, escalations_due
from casereview.applications.models import CaseEvent
from casereview.notifications.models import Notice
from tests.actions.helpers import action_for, case_with_spoc

DUE = dt.date(2026, 3, 2)  # a Monday


def sweep(day: dt.date) -> str:
    out = io.StringIO()
    call_command("sweep", today=day.isoformat(), stdout=out)
    return out.getvalue()


def days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def notices_to(demo, username: str, action) -> int:
    return Notice.objects.filter(recipient=demo.user(username), url=f"/actions/{action.pk}/").count()


def emails_to(username: str) -> int:
    return sum(1 for message in mail.outbox if f"{username}@example.gov.uk" in message.to)


@pytest.mark.django_db
def test_an_overdue_action_climbs_the_whole_ladder_once_however_often_the_sweep_runs(demo):
    application = case_with_spoc(demo)
    action = action_for(application, demo.user("wn-police"), due_on=DUE)

    reached = {}
    for day in days(dt.date(2026, 3, 1), dt.date(2026, 7, 15)):
        for _ in range(2):  # the sweep runs every few minutes: twice a day is enough to prove it
            sweep(day)
        for row in EscalationSent.objects.filter(action=action):
            reached.setdefault(row.step, day)
    # And again, many times, on the last day and on a day long after.
    for _ in range(5):
        sweep(dt.date(2026, 7, 15))
        sweep(dt.date(2027, 1, 1))

    assert reached == {
        "chase_owner": dt.date(2026, 3, 3),  # overdue the day after it was due
        "line_manager": dt.date(2026, 3, 24),  # more than three weeks: 21 days after 2 March is 23 March
        "head_of_service": dt.date(2026, 5, 3),  # more than two months: after 2 May
        "chief_executive": dt.date(2026, 6, 3),  # more than three months: after 2 June
    }
    rows = list(EscalationSent.objects.filter(action=action).order_by("position"))
    assert [(r.position, r.step, r.recipient_role, r.reached_on) for r in rows] == [
        (1, "chase_owner", "action_owner", dt.date(2026, 3, 3)),
        (2, "line_manager", "line_manager", dt.date(2026, 3, 24)),
        (3, "head_of_service", "head_of_service", dt.date(2026, 5, 3)),
        (4, "chief_executive", "chief_executive", dt.date(2026, 6, 3)),
    ]
    assert [list(r.recipients.values_list("username", flat=True)) for r in rows] == [
        ["wn-police"],
        ["wn-csm"],
        ["wn-hos"],
        ["wn-ceo"],
    ]
    events = CaseEvent.objects.filter(application=application, kind="action_escalated").order_by("id")
    assert [(e.data["step"], e.occurred_on) for e in events] == [
        ("chase_owner", dt.date(2026, 3, 3)),
        ("line_manager", dt.date(2026, 3, 24)),
        ("head_of_service", dt.date(2026, 5, 3)),
        ("chief_executive", dt.date(2026, 6, 3)),
    ]
    # Each person told once, in the service and by email; the SPOC hears of every step.
    assert [notices_to(demo, u, action) for u in ("wn-police", "wn-csm", "wn-hos", "wn-ceo")] == [1, 1, 1, 1]
    assert notices_to(demo, "wn-spoc", action) == 4
    assert [emails_to(u) for u in ("wn-police", "wn-csm", "wn-hos", "wn-ceo")] == [1, 1, 1, 1]
    # Every message is on the case's timeline, without the action's text.
    sent_events = CaseEvent.objects.filter(
        application=application,
        kind="notification_sent",
        data__purpose__in=["action_overdue", "action_escalated"],
    )
    assert sent_events.count() == 8  # per step: the recipients, and the SPOC
    assert all("Visit the neighbour" not in e.summary for e in sent_events)


@pytest.mark.django_db
def test_where_the_line_manager_is_the_head_of_service_step_three_goes_to_the_chief_executive(demo):
    application = case_with_spoc(demo)
    # wn-csm's line manager is wn-hos, who holds the Head of Service role.
    action = action_for(application, demo.user("wn-csm"), due_on=DUE)

    for day in days(dt.date(2026, 3, 1), dt.date(2026, 6, 10)):
        sweep(day)

    rows = list(EscalationSent.objects.filter(action=action).order_by("position"))
    assert [(r.step, r.recipient_role) for r in rows] == [
        ("chase_owner", "action_owner"),
        ("line_manager", "line_manager"),
        ("head_of_service", "chief_executive"),  # the variant: not back to the Head of Service
        ("chief_executive", "chief_executive"),
    ]
    assert [list(r.recipients.values_list("username", flat=True)) for r in rows] == [
        ["wn-csm"],
        ["wn-hos"],
        ["wn-ceo"],
        ["wn-ceo"],
    ]
    assert notices_to(demo, "wn-hos", action) == 1  # as line manager only


@pytest.mark.django_db
def test_an_action_completed_before_a_step_stops_every_later_step(demo):
    application = case_with_spoc(demo)
    action = action_for(application, demo.user("wn-police"), due_on=DUE)
    for day in days(dt.date(2026, 3, 1), dt.date(2026, 3, 20)):
        sweep(day)
    assert list(EscalationSent.objects.filter(action=action).values_list("step", flat=True)) == [
        "chase_owner"
    ]

    action_complete(
        action=action,
        actor=demo.user("wn-police"),
        what_happened="Visited on 20 March; warning given.",
        completed_on=dt.date(2026, 3, 20),
        today=dt.date(2026, 3, 20),
    )
    for day in days(dt.date(2026, 3, 20), dt.date(2026, 7, 1)):
        sweep(day)

    assert list(EscalationSent.objects.filter(action=action).values_list("step", flat=True)) == [
        "chase_owner"
    ]
    assert notices_to(demo, "wn-csm", action) == 0
    assert escalations_due(today=dt.date(2026, 7, 1)) == []


@pytest.mark.django_db
def test_a_delayed_action_escalates_from_its_revised_date_and_never_repeats_a_step(demo):
    application = case_with_spoc(demo)
    action = action_for(application, demo.user("wn-police"), due_on=DUE)
    sweep(dt.date(2026, 3, 5))  # overdue: the owner is chased
    action_delay(
        action=action,
        actor=demo.user("wn-police"),
        reason="Waiting for the housing officer's visit.",
        revised_due_on=dt.date(2026, 4, 30),
        today=dt.date(2026, 3, 5),
    )
    for day in days(dt.date(2026, 3, 5), dt.date(2026, 5, 31)):
        sweep(day)

    rows = {r.step: r for r in EscalationSent.objects.filter(action=action)}
    assert set(rows) == {"chase_owner", "line_manager"}
    assert rows["chase_owner"].reached_on == dt.date(2026, 3, 5)  # not sent again on 1 May
    # More than three weeks after the revised date (30 April + 21 days = 21 May).
    assert rows["line_manager"].reached_on == dt.date(2026, 5, 22)
    assert rows["line_manager"].due_on == dt.date(2026, 4, 30)


@pytest.mark.django_db
def test_a_step_is_sent_once_even_when_two_sweeps_race_for_it(demo):
    application = case_with_spoc(demo)
    action = action_for(application, demo.user("wn-police"), due_on=DUE)
    [planned] = escalations_due(today=dt.date(2026, 3, 3))
    # Two sweeps planned the same step; both try to send it.
    first = action_escalate(action=planned.action, rung=planned.rung, today=dt.date(2026, 3, 3))
    second = action_escalate(action=planned.action, rung=planned.rung, today=dt.date(2026, 3, 3))
    assert first is not None and second is None
    assert EscalationSent.objects.filter(action=action).count() == 1
    assert CaseEvent.objects.filter(application=application, kind="action_escalated").count() == 1
    assert notices_to(demo, "wn-police", action) == 1


@pytest.mark.django_db
def test_a_dry_run_says_what_is_due_and_records_nothing(demo):
    application = case_with_spoc(demo)
    action_for(application, demo.user("wn-police"), due_on=DUE)
    out = io.StringIO()
    call_command("sweep", today="2026-05-10", dry_run=True, stdout=out)
    assert "step 3 head_of_service" in out.getvalue()  # only the highest rung that applies
    assert "chase_owner" not in out.getvalue()
    assert "1 escalation(s)" in out.getvalue()
    assert EscalationSent.objects.count() == 0
    assert Notice.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_first_sweep_long_after_the_due_date_sends_only_the_highest_rung_that_applies(demo):
    application = case_with_spoc(demo)
    action = action_for(application, demo.user("wn-police"), due_on=DUE)
    output = sweep(dt.date(2026, 5, 10))
    assert "1 escalation(s) sent" in output
    assert list(EscalationSent.objects.filter(action=action).values_list("step", flat=True)) == [
        "head_of_service"
    ]
    # Nobody lower down hears of it in a burst of out-of-date notices, now or at later sweeps.
    for day in days(dt.date(2026, 5, 10), dt.date(2026, 5, 20)):
        sweep(day)
    assert [notices_to(demo, u, action) for u in ("wn-police", "wn-csm", "wn-hos")] == [0, 0, 1]
    assert [emails_to(u) for u in ("wn-police", "wn-csm", "wn-hos")] == [0, 0, 1]
    # The next rung still comes on its own date, once.
    for day in days(dt.date(2026, 5, 21), dt.date(2026, 6, 10)):
        sweep(day)
    assert list(EscalationSent.objects.filter(action=action).values_list("step", "reached_on")) == [
        ("head_of_service", dt.date(2026, 5, 10)),
        ("chief_executive", dt.date(2026, 6, 3)),
    ]
    assert notices_to(demo, "wn-ceo", action) == 1


@pytest.mark.django_db
def test_the_rung_is_named_the_same_on_the_action_the_notices_the_emails_and_the_list(client, demo):
    application = case_with_spoc(demo)
    # wn-csm's line manager is the Head of Service: step 3 goes to the Chief Executive.
    action = action_for(application, demo.user("wn-csm"), due_on=DUE)
    for day in days(dt.date(2026, 3, 1), dt.date(2026, 6, 5)):
        sweep(day)
    title = "Step 4: the Chief Executive"
    step_three = "Step 3: the Chief Executive"
    ceo_notices = list(Notice.objects.filter(recipient=demo.user("wn-ceo"), url=f"/actions/{action.pk}/"))
    assert len(ceo_notices) == 2  # two different rungs, each once (seed 004 §13; actions/ladder.py)
    assert any(step_three in n.text for n in ceo_notices) and any(title in n.text for n in ceo_notices)
    manager_notices = Notice.objects.filter(recipient=demo.user("wn-spoc"), url=f"/actions/{action.pk}/")
    assert any(title in n.text for n in manager_notices)
    assert not any("step 2" in n.text.lower() and "Chief Executive" in n.text for n in manager_notices)
    ceo_mail = [m for m in mail.outbox if "wn-ceo@example.gov.uk" in m.to]
    assert any(title in m.subject for m in ceo_mail)
    client.force_login(demo.user("wn-spoc"))
    assert title in client.get(f"/actions/{action.pk}/").content.decode()
    overdue_list = client.get("/actions/?show=overdue").content.decode()
    assert title in overdue_list
    event = CaseEvent.objects.filter(application=application, kind="action_escalated").order_by("-id").first()
    assert title in event.summary


@pytest.mark.django_db
def test_no_line_manager_on_record_is_recorded_and_the_spoc_told(demo):
    application = case_with_spoc(demo)
    owner = demo.user("wn-housing")
    owner.line_manager = None
    owner.save(update_fields=["line_manager"])
    action = action_for(application, owner, due_on=DUE)
    sweep(dt.date(2026, 3, 30))
    step = EscalationSent.objects.get(action=action, step="line_manager")
    assert list(step.recipients.all()) == []
    event = CaseEvent.objects.get(application=application, kind="action_escalated", data__step="line_manager")
    assert "escalate by hand" in event.summary
    spoc_notice = Notice.objects.filter(recipient=demo.user("wn-spoc"), text__contains="escalate by hand")
    assert spoc_notice.count() == 1


def test_sweep_refuses_a_bad_date(unchanged_rows):
    from django.core.management.base import CommandError

    with unchanged_rows(), pytest.raises(CommandError, match="--today"):
        call_command("sweep", today="31/03/2026")


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_step_and_each_email_once(demo):
    """Four sweeps at the same moment, each on its own database connection (PostgreSQL: SQLite
    allows one writer at a time, so it cannot race)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    application = case_with_spoc(demo)
    action = action_for(application, demo.user("wn-police"), due_on=DUE)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait(timeout=30)
            call_command("sweep", today="2026-06-10", stdout=io.StringIO())
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
    # Months overdue at the first sweep: only the highest rung that applies, sent once by four racers.
    assert list(EscalationSent.objects.filter(action=action).values_list("step", flat=True)) == [
        "chief_executive"
    ]
    assert CaseEvent.objects.filter(application=application, kind="action_escalated").count() == 1
    assert [notices_to(demo, u, action) for u in ("wn-police", "wn-csm", "wn-hos", "wn-ceo")] == [0, 0, 0, 1]
    assert [emails_to(u) for u in ("wn-police", "wn-csm", "wn-hos", "wn-ceo")] == [0, 0, 0, 1]
