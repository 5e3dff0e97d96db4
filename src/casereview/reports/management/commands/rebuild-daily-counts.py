"""`casereview rebuild-daily-counts [--partnership ID] [--check]`: repair the hotspot daily counts.

Every write that adds or moves a report keeps `ReportDailyCount` in step in its own transaction;
this is for repair after something wrote to `reports_report` around the services (a manual SQL fix,
a restore of one table). Without --partnership it rebuilds every partnership's counts.
"""

from django.core.management.base import BaseCommand, CommandError

from casereview.reports.selectors import daily_counts_differences
from casereview.reports.services import daily_counts_rebuild

from ._common import partnership_from_option


class Command(BaseCommand):
    help = "Rebuild the daily report counts that hotspots read, from the reports (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="only this partnership (default: all)")
        parser.add_argument(
            "--check", action="store_true", help="only say whether they are in step (exit 1 if not)"
        )

    def handle(self, *args, partnership=None, check=False, **options):
        chosen = partnership_from_option(partnership) if partnership else None
        scope = f"partnership {chosen.slug}" if chosen else "all partnerships"
        differences = daily_counts_differences(partnership=chosen)
        if check:
            if differences:
                raise CommandError(
                    f"{differences} daily count(s) out of step with the reports ({scope}): "
                    "run `casereview rebuild-daily-counts` to repair them."
                )
            self.stdout.write(f"The daily counts are in step with the reports ({scope}).")
            return
        rows = daily_counts_rebuild(partnership=chosen)
        self.stdout.write(
            f"Rebuilt the daily counts ({scope}): {rows} location-days; {differences} had been out of step."
        )
