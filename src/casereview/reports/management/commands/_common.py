"""Shared by the report commands: choosing the partnership (contracts §6–7) and reading dates."""

import datetime as dt

from django.core.management.base import CommandError

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
