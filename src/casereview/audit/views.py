"""The access log for the data protection officer: search, and export as CSV."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from casereview.web.pagination import CappedPaginator

from .models import Action
from .selectors import access_events_search
from .services import access_event_record

FILTERS = ("person", "user", "reference", "action", "from", "to")


def _date(value: str, label: str, errors: dict) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[label] = (
            f"The date {'from' if label == 'from' else 'to'} must be a real date, for example 2025-03-27"
        )
        return None


def _search(request):
    if not request.user.has_perm("privacy.view_audit_log"):
        raise Http404("Not available")
    values = {key: request.GET.get(key, "").strip()[:200] for key in FILTERS}
    errors: dict[str, str] = {}
    date_from = _date(values["from"], "from", errors)
    date_to = _date(values["to"], "to", errors)
    if date_from and date_to and date_from > date_to:
        errors["to"] = "The date to must be the same as or after the date from"
    if values["action"] and values["action"] not in Action.values:
        errors["action"] = "Choose an action from the list"
        values["action"] = ""
    events = access_events_search(
        partnership=request.user.partnership,
        person=values["person"],
        user=values["user"],
        reference=values["reference"],
        action=values["action"],
        date_from=date_from,
        date_to=date_to,
    )
    return values, errors, events


@login_required
def search(request):
    values, errors, events = _search(request)
    searched = any(values.values())
    if searched:
        access_event_record(
            action=Action.SEARCH,
            request=request,
            summary="Access log searched",
            purpose="Data protection oversight",
            details={"filters": {k: v for k, v in values.items() if v}},
        )
    page = CappedPaginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/search.html",
        {
            "values": values,
            "errors": errors,
            "page": page,
            "actions": Action.choices,
            "searched": searched,
        },
    )


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value) -> str:
    """CSV injection: a cell starting with = + - @ (or a tab/CR) is read as a formula by spreadsheets."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def export_csv(request):
    values, errors, events = _search(request)
    access_event_record(
        action=Action.EXPORT,
        request=request,
        summary="Access log exported as CSV",
        purpose="Data protection oversight",
        details={"filters": {k: v for k, v in values.items() if v}},
    )
    header = [
        "when",
        "user",
        "agency",
        "action",
        "case",
        "record",
        "summary",
        "purpose",
        "lawful basis",
        "shared with",
        "address",
        "page",
    ]
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(header)
        for e in events.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _safe_cell(v)
                    for v in (
                        timezone.localtime(e.at).isoformat(timespec="seconds"),
                        e.actor_username,
                        e.actor_agency,
                        e.get_action_display(),
                        e.case_reference,
                        f"{e.object_type} {e.object_id}".strip(),
                        e.summary,
                        e.purpose,
                        e.get_lawful_basis_display() if e.lawful_basis else "",
                        e.recipient,
                        e.ip_address or "",
                        e.path,
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
