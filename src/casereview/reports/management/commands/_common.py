"""Shared by the report commands: choosing the partnership (contracts §6–7) and reading dates."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from casereview.accounts.models import Partnership
from casereview.reports.selectors import as_of_parse


def partnership_from_option(slug: str | None) -> Partnership:
    """The partnership named by --partnership, or the only one; otherwise an error asking which."""
    if slug:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"--partnership: no partnership with the ID {slug!r} (known: {known})")
        return partnership
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) == 1:
        return partnerships[0]
    if not partnerships:
        raise CommandError("There is no partnership yet: run `casereview demo` or add one first.")
    known = ", ".join(Partnership.objects.values_list("slug", flat=True))
    raise CommandError(f"Which partnership? Give --partnership ID (one of: {known}).")


def as_of_date(value: str) -> dt.date:
    try:
        return as_of_parse(value)
    except ValueError as error:
        raise CommandError(f"--as-of: {error}") from None


class AsOfListCommand(BaseCommand):
    """`--as-of DATE [--partnership ID] [--format json|text]` (contracts §7): a list the local
    policy gives as of a date, as JSON (the default) or as a table for reading. Subclasses say how
    to find it (`found`), what none is called (`nothing`) and how one item reads (`row`)."""

    nothing = ""

    def found(self, partnership, day: dt.date) -> list[dict]:
        raise NotImplementedError

    def row(self, item: dict) -> str:
        raise NotImplementedError

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
        found = self.found(partnership_from_option(partnership), day)
        if fmt == "json":
            self.stdout.write(json.dumps(found))
            return
        if not found:
            self.stdout.write(f"No {self.nothing} as of {day:%-d %B %Y}.")
        for item in found:
            self.stdout.write(self.row(item))
