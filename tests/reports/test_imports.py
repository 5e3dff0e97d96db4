"""Imports (contracts §6): the real police.uk files from ../shared, the partner CSV, idempotency,
bad rows with named reasons, and no half-import."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casereview.accounts.models import Agency
from casereview.reports import imports
from casereview.reports.imports import reports_import, reports_import_text
from casereview.reports.models import Report

pytestmark = pytest.mark.django_db

POLICE_UK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "police-uk"


def police_files(folder: str, pattern: str = "*.csv") -> list[Path]:
    files = sorted((POLICE_UK / folder).glob(pattern))
    if not files:
        pytest.skip(f"the police.uk data is not in {POLICE_UK / folder}")
    return files


def run_import(*args) -> dict:
    out = io.StringIO()
    call_command("import-reports", *args, stdout=out)
    return json.loads(out.getvalue())


def test_police_uk_month_imports_asb_only_and_is_idempotent(demo):
    [january] = police_files("bedfordshire-2025", "2025-01-*.csv")
    text = january.read_text()
    asb_rows = sum(1 for line in text.splitlines() if ",Anti-social behaviour," in line)
    no_location = sum(1 for line in text.splitlines() if ",No Location," in line and "Anti-social" in line)
    first = run_import("--partnership", "islington", "--format", "police-uk", str(january))
    assert set(first) == {"read", "imported", "duplicates", "skipped", "skipped_reasons"}
    assert first["read"] == len(text.splitlines()) - 1
    assert first["imported"] == asb_rows - no_location
    assert first["skipped_reasons"]["not ASB"] == first["read"] - asb_rows
    assert first["skipped"] == first["read"] - first["imported"]
    second = run_import("--partnership", "islington", "--format", "police-uk", str(january))
    assert second["imported"] == 0 and second["duplicates"] == first["imported"]
    reports = Report.objects.filter(partnership__slug="islington")
    assert reports.count() == first["imported"]
    sample = reports.first()
    assert sample.month_only and sample.reported_on == dt.date(2025, 1, 1) and sample.reported_at is None
    assert sample.location.startswith("On or near") and sample.lsoa_code.startswith("E0")
    force = Agency.objects.get(partnership__slug="islington", name="Bedfordshire Police")
    assert force.kind == "police"


def test_city_of_london_2017_05_has_no_asb_rows(demo):
    [may] = police_files("city-of-london-2017-2021", "2017-05-*.csv")
    result = run_import("--partnership", "islington", "--format", "police-uk", str(may))
    assert result["imported"] == 0 and result["read"] > 0
    assert result["skipped_reasons"] == {"not ASB": result["read"]}


def test_everything_in_shared_police_uk_imports_once(demo):
    files = sorted(POLICE_UK.glob("*/*.csv"))
    if not files:
        pytest.skip(f"the police.uk data is not in {POLICE_UK}")
    islington = demo.partnership("islington")
    first = reports_import(partnership=islington, fmt="police-uk", paths=files)
    # The Islington ward extracts hold the same ASB rows twice (asb and street_crime files).
    assert first.imported > 30_000
    assert first.imported + first.duplicates + first.skipped == first.read
    again = reports_import(partnership=islington, fmt="police-uk", paths=files)
    assert again.imported == 0 and again.duplicates == first.imported + first.duplicates


def test_identical_police_uk_rows_are_both_kept(demo):
    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
        "LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    )
    row = (
        ",2025-01,Test Police,Test Police,-0.1,51.5,On or near High Street,"
        "E01000001,Test 001A,Anti-social behaviour,,\n"
    )
    islington = demo.partnership("islington")
    result = reports_import_text(partnership=islington, fmt="police-uk", text=header + row + row)
    assert result.imported == 2
    again = reports_import_text(partnership=islington, fmt="police-uk", text=header + row + row + row)
    assert again.imported == 1 and again.duplicates == 2  # a third identical report is new


PARTNER_HEADER = (
    "location,agency_reference,agency,agency_kind,reported_at,caller,channel,hate,"
    "occurred_on,category,latitude,longitude\n"
)


def test_partner_csv_any_order_bad_rows_named_and_new_agency_added(demo):
    islington = demo.partnership("islington")
    text = PARTNER_HEADER + (
        "Bemerton Estate,ASB-1,Islington Council,council,2025-03-01T21:15:00,07700 900123,"
        "out_of_hours_line,false,2025-03-01,noise,51.54,-0.117\n"
        "Bemerton Estate,ASB-2,Islington Council,council,2025-03-02T21:15:00Z,,asb_line,true,,youths,,\n"
        "Bemerton Estate,PG-1,Parkguard Patrols,other,2025-03-02 10:00,,patrol,,,drug use,,\n"
        ",ASB-3,Islington Council,council,2025-03-03T10:00:00,,,,,,,\n"
        "Somewhere,ASB-4,Islington Council,council,yesterday,,,,,,,\n"
        "Somewhere,ASB-5,Islington Council,landlord,2025-03-03T10:00:00,,,,,,,\n"
        "Somewhere,ASB-6,Islington Council,council,2025-03-03T10:00:00,,,maybe,,,,\n"
        "Somewhere,ASB-7,Islington Council,council,2025-03-03T10:00:00,,,,2025-03-09,,,\n"
        "Somewhere,ASB-8,Islington Council,council,2025-03-03T10:00:00,,,,,,95,1\n"
        "Somewhere,,Islington Council,council,2025-03-03T10:00:00,,,,,,,\n"
        "Bemerton Estate,ASB-1,Islington Council,council,2025-03-01T21:15:00,,,,,,,\n"
    )
    result = reports_import_text(partnership=islington, fmt="reports", text=text).as_dict()
    assert result == {
        "read": 11,
        "imported": 3,
        "duplicates": 1,
        "skipped": 7,
        "skipped_reasons": {
            "agency_kind: must be one of council, police, housing, health, other": 1,
            "agency_reference: required": 1,
            "hate: must be true or false": 1,
            "latitude: out of range": 1,
            "location: required": 1,
            "occurred_on: after reported_at": 1,
            "reported_at: not an ISO 8601 date-time": 1,
        },
    }
    first = Report.objects.get(agency_reference="ASB-1")
    # The key as the agency sent it (contracts §7), and beside it the form people are matched by.
    assert first.caller == "07700 900123" and first.caller_match == "07700900123"
    assert first.channel == "out_of_hours_line"
    assert first.reported_on == dt.date(2025, 3, 1) and first.latitude == 51.54 and not first.hate
    second = Report.objects.get(agency_reference="ASB-2")
    assert second.hate and second.occurred_on == second.reported_on
    parkguard = Agency.objects.get(partnership=islington, name="Parkguard Patrols")
    assert parkguard.kind == "other"
    again = reports_import_text(partnership=islington, fmt="reports", text=text)
    assert again.imported == 0 and again.duplicates == 4


def test_partner_csv_missing_required_column(demo):
    text = "agency_reference,agency,reported_at,location\nA1,Islington Council,2025-03-01T10:00,Here\n"
    result = reports_import_text(partnership=demo.partnership("islington"), fmt="reports", text=text)
    assert result.as_dict()["skipped_reasons"] == {"agency_kind: column missing": 1}
    assert not Report.objects.exists()


def test_a_failure_mid_file_leaves_nothing_half_imported(demo, monkeypatch, unchanged_rows):
    islington = demo.partnership("islington")
    rows = "".join(
        f"Street {i},R-{i},Islington Council,council,2025-03-01T10:00:00,,,,,,,\n" for i in range(25)
    )
    monkeypatch.setattr(imports, "BATCH_SIZE", 10)
    calls = {"n": 0}
    real_store = imports._reports_store  # COPY on PostgreSQL, bulk_create elsewhere (ADR 0080)

    def failing_store(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(imports, "_reports_store", failing_store)
    with unchanged_rows(), pytest.raises(RuntimeError):
        reports_import_text(partnership=islington, fmt="reports", text=PARTNER_HEADER + rows)
    assert calls["n"] == 2 and not Report.objects.exists()  # the first batch was stored, then undone
    monkeypatch.setattr(imports, "_reports_store", real_store)
    result = reports_import_text(partnership=islington, fmt="reports", text=PARTNER_HEADER + rows)
    assert result.imported == 25 and Report.objects.count() == 25


def test_partnership_option(demo, tmp_path, unchanged_rows):
    path = tmp_path / "reports.csv"
    path.write_text(PARTNER_HEADER + "Here,R-1,Islington Council,council,2025-03-01T10:00:00,,,,,,,\n")
    with unchanged_rows(), pytest.raises(CommandError, match="Which partnership"):
        run_import("--format", "reports", str(path))
    with unchanged_rows(), pytest.raises(CommandError, match="no such file"):
        run_import("--partnership", "islington", "--format", "reports", str(tmp_path / "missing.csv"))
    assert run_import("--partnership", "islington", "--format", "reports", str(path))["imported"] == 1


def test_each_imported_file_is_in_the_access_log_with_its_counts_and_no_row_data(demo):
    from casereview.audit.models import AccessEvent

    islington = demo.partnership("islington")
    officer = demo.user("is-csm")
    text = PARTNER_HEADER + (
        "12 Upper Street,HX-1,Islington Homes,housing,2025-03-01T10:00,Ada Caller,phone,no,"
        "2025-03-01,Noise,,\n"
        "12 Upper Street,HX-2,Islington Homes,housing,not a date,Bea Caller,phone,no,2025-03-01,Noise,,\n"
    )
    result = reports_import_text(partnership=islington, fmt="reports", text=text, actor=officer)
    assert result.imported == 1 and result.skipped == 1
    event = AccessEvent.objects.get(object_type="reports.report", action="create")
    assert event.actor_username == "is-csm"
    assert event.details["imported"] == 1 and event.details["skipped"] == 1
    assert event.details["format"] == "reports"
    logged = str(event.details) + event.summary
    assert "Caller" not in logged and "Upper Street" not in logged
