"""`casereview stats [--partnership ID] [--from DATE --to DATE | --year YYYY] [--format json|csv]`

The published figures (contracts §5). The partnership defaults to the only one; with several,
`--partnership` is required. Errors exit with status 2 and one line on standard error.
"""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from casereview.accounts.models import Partnership
from casereview.statistics.exports import figures_csv, figures_json
from casereview.statistics.periods import Period, financial_year, financial_year_of
from casereview.statistics.selectors import figures_for


class StatsError(Exception):
    pass


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise StatsError(f"{option}: {text!r} is not a date (use YYYY-MM-DD)") from None


def resolve_period(*, start: str | None, end: str | None, year: str | None, today: dt.date) -> Period:
    if year is not None and (start or end):
        raise StatsError("give either --year or --from and --to, not both")
    if year is not None:
        if not str(year).isdigit() or not 1900 < int(year) < 3000:
            raise StatsError(f"--year: {year!r} is not a year (e.g. 2024 for 1 April 2024 to 31 March 2025)")
        return financial_year(int(year))
    if start or end:
        if not (start and end):
            raise StatsError("--from and --to go together: give both")
        first, last = _date(start, "--from"), _date(end, "--to")
        if last < first:
            raise StatsError("--to is before --from")
        return Period(first, last)
    return financial_year(financial_year_of(today))


def resolve_partnership(slug: str | None) -> Partnership:
    if slug:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True))
            raise StatsError(f"--partnership: no partnership {slug!r} (known: {known or 'none'})")
        return partnership
    partnerships = list(Partnership.objects.order_by("slug")[:50])
    if not partnerships:
        raise StatsError("there are no partnerships yet")
    if len(partnerships) > 1:
        raise StatsError(
            "--partnership: which partnership? (" + ", ".join(p.slug for p in partnerships) + ")"
        )
    return partnerships[0]


class Command(BaseCommand):
    help = "Print the published ASB Case Review figures for a period (financial year by default)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="the partnership's ID (default: the only one)")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (with --to)")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (with --from)")
        parser.add_argument("--year", help="financial year: 2024 is 1 April 2024 to 31 March 2025")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--as-at", dest="as_at", help="count the timeline as it stood on this day (default: today)"
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            as_at = _date(options["as_at"], "--as-at") if options.get("as_at") else today
            period = resolve_period(
                start=options["start"], end=options["end"], year=options["year"], today=today
            )
            partnership = resolve_partnership(options["partnership"])
        except StatsError as error:
            sys.stderr.write(f"casereview stats: {error}\n")
            sys.exit(2)
        figures = figures_for(partnership=partnership, period=period, as_at=as_at)
        if options["format"] == "csv":
            self.stdout.write(figures_csv(figures), ending="")
        else:
            self.stdout.write(figures_json(figures))
