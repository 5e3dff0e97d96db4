"""`casereview restore FILE`: an archive made by `casereview backup`, into an empty database and
files directory; then the deletion log is replayed, so erasures and retention deletions made since
the backup are made again (privacy/backup.py, privacy/deletion_log.py; docs/operations.md).

casereview restore /srv/backups/casereview-2026-12-06.cbk
casereview restore FILE --deletion-log /srv/casereview/deletion-log.jsonl
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casereview.privacy.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and files directory, then re-apply later deletions."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive `casereview backup` wrote.")
        parser.add_argument(
            "--deletion-log",
            help="The deletion log to replay (default CASEREVIEW_DELETION_LOG).",
        )

    def handle(self, *args, file, deletion_log=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(
                f"{path} is not a file: give the archive `casereview backup` wrote.", returncode=2
            )
        log = Path(deletion_log) if deletion_log else Path(settings.CASEREVIEW_DELETION_LOG)
        if deletion_log and not log.is_file():
            raise CommandError(f"--deletion-log {log} is not a file.", returncode=2)
        try:
            result = backup_restore(path=path, keys=settings.CASEREVIEW_BACKUP_KEYS, deletion_log=log)
        except (BackupError, ValueError) as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            f"Restored {sum(result.counts.values())} records and {result.files} files, as they were at "
            f"{result.taken_at}. Deletions made since, re-applied from {log}: {result.reapplied} record(s)."
        )
        if result.missing:
            self.stderr.write(
                f"{len(result.missing)} file(s) were already missing when the backup was taken; their "
                "download pages say so."
            )
