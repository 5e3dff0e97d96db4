"""`casereview sweep [--today DATE] [--dry-run]`: send everything that has fallen due.

Safe to run every few minutes (docs/notifications.md shows a cron line and a systemd timer): each
escalation step, each clock reminder and each reminder to an agency about its information request
is keyed in the database and sent at most once, however often the
sweep runs and even when two run at once. It then delivers any queued messages (and retries ones
that failed before).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casereview.actions.services import actions_escalate, escalations_due
from casereview.notifications.models import Message, MessageStatus
from casereview.notifications.reminders import (
    information_request_reminders_due,
    information_request_reminders_send,
    reminders_due,
    reminders_send,
)
from casereview.notifications.services import messages_deliver


class Command(BaseCommand):
    help = "Send the escalations and reminders that have fallen due, each once; deliver queued messages."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD). Default: today.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send and record nothing."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today: {options['today']!r} is not a date such as 2026-03-31"
                ) from None
        if options["dry_run"]:
            escalations = escalations_due(today=today)
            reminders = reminders_due(today=today)
            agency_reminders = information_request_reminders_due(today=today)
            self.stdout.write(f"Sweep for {today:%Y-%m-%d} (dry run: nothing sent or recorded)")
            for planned in escalations:
                action = planned.action
                self.stdout.write(
                    f"  would escalate action {action.pk} on {action.application.reference}: "
                    f"step {planned.rung.position} {planned.rung.name} -> {planned.rung.recipient}"
                )
            for planned in reminders:
                self.stdout.write(
                    f"  would remind: {planned.application.reference} {planned.label} ({planned.purpose})"
                )
            for request in agency_reminders:
                self.stdout.write(
                    f"  would remind agency: {request.application.reference} {request.agency.name} "
                    f"(response due {request.due_on:%Y-%m-%d})"
                )
            self.stdout.write(
                f"{len(escalations)} escalation(s), {len(reminders)} reminder(s) and "
                f"{len(agency_reminders)} agency reminder(s) due."
            )
            return
        started = timezone.now()
        escalated = actions_escalate(today=today)
        reminded = reminders_send(today=today)
        agencies_reminded = information_request_reminders_send(today=today)
        delivered = messages_deliver()
        # Messages queued by this sweep are usually delivered as each transaction commits, before
        # the outbox pass above; count everything this run got out of the door.
        skipped = escalated["skipped"] + reminded["skipped"] + agencies_reminded["skipped"]
        delivered["sent"] = Message.objects.filter(status=MessageStatus.SENT, sent_at__gte=started).count()
        self.stdout.write(
            f"Sweep for {today:%Y-%m-%d}: {escalated['sent']} escalation(s) sent, "
            f"{reminded['sent']} reminder(s) sent, "
            f"{agencies_reminded['sent']} agency reminder(s) sent, "
            f"{delivered['sent']} message(s) delivered"
            + (f", {delivered['failed']} failed" if delivered["failed"] else "")
            + (f", {delivered['retry']} to retry" if delivered["retry"] else "")
            + (f", {skipped} already sent by another sweep" if skipped else "")
            + "."
        )
