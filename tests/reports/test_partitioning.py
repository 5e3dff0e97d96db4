"""The report log partitioned by year on PostgreSQL (reports/partitioning.py, ADR 0045): the same
answers before and after the conversion, over a few years of reports, and the table still takes
new reports, corrections and the import key's refusal."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from casereview.reports.models import Report
from casereview.reports.partitioning import report_log_state
from casereview.reports.selectors import (
    LogFilters,
    daily_counts_differences,
    hotspot_history,
    hotspots_as_of,
    log_count,
    log_page,
    repeat_callers_as_of,
    reports_filter,
)

from .helpers import generate_reports, make_report

pytestmark = pytest.mark.django_db


def _answers(partnership) -> dict:
    reports = Report.objects.filter(partnership=partnership)
    days = [dt.date(2022, 9, 1) + dt.timedelta(days=n) for n in range(0, 1100, 61)]
    days += [dt.date(2024, 4, 1), dt.date(2024, 4, 20), dt.date(2024, 5, 1)]
    filtered = reports_filter(
        reports, LogFilters(date_from=dt.date(2023, 1, 1), date_to=dt.date(2024, 6, 30), channel="asb_line")
    )
    return {
        "count": reports.count(),
        "ids": sorted(reports.values_list("id", flat=True)),
        "history": hotspot_history(partnership),
        "hotspots": {day: hotspots_as_of(partnership, day) for day in days},
        "callers": {day: repeat_callers_as_of(partnership, day) for day in days},
        "pages": [[r.pk for r in log_page(filtered, page=page, per_page=20)[0]] for page in (1, 2, 3)],
        "filtered": log_count(filtered),
        "by_year": {year: reports.filter(reported_on__year=year).count() for year in range(2022, 2026)},
        "daily_counts_out_of_step": daily_counts_differences(),
    }


def test_partitioning_by_year_gives_the_same_answers(demo):
    if connection.vendor != "postgresql":
        pytest.skip("declarative partitioning is PostgreSQL's")
    islington = demo.partnership("islington")
    generate_reports(islington, seed=7, n=500, start=dt.date(2022, 6, 1), days=3 * 365)
    generate_reports(islington, seed=8, n=300, start=dt.date(2024, 3, 1), days=60)  # a busy spring
    before = _answers(islington)
    assert before["history"] and any(before["hotspots"].values()) and any(before["callers"].values())
    assert all(before["by_year"].values())  # four years of reports

    with pytest.raises(CommandError, match="fewer than the 50,000,000"):
        call_command("partition-report-log", stdout=io.StringIO())
    assert not report_log_state().partitioned

    out = io.StringIO()
    call_command("partition-report-log", "--force", stdout=out)
    state = report_log_state()
    assert state.partitioned
    years = {f"reports_report_y{year}" for year in range(2022, dt.date.today().year + 2)}
    assert years | {"reports_report_default"} <= set(state.partitions), state.partitions
    with connection.cursor() as cursor:  # every report is in its year's partition
        cursor.execute("SELECT COUNT(*) FROM reports_report_y2023")
        assert cursor.fetchone()[0] == before["by_year"][2023]
        cursor.execute("SELECT COUNT(*) FROM reports_report_default")
        assert cursor.fetchone()[0] == 0

    assert _answers(islington) == before

    # New reports take the next id; corrections still attach; the import key still refuses.
    added = make_report(islington, day=dt.date(2025, 3, 3), location="Location 1")
    assert added.pk > max(before["ids"])
    assert Report.objects.get(pk=added.pk).location == "Location 1"
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            **{
                f.attname: getattr(added, f.attname)
                for f in Report._meta.concrete_fields
                if f.attname not in ("id", "created_at")
            }
        )
    out = io.StringIO()
    call_command("partition-report-log", "--check", stdout=out)
    assert "partitioned by year" in out.getvalue()
    out = io.StringIO()
    call_command("partition-report-log", "--add-years", stdout=out)
    assert "none (all there)" in out.getvalue()
    with pytest.raises(CommandError, match="already partitioned"):
        call_command("partition-report-log", "--force", stdout=io.StringIO())


def test_partitioning_is_refused_off_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the command partitions (above)")
    with pytest.raises(CommandError, match="PostgreSQL's"):
        call_command("partition-report-log", "--check", stdout=io.StringIO())
