"""Reminders for the statutory clocks: one on the day a step falls due, one when it is missed."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from casereview.applications.models import CaseEvent
from casereview.notifications.models import Notice, ReminderSent
from tests.factories import make_application

pytest.importorskip(
    "casereview.applications.clocks", reason="the clocks selector (applications) is not merged"
)


def sweep(day):
    out = io.StringIO()
    call_command("sweep", today=day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_acknowledgement_clock_reminds_once_when_due_and_once_when_overdue(demo):
    # Received Monday 2 March 2026: acknowledge within 5 working days -> due Monday 9 March.
    application = make_application(demo.partnership(), received_on=dt.date(2026, 3, 2))
    csm = demo.user("wn-csm")  # no SPOC yet: the community safety managers are told

    for day in (dt.date(2026, 3, 5), dt.date(2026, 3, 8)):
        sweep(day)
    assert ReminderSent.objects.count() == 0

    for _ in range(3):
        sweep(dt.date(2026, 3, 9))
    due = ReminderSent.objects.get()
    assert due.key == f"clock:{application.pk}:acknowledge::2026-03-09:due_today"
    [notice] = Notice.objects.filter(recipient=csm)
    assert "is due today" in notice.text and application.reference in notice.text
    assert "Jo Bloggs" not in notice.text

    for day in (dt.date(2026, 3, 10), dt.date(2026, 3, 11), dt.date(2026, 4, 1)):
        sweep(day)
        sweep(day)
    keys = sorted(ReminderSent.objects.values_list("key", flat=True))
    assert keys == [
        f"clock:{application.pk}:acknowledge::2026-03-09:due_today",
        f"clock:{application.pk}:acknowledge::2026-03-09:overdue",
    ]
    assert Notice.objects.filter(recipient=csm).count() == 2
    assert sum(1 for m in mail.outbox if "wn-csm@example.gov.uk" in m.to) == 2
    events = CaseEvent.objects.filter(application=application, kind="notification_sent")
    assert [e.data["purpose"] for e in events] == ["clock_due", "clock_overdue"]


@pytest.mark.django_db
def test_a_dry_run_lists_reminders_without_sending(demo):
    make_application(demo.partnership(), received_on=dt.date(2026, 3, 2))
    out = io.StringIO()
    call_command("sweep", today="2026-03-10", dry_run=True, stdout=out)
    assert "Acknowledge the application (clock_overdue)" in out.getvalue()
    assert ReminderSent.objects.count() == 0 and Notice.objects.count() == 0


@pytest.mark.django_db
def test_a_letter_still_owed_on_a_withdrawn_case_is_reminded_but_old_history_is_not(demo):
    from casereview.applications.models import Status
    from casereview.applications.services import application_set_status, case_event_record

    recent = make_application(demo.partnership(), received_on=dt.date(2026, 3, 2))
    application_set_status(
        application=recent,
        to=Status.WITHDRAWN,
        actor=None,
        summary="Withdrawn",
        occurred_on=dt.date(2026, 3, 3),
    )
    # The victim could not be reached: the closure letter is due 10 working days later (17 March).
    case_event_record(
        application=recent, kind="victim_unreachable", summary="Unreachable", occurred_on=dt.date(2026, 3, 3)
    )
    sweep(dt.date(2026, 3, 18))
    keys = set(ReminderSent.objects.filter(case=recent).values_list("key", flat=True))
    assert f"clock:{recent.pk}:unreachable_letter::2026-03-17:overdue" in keys

    old = make_application(demo.partnership(), received_on=dt.date(2025, 1, 6))
    application_set_status(
        application=old, to=Status.WITHDRAWN, actor=None, summary="Withdrawn", occurred_on=dt.date(2025, 1, 7)
    )
    case_event_record(
        application=old, kind="victim_unreachable", summary="Unreachable", occurred_on=dt.date(2025, 1, 7)
    )
    sweep(dt.date(2026, 3, 18))
    assert not ReminderSent.objects.filter(case=old).exists()


def _core_answer(today: dt.date) -> set[tuple[str, str]]:
    """What the sweep owes on ``today`` by the core: every case's clocks computed from its events."""
    from casereview.applications import clocks
    from casereview.applications.models import OPEN_STATUSES, Application
    from casereview.notifications.reminders import CLOSED_CASE_LOOKBACK

    owed = set()
    for application in Application.objects.select_related("partnership").order_by("id"):
        for clock in clocks.application_clocks(application, today=today):
            if clock.state not in (clocks.DUE_TODAY, clocks.OVERDUE):
                continue
            if application.status not in OPEN_STATUSES and clock.due_on < today - CLOSED_CASE_LOOKBACK:
                continue
            kind = "due_today" if clock.state == clocks.DUE_TODAY else "overdue"
            owed.add(
                (f"clock:{application.pk}:{clock.name}:{clock.request}:{clock.due_on}:{kind}", clock.label)
            )
    return owed


@pytest.mark.django_db
def test_the_sweep_reads_the_stored_clocks_and_owes_what_the_core_computes(demo):
    """The sweep reads the stored clocks (one indexed query, whatever the number of cases); its set
    of due and overdue clocks is the core's, computed from every case's events, on every day tried:
    the demo's cases in every state, a withdrawn case with a letter still owed, an old one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from casereview.applications.models import Status
    from casereview.applications.services import application_set_status, case_event_record
    from casereview.notifications.reminders import reminders_due

    call_command("demo", stdout=io.StringIO())
    for received, gone in (
        (dt.date(2026, 3, 2), dt.date(2026, 3, 3)),
        (dt.date(2025, 1, 6), dt.date(2025, 1, 7)),
    ):
        case = make_application(demo.partnership(), received_on=received)
        application_set_status(
            application=case, to=Status.WITHDRAWN, actor=None, summary="Withdrawn", occurred_on=gone
        )
        case_event_record(
            application=case, kind="victim_unreachable", summary="Unreachable", occurred_on=gone
        )
    today = timezone.localdate()
    days = [today + dt.timedelta(days=n) for n in (-30, -5, 0, 1, 7, 20, 45, 120)]
    days += [dt.date(2026, 3, 17), dt.date(2026, 3, 18), dt.date(2025, 2, 1)]
    owed_somewhere = False
    for day in days:
        with CaptureQueriesContext(connection) as captured:
            planned = reminders_due(today=day)
        assert {(p.key, p.label) for p in planned} == _core_answer(day), day
        owed_somewhere |= bool(planned)
        sql = [q["sql"] for q in captured.captured_queries]
        assert len(sql) <= 3, sql  # the clocks (with their cases), agency names, the sent keys
        assert not any('"applications_caseevent"' in q for q in sql)
    assert owed_somewhere
