"""`casereview hotspots --as-of DATE [--partnership ID] [--format json]` (contracts §7)."""

import json

from django.core.management.base import BaseCommand

from casereview.reports.selectors import hotspots_as_of

from ._common import as_of_date, partnership_from_option


class Command(BaseCommand):
    help = "List the hotspots of the local policy as of a date, largest first."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, dest="as_of")
        parser.add_argument("--partnership")
        parser.add_argument(
            "--format",
            choices=("json", "text"),
            default="json",
            dest="fmt",
            help="json (the default, contracts §7) or text: a table for reading.",
        )

    def handle(self, *args, as_of, partnership=None, fmt="json", **options):
        day = as_of_date(as_of)
        found = hotspots_as_of(partnership_from_option(partnership), day)
        if fmt == "json":
            self.stdout.write(json.dumps(found))
            return
        if not found:
            self.stdout.write(f"No hotspots as of {day:%-d %B %Y}.")
        for item in found:
            self.stdout.write(f"{item['reports']:>6}  {item['location']}")
