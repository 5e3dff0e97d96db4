"""`casereview orphan-files`: find and remove stored letter and evidence files that no record
refers to (privacy/stored_files.py).

casereview orphan-files --dry-run      # list them; change nothing
casereview orphan-files --confirm      # delete them
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casereview.privacy import stored_files


class Command(BaseCommand):
    help = "List (--dry-run) or delete (--confirm) stored files that no letter or evidence record refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them; change nothing.")
        parser.add_argument("--confirm", action="store_true", help="Delete them.")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(stored_files.GRACE.total_seconds() // 60),
            help="Leave files younger than this alone (their transaction may still be open). Default 60.",
        )

    def handle(self, *args, dry_run=False, confirm=False, grace_minutes=60, **options):
        if dry_run == confirm:
            raise CommandError("Say --dry-run to list the files, or --confirm to delete them.")
        if grace_minutes < 0:
            raise CommandError("--grace-minutes must be 0 or more.")
        found = stored_files.orphan_files(now=timezone.now(), grace=timezone.timedelta(minutes=grace_minutes))
        for path in found:
            self.stdout.write(f"  {'DELETE' if confirm else 'would delete'}  {path}")
        if dry_run:
            self.stdout.write(f"{len(found)} stored file(s) that no record refers to. Nothing was changed.")
            return
        deleted = stored_files.orphan_files_delete(found, actor_name="casereview orphan-files --confirm")
        self.stdout.write(f"{deleted} stored file(s) that no record refers to deleted.")
