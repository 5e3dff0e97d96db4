"""The two ways an import stores its reports (ADR 0080): `COPY … FROM STDIN` on PostgreSQL and
`bulk_create` elsewhere (SQLite) must store the same rows and the same daily counts. On PostgreSQL
both run here against the same database, one after the other, each undone after it is read."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casereview.reports import imports
from casereview.reports.imports import reports_import_records, reports_import_text
from casereview.reports.models import Report, ReportDailyCount

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite has one path"),
]

PARTNER = (
    "location,agency_reference,agency,agency_kind,reported_at,caller,channel,hate,"
    "occurred_on,category,latitude,longitude\n"
    "  12   Bemerton   Street ,R-1,Islington Council,council,2025-03-01T10:00:00,07700 900123,asb_line,yes,"
    "2025-02-27,Noise,51.54,-0.11\n"
    '"Flat 3\t, Back\\slash Court",R-2,Islington Council,council,2025-03-01T23:30:00Z,'
    '+44 7700 900123,Out-Of-Hours Line,no,,"Quote ""here""",,\n'
    "Caledonian Road,R-3,Housing Partner,housing,2025-03-02,Person@Example.org,,,,,,\n"
    "Caledonian Road,R-3,Housing Partner,housing,2025-03-02,again,,,,,,\n"  # a duplicate in the file
    "Caledonian Road,R-4,Housing Partner,housing,2025-03-02T08:00:00+01:00,,online,1,,,,\n"
    "Nowhere,R-5,Islington Council,council,not a date,,,,,,,\n"  # skipped, names the field
)
POLICE_UK = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
    ",2025-03,Met,Metropolitan Police Service,-0.1,51.5,On or near Park Road,E01000001,Islington 001A,"
    "Anti-social behaviour,,\n"
    ",2025-03,Met,Metropolitan Police Service,-0.1,51.5,On or near Park Road,E01000001,Islington 001A,"
    "Anti-social behaviour,,\n"
)


class _Undo(Exception):
    pass


def _stored(partnership) -> tuple[list[dict], list[tuple]]:
    skip = {"id", "created_at", "agency"}
    rows = []
    for report in Report.objects.filter(partnership=partnership).select_related("agency"):
        values = {
            f.attname: getattr(report, f.attname)
            for f in Report._meta.concrete_fields
            if f.name not in skip and not getattr(f, "generated", False)
        }
        values["agency"] = report.agency.name  # agencies made by an import get new ids each time
        assert report.created_at is not None
        rows.append(values)
    rows.sort(key=lambda r: (r["agency"], r["agency_reference"]))
    counts = sorted(
        ReportDailyCount.objects.filter(partnership=partnership).values_list("location", "day", "reports")
    )
    return rows, counts


def _import_then_read(monkeypatch, partnership, actor, *, copy: bool, push=None):
    monkeypatch.setattr(imports, "COPY_ON_POSTGRESQL", copy)
    seen = {}
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            seen["partner"] = reports_import_text(
                partnership=partnership, fmt="reports", text=PARTNER, actor=actor
            ).as_dict()
            seen["police"] = reports_import_text(
                partnership=partnership, fmt="police-uk", text=POLICE_UK
            ).as_dict()
            if push is not None:
                seen["push"] = reports_import_records(
                    partnership=partnership,
                    records=push,
                    default_agency=partnership.agencies.first(),
                    actor=actor,
                ).as_dict()
            seen["stored"] = _stored(partnership)
            seen["inserts"] = sum(
                'INSERT INTO "reports_report"' in q["sql"] for q in queries.captured_queries
            )
            raise _Undo
    except _Undo:
        pass
    return seen


def test_copy_and_bulk_create_store_identical_rows_and_daily_counts(demo, monkeypatch):
    islington = demo.partnership("islington")
    actor = demo.user("is-csm")
    push = [
        {
            "agency_reference": f"P-{i}",
            "reported_at": f"2025-03-0{1 + i % 3}T0{i % 10}:15:00",
            "location": f"Block {i % 4}",
            "caller": f"T-{i % 5}",
            "channel": "online",
            "latitude": 51.5 + i / 1000,
            "longitude": -0.1,
            "hate": i % 2 == 0,
        }
        for i in range(40)
    ]
    before = _stored(islington)
    by_copy = _import_then_read(monkeypatch, islington, actor, copy=True, push=push)
    by_bulk = _import_then_read(monkeypatch, islington, actor, copy=False, push=push)
    assert _stored(islington) == before  # both undone
    # The paths really differ: COPY sends no INSERT for the reports; bulk_create does.
    assert by_copy["inserts"] == 0 and by_bulk["inserts"] >= 1
    assert by_copy["partner"] == by_bulk["partner"]
    assert by_copy["partner"]["imported"] == 4 and by_copy["partner"]["duplicates"] == 1
    assert by_copy["police"] == by_bulk["police"] and by_copy["police"]["imported"] == 2
    assert by_copy["push"] == by_bulk["push"] and by_copy["push"]["imported"] == 40
    rows, counts = by_copy["stored"]
    assert (rows, counts) == by_bulk["stored"]
    assert len(rows) == len(before[0]) + 46
    mine = {r["agency_reference"]: r for r in rows}
    assert mine["R-1"]["location"] == "12 Bemerton Street" and mine["R-1"]["caller_match"] == "07700900123"
    assert (
        mine["R-2"]["location"] == "Flat 3 , Back\\slash Court" and mine["R-2"]["category"] == 'Quote "here"'
    )
    assert mine["R-2"]["channel"] == "out_of_hours_line" and mine["R-2"]["reported_on"] == dt.date(2025, 3, 1)
    assert mine["R-3"]["caller_match"] == "person@example.org" and mine["R-3"]["status"] == "new"
    assert mine["R-4"]["hate"] is True and mine["R-1"]["latitude"] == 51.54


def test_a_copied_batch_reaches_the_reports_arrived_hooks_with_its_stored_reports(demo, monkeypatch):
    from casereview.reports import ingest

    islington = demo.partnership("islington")
    seen = []
    monkeypatch.setitem(
        ingest._HOOKS, "test_seen", lambda *, partnership_id, reports, actor: seen.append(list(reports))
    )
    with transaction.atomic():
        reports_import_text(partnership=islington, fmt="reports", text=PARTNER)
    [batch] = seen
    assert sorted(r.agency_reference for r in batch) == ["R-1", "R-2", "R-3", "R-4"]
    assert all(r.pk for r in batch)  # read back after the COPY, ids and all
    assert {r.pk for r in batch} == set(
        Report.objects.filter(agency_reference__in=["R-1", "R-2", "R-3", "R-4"]).values_list("pk", flat=True)
    )
