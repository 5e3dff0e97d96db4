"""The daily counts that hotspots read (`ReportDailyCount`) stay equal to a fresh count of the
reports after every write that adds or moves reports — recording, correcting, importing (a file
that fails half-way leaves neither reports nor counts) — and `rebuild-daily-counts` repairs them."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casereview.reports import imports, services
from casereview.reports.imports import reports_import_text
from casereview.reports.models import Report, ReportDailyCount
from casereview.reports.selectors import daily_counts_differences, hotspots_as_of

from .helpers import agency, at

pytestmark = pytest.mark.django_db

PARTNER_HEADER = (
    "location,agency_reference,agency,agency_kind,reported_at,caller,channel,hate,"
    "occurred_on,category,latitude,longitude\n"
)
POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def stored(partnership) -> dict:
    return {
        (row.location, row.day): row.reports
        for row in ReportDailyCount.objects.filter(partnership=partnership)
    }


def fresh(partnership) -> dict:
    """Counted in Python from the reports, independently of the SQL the services use."""
    return dict(
        Counter(
            (report.location, report.reported_on)
            for report in Report.objects.filter(partnership=partnership)
            if not report.month_only
        )
    )


def assert_in_step(partnership) -> None:
    assert stored(partnership) == fresh(partnership)
    assert daily_counts_differences() == 0


def record(partnership, day: dt.date, location: str = "Bemerton Estate", **kwargs) -> Report:
    return services.report_record(
        partnership=partnership,
        agency=agency(partnership),
        reported_at=at(day),
        location=location,
        actor=None,
        **kwargs,
    )


def test_recording_reports_counts_them_by_location_and_day(demo):
    islington = demo.partnership("islington")
    day = dt.date(2025, 3, 10)
    for _ in range(3):
        record(islington, day)
    record(islington, day, location="  Holloway   Road ")  # the key is normalised first
    record(islington, day + dt.timedelta(days=1))
    assert stored(islington) == {
        ("Bemerton Estate", day): 3,
        ("Holloway Road", day): 1,
        ("Bemerton Estate", day + dt.timedelta(days=1)): 1,
    }
    assert_in_step(islington)


def test_a_refused_report_counts_nothing(demo, unchanged_rows):
    islington = demo.partnership("islington")
    record(islington, dt.date(2025, 3, 10), agency_reference="REF-1")
    with unchanged_rows(), pytest.raises(services.ValidationError):
        record(islington, dt.date(2025, 3, 11), agency_reference="REF-1")
    assert stored(islington) == {("Bemerton Estate", dt.date(2025, 3, 10)): 1}


def correct(**changes):
    """A correction by the community safety manager, with a reason."""
    from casereview.accounts.models import User

    return services.report_correct(actor=User.objects.get(username="is-csm"), reason="Mistyped", **changes)


def test_correcting_the_place_or_date_moves_the_count(demo):
    islington = demo.partnership("islington")
    day = dt.date(2025, 3, 10)
    first, second = record(islington, day), record(islington, day)
    correct(report=first, location="Holloway Road")
    assert stored(islington) == {("Bemerton Estate", day): 1, ("Holloway Road", day): 1}
    correct(report=second, reported_at=at(day + dt.timedelta(days=2)))
    # Bemerton Estate on the 10th is now at zero: its row goes.
    assert stored(islington) == {
        ("Holloway Road", day): 1,
        ("Bemerton Estate", day + dt.timedelta(days=2)): 1,
    }
    correct(report=second, location="Bemerton Estate")  # no change, no move
    assert_in_step(islington)


def test_correcting_a_report_to_the_wrong_order_of_dates_changes_nothing(demo, unchanged_rows):
    islington = demo.partnership("islington")
    day = dt.date(2025, 3, 10)
    report = record(islington, day)
    with unchanged_rows(), pytest.raises(services.ValidationError):
        correct(report=report, location="Elsewhere", occurred_on=day + dt.timedelta(days=1))
    report.refresh_from_db()
    assert report.location == "Bemerton Estate"
    assert stored(islington) == {("Bemerton Estate", day): 1}


def test_month_only_reports_are_not_counted_until_dated_to_the_day(demo):
    islington = demo.partnership("islington")
    text = POLICE_HEADER + "".join(
        ",2025-03,Metropolitan Police Service,Metropolitan Police Service,-0.1,51.5,"
        f"On or near Holloway Road,E01000001,Islington 001A,Anti-social behaviour,,row {i}\n"
        for i in range(9)
    )
    result = reports_import_text(partnership=islington, fmt="police-uk", text=text)
    assert result.imported == 9
    assert stored(islington) == {}
    assert hotspots_as_of(islington, dt.date(2025, 3, 14)) == []
    report = Report.objects.filter(partnership=islington).first()
    correct(report=report, reported_at=at(dt.date(2025, 3, 12)))
    assert stored(islington) == {("On or near Holloway Road", dt.date(2025, 3, 12)): 1}
    assert_in_step(islington)


def test_partner_csv_import_counts_the_good_rows_only(demo):
    islington = demo.partnership("islington")
    rows = "".join(
        f"Street {i % 3},R-{i},Islington Council,council,2025-03-0{1 + i % 2}T10:00:00,,,,,,,\n"
        for i in range(12)
    )
    bad = (
        "Street 0,BAD-1,Islington Council,council,not a date,,,,,,,\n"
        "Street 0,BAD-2,Islington Council,council,2025-03-01T10:00:00,,,maybe,,,,\n"
        ",BAD-3,Islington Council,council,2025-03-01T10:00:00,,,,,,,\n"
    )
    result = reports_import_text(partnership=islington, fmt="reports", text=PARTNER_HEADER + rows + bad)
    assert result.imported == 12 and result.skipped == 3
    assert sum(stored(islington).values()) == 12
    assert_in_step(islington)
    again = reports_import_text(partnership=islington, fmt="reports", text=PARTNER_HEADER + rows)
    assert again.imported == 0 and again.duplicates == 12
    assert sum(stored(islington).values()) == 12  # duplicates are not counted twice
    assert_in_step(islington)


@pytest.mark.parametrize("failing", ["_reports_store", "daily_counts_add"])
def test_an_import_failing_half_way_leaves_neither_reports_nor_counts(
    demo, monkeypatch, failing, unchanged_rows
):
    islington = demo.partnership("islington")
    record(islington, dt.date(2025, 3, 1), location="Street 1")  # counts already there stay as they were
    before = stored(islington)
    rows = "".join(
        f"Street {i % 4},R-{i},Islington Council,council,2025-03-01T10:00:00,,,,,,,\n" for i in range(25)
    )
    monkeypatch.setattr(imports, "BATCH_SIZE", 10)
    calls = {"n": 0}
    if failing == "_reports_store":  # COPY on PostgreSQL, bulk_create elsewhere
        real = imports._reports_store
        target, name = imports, "_reports_store"
    else:
        real = imports.daily_counts_add
        target, name = imports, "daily_counts_add"

    def fail_on_the_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, fail_on_the_second_batch)
    with unchanged_rows(), pytest.raises(RuntimeError):
        reports_import_text(partnership=islington, fmt="reports", text=PARTNER_HEADER + rows)
    assert calls["n"] == 2  # the first batch was written before the failure, then rolled back
    assert Report.objects.filter(partnership=islington).count() == 1
    assert stored(islington) == before
    monkeypatch.setattr(target, name, real)
    result = reports_import_text(partnership=islington, fmt="reports", text=PARTNER_HEADER + rows)
    assert result.imported == 25
    assert stored(islington)[("Street 1", dt.date(2025, 3, 1))] == 1 + 6  # i = 1, 5, … 21
    assert_in_step(islington)


@pytest.mark.django_db(transaction=True)
def test_the_counts_change_only_inside_a_transaction(unchanged_rows):
    report = Report(location="Here", reported_on=dt.date(2025, 3, 1), date_precision="day")
    with unchanged_rows(), pytest.raises(RuntimeError, match="inside the transaction"):
        services.daily_counts_add(partnership_id=1, reports=[report])


def test_rebuild_repairs_counts_written_around_the_services(demo):
    islington = demo.partnership("islington")
    day = dt.date(2025, 3, 10)
    for location in ("A", "A", "B", "C"):
        record(islington, day, location=location)
    ReportDailyCount.objects.filter(location="A").update(reports=5)  # wrong
    ReportDailyCount.objects.filter(location="B").delete()  # missing
    ReportDailyCount.objects.create(partnership=islington, location="Z", day=day, reports=2)  # extra
    assert daily_counts_differences(partnership=islington) == 4  # A twice (wrong/right), B, Z
    with pytest.raises(CommandError, match="out of step"):
        call_command("rebuild-daily-counts", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild-daily-counts", "--partnership", "islington", stdout=out)
    assert "3 location-days; 4 had been out of step" in out.getvalue()
    assert_in_step(islington)
    out = io.StringIO()
    call_command("rebuild-daily-counts", "--check", stdout=out)
    assert "in step" in out.getvalue()


def test_moving_a_report_whose_count_is_missing_says_how_to_repair(demo, unchanged_rows):
    islington = demo.partnership("islington")
    report = record(islington, dt.date(2025, 3, 10))
    ReportDailyCount.objects.all().delete()
    with unchanged_rows(), pytest.raises(services.DailyCountsOutOfStep, match="rebuild-daily-counts"):
        correct(report=report, location="Elsewhere")
    report.refresh_from_db()
    assert report.location == "Bemerton Estate"
