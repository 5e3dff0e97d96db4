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

from casereview.notifications.models import Message, MessageStatus
from casereview.notifications.services import messages_deliver
from casereview.notifications.sweep import sweep_steps


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
        steps = sweep_steps()
        if options["dry_run"]:
            self.stdout.write(f"Sweep for {today:%Y-%m-%d} (dry run: nothing sent or recorded)")
            counts = []
            for step in steps:
                planned = step.due(today=today)
                for one in planned:
                    self.stdout.write(f"  {step.describe(one)}")
                counts.append(f"{len(planned)} {step.name}(s)")
            self.stdout.write(f"{_listed(counts)} due.")
            return
        started = timezone.now()
        sent = {step.name: step.send(today=today) for step in steps}
        delivered = messages_deliver()
        # Messages queued by this sweep are usually delivered as each transaction commits, before
        # the outbox pass above; count everything this run got out of the door.
        skipped = sum(counts["skipped"] for counts in sent.values())
        delivered["sent"] = Message.objects.filter(status=MessageStatus.SENT, sent_at__gte=started).count()
        self.stdout.write(
            f"Sweep for {today:%Y-%m-%d}: "
            + "".join(f"{counts['sent']} {name}(s) sent, " for name, counts in sent.items())
            + f"{delivered['sent']} message(s) delivered"
            + (f", {delivered['failed']} failed" if delivered["failed"] else "")
            + (f", {delivered['retry']} to retry" if delivered["retry"] else "")
            + (f", {skipped} already sent by another sweep" if skipped else "")
            + "."
        )


def _listed(parts: list[str]) -> str:
    """Joined as in "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
