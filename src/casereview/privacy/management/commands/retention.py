"""`casereview retention`: apply the retention schedule (docs/data-protection.md).

casereview retention --dry-run                 # lists what would go and why; changes nothing
casereview retention --confirm                 # deletes what is due (legal holds are kept)
casereview retention --as-of 2031-04-01 --partnership islington --dry-run
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casereview.accounts.models import Partnership
from casereview.privacy import retention


class Command(BaseCommand):
    help = "List (--dry-run) or delete (--confirm) the records whose retention period has ended."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go and why; change nothing."
        )
        parser.add_argument("--confirm", action="store_true", help="Really delete what is due.")
        parser.add_argument("--as-of", help="The date to apply the schedule on (default today), YYYY-MM-DD.")
        parser.add_argument("--partnership", help="Only this partnership's records (its ID).")

    def handle(self, *args, dry_run=False, confirm=False, as_of=None, partnership=None, **options):
        if dry_run == confirm:
            raise CommandError("Say --dry-run to list what would go, or --confirm to delete it.")
        try:
            today = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date like 2031-04-01, not {as_of!r}") from exc
        scope = None
        if partnership:
            scope = Partnership.objects.filter(slug=partnership).first()
            if scope is None:
                raise CommandError(f"No partnership with the ID {partnership!r}")
        if dry_run:
            due = retention.plan(today=today, partnership=scope)
            self.stdout.write(
                f"Retention dry run as of {today:%-d %B %Y}: {len(due)} case(s) due, of every kind."
            )
            for row in due:
                action = "KEEP (legal hold)" if row.held else "KEEP" if row.kept else "DELETE"
                reason = f"{row.reason} — but kept: {row.kept}" if row.kept and not row.held else row.reason
                self.stdout.write(
                    f"  {action:<18} {row.application.reference:<14} {row.kind_words}: {reason}"
                )
            requests = retention.requests_due(today=today, partnership=scope)
            if requests:
                self.stdout.write(f"{len(requests)} data subject request record(s) due:")
                for request in requests:
                    self.stdout.write(
                        f"  DELETE             DSR-{request.pk:<10} "
                        f"answered on {request.completed_on:%-d %B %Y}"
                    )
            log_due = retention.log_plan(today=today, partnership=scope)
            if log_due:
                self.stdout.write("The ASB report log:")
                for row in log_due:
                    self.stdout.write(f"  DELETE {row.due:>10,} {row.partnership.slug}: {row.reason}")
            for line in retention.registered_plans(today=today, partnership=scope):
                self.stdout.write(f"  DELETE {line}")
            bodies = retention.message_bodies_due(today=today, partnership=scope).count()
            if bodies:
                self.stdout.write(f"  DELETE {bodies:,} sent message text(s) and address(es) (the outbox)")
            self.stdout.write("Nothing was changed. Run with --confirm to delete.")
            return
        results = retention.run(today=today, partnership=scope, actor_name="casereview retention --confirm")
        for row, outcome in results:
            self.stdout.write(f"  {row.application.reference:<14} {row.kind_words}: {outcome}")
        deleted = sum(1 for _, outcome in results if outcome == "deleted")
        requests = retention.requests_dispose(today=today, partnership=scope)
        log_deleted = 0
        for row, count in retention.log_dispose(
            today=today, partnership=scope, actor_name="casereview retention --confirm"
        ):
            self.stdout.write(f"  {row.partnership.slug}: {count:,} {row.reason}")
            log_deleted += count
        for line in retention.registered_dispose(
            today=today, partnership=scope, actor_name="casereview retention --confirm"
        ):
            self.stdout.write(f"  {line}")
        bodies = retention.message_bodies_delete(today=today, partnership=scope)
        self.stdout.write(
            f"{deleted} case(s), {requests} data subject request record(s) and {log_deleted:,} "
            f"report-log record(s) deleted as of {today:%-d %B %Y}; the text of {bodies:,} sent "
            "message(s) deleted."
        )
