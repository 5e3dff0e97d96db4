"""`casereview data-return --period 2025-04-01:2026-03-31 [--partnership ID | --force-area NAME]
[--format csv|json] [--as-at DATE]`

The data return (docs/returns.md): with --partnership, that partnership; with --force-area, the
force area and each of its partnerships; with neither, every partnership and every force area.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casereview.accounts.models import Partnership
from casereview.returns.exports import return_csv, return_json
from casereview.returns.selectors import ReturnError, data_return, force_area_by_name
from casereview.statistics.periods import Period


def parse_period(text: str) -> Period:
    start, sep, end = (text or "").partition(":")
    try:
        if not sep:
            raise ValueError
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        raise ReturnError(f"--period: {text!r} is not FIRST:LAST, e.g. 2025-04-01:2026-03-31") from None
    if last < first:
        raise ReturnError("--period: the last day is before the first")
    return Period(first, last)


class Command(BaseCommand):
    help = "The data return for a period: per partnership and per force area, small numbers suppressed."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="FIRST:LAST, e.g. 2025-04-01:2026-03-31")
        area = parser.add_mutually_exclusive_group()
        area.add_argument("--partnership", help="one partnership's ID")
        area.add_argument("--force-area", dest="force_area", help="a force area's name or ID")
        parser.add_argument("--format", choices=["csv", "json"], default="json")
        parser.add_argument("--as-at", dest="as_at", help="count the records as they stood on this day")

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
            as_at = timezone.localdate()
            if options.get("as_at"):
                try:
                    as_at = dt.date.fromisoformat(options["as_at"])
                except ValueError:
                    raise ReturnError(f"--as-at: {options['as_at']!r} is not a date (YYYY-MM-DD)") from None
            partnership = force_area = None
            if options.get("partnership"):
                partnership = Partnership.objects.filter(slug=options["partnership"]).first()
                if partnership is None:
                    known = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True))
                    raise ReturnError(
                        f"--partnership: no partnership {options['partnership']!r} (known: {known})"
                    )
            elif options.get("force_area"):
                force_area = force_area_by_name(options["force_area"])
        except ReturnError as error:
            raise CommandError(str(error)) from None
        data = data_return(period=period, as_at=as_at, partnership=partnership, force_area=force_area)
        if options["format"] == "csv":
            self.stdout.write(return_csv(data), ending="")
        else:
            self.stdout.write(return_json(data))
