"""A staff list as CSV (issue 20): streamed, each cell made safe from spreadsheet formulas, named
for the list and the day. The list's own view applies its filters and the user's scope, and writes
the export to the access log (web sits below audit, so it cannot)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from urllib.parse import urlencode

from django.http import StreamingHttpResponse
from django.utils import timezone


class _Echo:
    def write(self, value):
        return value


def safe_cell(value) -> str:
    """CSV injection: a cell starting with = + - @ (or a tab or CR) is read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(name: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def export_query(request, fields) -> str:
    """The query for a list's CSV link: the list's own filter fields only (and the private search's
    key, web.private_search), never anything else typed into the address."""
    query = getattr(request, "link_query", None) or request.GET
    kept = {key: query.getlist(key) for key in query if key in set(fields) | {"s"} and key != "page"}
    return urlencode(kept, doseq=True)
