"""Reminders for the statutory clocks: one when a step falls due today, one when it is missed.

The clocks themselves are computed by `casereview.applications.clocks` from the local policy and
the case's timeline and stored with the case (CaseClock, ADR 0019); the sweep reads the stored
clocks that are due or overdue by their index, and this module only decides which reminders
are owed and sends each once. The
`ReminderSent` key names the case, the clock (and, for per-request clocks, the request), its due
date and the kind of day, so a clock that restarts (a case accepted again after an appeal) with a
new due date gets fresh reminders, and nothing else ever repeats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from casereview.applications import clocks
from casereview.applications.selectors import Application, clocks_due_or_overdue

from .models import ReminderSent
from .services import case_contacts, staff_notify

#: How far back a missed clock on a case that is no longer open is still worth a reminder.
CLOSED_CASE_LOOKBACK = dt.timedelta(days=90)


@dataclass(frozen=True)
class PlannedReminder:
    case: Application
    key: str
    purpose: str  # clock_due | clock_overdue
    label: str
    due_on: dt.date


def reminder_claim(*, key: str, case: Application, purpose: str, today: dt.date) -> bool:
    """Insert the reminder's key, in the caller's transaction; False if it is already there (sent
    before, or by another sweep at the same moment: the unique key decides, not a read). The
    reviews app keys its reminders to agencies here too (reviews/reminders.py)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                key=key, case=case, purpose=purpose, sent_on=today, created_at=timezone.now()
            )
    except IntegrityError:
        return False
    return True


def reminders_due(*, today: dt.date) -> list[PlannedReminder]:
    """Every clock reminder owed on `today` across all open cases, not yet sent."""
    # Closed, withdrawn and declined cases are included: a letter is still owed after a case
    # closes (the clocks module decides which clocks are still relevant in each status, and the
    # stored clocks keep only those). For a case no longer open, a clock missed long ago is
    # history, not a reminder. The stored clocks (CaseClock) are read by their index on the due
    # date, not computed from every case's events (ADR 0019; tests/notifications/test_sweep.py
    # holds this set equal to the core's).
    planned = []
    for application, clock in clocks_due_or_overdue(today=today, closed_since=today - CLOSED_CASE_LOOKBACK):
        kind = "due_today" if clock.state == clocks.DUE_TODAY else "overdue"
        key = f"clock:{application.pk}:{clock.name}:{clock.request}:{clock.due_on.isoformat()}:{kind}"
        planned.append(
            PlannedReminder(
                case=application,
                key=key,
                purpose="clock_due" if kind == "due_today" else "clock_overdue",
                label=clock.label,
                due_on=clock.due_on,
            )
        )
    already = set(ReminderSent.objects.filter(key__in=[p.key for p in planned]).values_list("key", flat=True))
    return [p for p in planned if p.key not in already]


def reminder_send(*, planned: PlannedReminder, today: dt.date) -> bool:
    """Send one reminder to the people looking after the case, once (insert-first on the key)."""
    case = planned.case
    with transaction.atomic():
        if not reminder_claim(key=planned.key, case=case, purpose=planned.purpose, today=today):
            return False
        when = f"{planned.due_on:%-d %B %Y}"
        if planned.purpose == "clock_due":
            text = f"{case.reference}: “{planned.label}” is due today ({when})."
        else:
            text = f"{case.reference}: “{planned.label}” was due on {when} and is overdue."
        staff_notify(
            recipients=case_contacts(case),
            purpose=planned.purpose,
            text=text,
            url=f"/cases/{case.reference}/",
            case=case,
            email_subject=f"ASB Case Review {case.reference}: {planned.label.lower()} "
            + ("due today" if planned.purpose == "clock_due" else "overdue"),
            email_body=text + "\n\nSign in to the ASB Case Review service to see the case.\n",
            occurred_on=today,
        )
    return True


def reminders_send(*, today: dt.date) -> dict[str, int]:
    counts = {"sent": 0, "skipped": 0}
    for planned in reminders_due(today=today):
        counts["sent" if reminder_send(planned=planned, today=today) else "skipped"] += 1
    return counts
