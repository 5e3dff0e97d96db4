"""Reminders to agencies about their information requests, sent by `casereview sweep`.

The agency_response clock tells the SPOC (notifications/reminders.py); these remind the agency
itself, through this app's selector (which requests, how often) and service (the email and the case
event), keyed in the notifications' `ReminderSent` so each goes once. Registered with the sweep in
apps.py (ADR 0037).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from casereview.core.case_kinds import REVIEW_KIND
from casereview.notifications.reminders import reminder_claim

from .selectors import information_requests_due_for_reminder
from .services import information_request_remind


def information_request_reminders_due(*, today: dt.date) -> list:
    """Open requests on live cases that are due a reminder to their agency on `today`."""
    return list(
        information_requests_due_for_reminder(today=today).filter(
            application__status__in=REVIEW_KIND.open_statuses
        )
    )


def information_request_reminder_send(*, request, today: dt.date) -> bool:
    """Remind one agency, once. Like the escalation ladder: the request row is locked and re-read
    (an agency answering, or another sweep reminding, at the same moment either wins or waits),
    and a `ReminderSent` keyed on the request, its due date and the reminder's number is inserted
    first, so of two sweeps that planned the same reminder one sends it and the other gets
    IntegrityError and sends nothing. Returns False when there was nothing to send."""
    with transaction.atomic():
        current = (
            information_requests_due_for_reminder(today=today)
            .filter(pk=request.pk, application__status__in=REVIEW_KIND.open_statuses)
            .select_for_update(of=("self",))
            .first()
        )
        if current is None:
            return False
        key = f"info_request:{current.pk}:{current.due_on.isoformat()}:{current.reminders_sent + 1}"
        if not reminder_claim(
            key=key, case=current.application, purpose="information_request_reminder", today=today
        ):
            return False
        information_request_remind(request=current, today=today)
    return True


def information_request_reminders_send(*, today: dt.date) -> dict[str, int]:
    counts = {"sent": 0, "skipped": 0}
    for request in information_request_reminders_due(today=today):
        counts["sent" if information_request_reminder_send(request=request, today=today) else "skipped"] += 1
    return counts
