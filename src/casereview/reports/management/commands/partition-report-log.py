"""`casereview partition-report-log [--check | --add-years] [--force]`: the report log by year.

Converts `reports_report` on PostgreSQL into a table partitioned by year of `reported_on` once it
passes the size ADR 0045 names (50 million reports; `--force` below it), in one transaction;
`--add-years` adds next year's partition (each December); `--check` says where the table stands.
What the conversion changes and why: reports/partitioning.py and ADR 0045.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casereview.reports.partitioning import (
    THRESHOLD_ROWS,
    PartitionError,
    report_log_add_years,
    report_log_partition,
    report_log_state,
)


class Command(BaseCommand):
    help = "Partition the ASB report log by year on PostgreSQL (ADR 0045), or --check it."

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group()
        what.add_argument(
            "--check", action="store_true", help="only say whether it is partitioned, and its size"
        )
        what.add_argument("--add-years", action="store_true", help="add the partitions up to next year")
        parser.add_argument(
            "--force", action="store_true", help=f"partition below {THRESHOLD_ROWS:,} reports too"
        )

    def handle(self, *args, check=False, add_years=False, force=False, **options):
        today = timezone.localdate()
        try:
            if check:
                state = report_log_state()
                how = (
                    f"partitioned by year ({len(state.partitions)} partitions)"
                    if state.partitioned
                    else "one table"
                )
                self.stdout.write(
                    f"The report log: {state.rows:,} reports, {state.size_bytes / 2**20:,.1f} MiB, {how}; "
                    f"partition at {THRESHOLD_ROWS:,} (ADR 0045)."
                )
                if state.orphans:
                    raise CommandError(
                        f"{state.orphans} correction(s) or evidence link(s) point at no report: "
                        "the report log lost rows they refer to (restore them from the backup)."
                    )
                return
            made = (
                report_log_add_years(today=today)
                if add_years
                else report_log_partition(today=today, force=force)
            )
        except PartitionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Partitions made: {', '.join(made) if made else 'none (all there)'}.")
