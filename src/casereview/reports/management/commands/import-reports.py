"""`casereview import-reports [--partnership ID] --format police-uk|reports FILE...` (contracts §6).

Prints one JSON object: {"read", "imported", "duplicates", "skipped", "skipped_reasons"}."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casereview.reports.imports import FORMATS, reports_import

from ._common import partnership_from_option


class Command(BaseCommand):
    help = "Import ASB reports from data.police.uk street-level CSVs or the partner CSV (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="the partnership's ID (default: the only one)")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, partnership=None, fmt, files, **options):
        missing = [name for name in files if not Path(name).is_file()]
        if missing:
            raise CommandError(f"FILE: no such file: {missing[0]}")
        result = reports_import(partnership=partnership_from_option(partnership), fmt=fmt, paths=files)
        self.stdout.write(json.dumps(result.as_dict()))
