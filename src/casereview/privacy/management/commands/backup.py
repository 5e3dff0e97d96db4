"""`casereview backup FILE`: the database and its letter and evidence files, in one archive,
encrypted with CASEREVIEW_BACKUP_KEY (privacy/backup.py; docs/operations.md).

casereview backup /srv/backups/casereview-$(date +%F).cbk
casereview backup --no-encryption FILE   # only where the archive is encrypted some other way
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casereview.privacy.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the letter and evidence files together, into one (encrypted) archive."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the archive (a new file).")
        parser.add_argument(
            "--no-encryption",
            action="store_true",
            help="Write it unencrypted although no CASEREVIEW_BACKUP_KEY is set.",
        )
        parser.add_argument("--force", action="store_true", help="Overwrite the file if it exists.")

    def handle(self, *args, file, no_encryption=False, force=False, **options):
        path = Path(file)
        if path.exists() and not force:
            raise CommandError(f"{path} already exists: choose a new file name (or --force).", returncode=2)
        try:
            result = backup_create(
                path=path, keys=settings.CASEREVIEW_BACKUP_KEYS, allow_unencrypted=no_encryption
            )
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        records = sum(result.counts.values())
        self.stdout.write(
            f"Backed up {records} records and {result.files} files, as they were at {result.taken_at}, "
            f"to {result.path} ({'encrypted' if result.encrypted else 'NOT encrypted'})."
        )
        if result.missing:
            self.stderr.write(
                f"{len(result.missing)} file(s) the database refers to were not found and are not in the "
                "archive: " + ", ".join(result.missing[:10])
            )
