"""Importing ASB reports (contracts §6): data.police.uk street-level CSVs and the partner CSV.

Every file is read whole and validated row by row first (a bad row is skipped with a reason that
names the field; it never stops the good rows); then the good rows are written in ONE transaction
per file, in batches (existing keys looked up per batch, then bulk_create), so a file never
half-imports. Importing the same file twice imports nothing the second time: each report is keyed
by (agency, agency_reference), unique in the database.

police.uk ASB rows usually have an EMPTY "Crime ID", so their reference is derived (see
`police_uk_reference`): a hash of month, longitude, latitude, location and LSOA code, plus the
occurrence number of that identical row within the file — so genuinely repeated identical rows
(two reports on the same street in the same month) are both kept, and a re-import matches each to
itself. A row that does have a Crime ID uses it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from casereview.accounts.models import Agency, AgencyKind, Partnership
from casereview.audit.services import Action, access_event_record

from .ingest import reports_arrived
from .keys import caller_as_sent, caller_key_normalise, location_key_normalise
from .models import Precision, Report, ReportSource
from .services import daily_counts_add

BATCH_SIZE = 2000
POLICE_UK_ASB = "Anti-social behaviour"
AGENCY_KIND_WORDS = ", ".join(AgencyKind.values)
_AGENCY_KINDS = frozenset(AgencyKind.values)


@dataclass
class ImportResult:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: int = 0
    skipped_reasons: Counter = field(default_factory=Counter)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped += n
        self.skipped_reasons[reason] += n

    def add(self, other: ImportResult) -> None:
        self.read += other.read
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.skipped += other.skipped
        self.skipped_reasons.update(other.skipped_reasons)

    def as_dict(self) -> dict:
        return {
            "read": self.read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "skipped_reasons": dict(sorted(self.skipped_reasons.items())),
        }


@dataclass
class Row:
    """A validated row, ready to become a Report (agency by name and kind, resolved per file)."""

    agency_name: str
    agency_kind: str
    agency_reference: str
    occurred_on: dt.date
    reported_at: dt.datetime | None
    reported_on: dt.date
    precision: str
    location: str
    channel: str = ""
    category: str = ""
    description: str = ""
    lsoa_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    caller: str = ""
    hate: bool = False

    @property
    def date_precision(self) -> str:
        """As on a Report, so the daily counts can be added from the rows themselves."""
        return self.precision


class RowError(Exception):
    """A row that cannot be imported; the message is the skip reason, naming the field."""


def _float(value: str, name: str, low: float, high: float) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{name}: not a number") from None
    if not low <= number <= high:
        raise RowError(f"{name}: out of range")
    return number


# --- data.police.uk -------------------------------------------------------------------------------


def police_uk_reference(
    crime_id: str, month: str, longitude: str, latitude: str, location: str, lsoa: str, occurrence: int
) -> str:
    """The idempotency key of a police.uk row (docs/reports.md, "Imports")."""
    if crime_id.strip():
        return crime_id.strip()[:100]
    digest = hashlib.sha256(
        "\x1f".join(part.strip() for part in (month, longitude, latitude, location, lsoa)).encode()
    ).hexdigest()[:32]
    return f"puk-{digest}-{occurrence}"


def _month(value: str, name: str) -> dt.date:
    try:
        year, month = value.strip().split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        raise RowError(f"{name}: not a YYYY-MM month") from None


def police_uk_rows(text: str, result: ImportResult, *, default_force: str) -> list[Row]:
    """Rows of a police.uk street-level CSV ("Crime ID, Month, Reported by, Falls within, Longitude,
    Latitude, Location, LSOA code, LSOA name, Crime type, …"). Also reads the police API's flattened
    form (api_id, month, category "anti-social-behaviour", latitude, longitude, location, …), which
    names no force: its reports go to `default_force`."""
    reader = csv.DictReader(io.StringIO(text))
    headers = set(reader.fieldnames or [])
    api_form = "Crime type" not in headers and {"category", "month", "location"} <= headers
    if not api_form and not {"Crime type", "Month", "Location"} <= headers:
        rows = list(reader)
        result.read += len(rows)
        result.skip("not a police.uk street-level CSV (Crime type, Month, Location columns)", len(rows))
        return []
    occurrences: Counter = Counter()
    found: list[Row] = []
    for raw in reader:
        result.read += 1
        try:
            if api_form:
                if (raw.get("category") or "").strip() != "anti-social-behaviour":
                    raise RowError("not ASB")
                month_text, crime_id = raw.get("month") or "", f"api-{(raw.get('api_id') or '').strip()}"
                if crime_id == "api-":
                    crime_id = ""
                force, lsoa, lsoa_name = default_force, "", ""
                longitude, latitude = raw.get("longitude") or "", raw.get("latitude") or ""
                context = (raw.get("ward_name") or "").strip()
            else:
                if (raw.get("Crime type") or "").strip() != POLICE_UK_ASB:
                    raise RowError("not ASB")
                month_text, crime_id = raw.get("Month") or "", raw.get("Crime ID") or ""
                force = (raw.get("Falls within") or raw.get("Reported by") or "").strip()
                lsoa, lsoa_name = (raw.get("LSOA code") or "").strip(), (raw.get("LSOA name") or "").strip()
                longitude, latitude = raw.get("Longitude") or "", raw.get("Latitude") or ""
                context = (raw.get("Context") or "").strip()
            month = _month(month_text, "Month")
            location = location_key_normalise(raw.get("Location") or raw.get("location") or "")
            if not location or location.lower() == "no location":
                raise RowError("Location: missing")
            if not force:
                raise RowError("Falls within: missing")
            lat = _float(latitude, "Latitude", -90, 90)
            lon = _float(longitude, "Longitude", -180, 180)
            identity = (month_text.strip(), longitude.strip(), latitude.strip(), location, lsoa)
            occurrences[identity] += 1
            reference = police_uk_reference(crime_id, *identity, occurrences[identity])
            found.append(
                Row(
                    agency_name=force[:200],
                    agency_kind=AgencyKind.POLICE,
                    agency_reference=reference,
                    occurred_on=month,
                    reported_at=None,
                    reported_on=month,
                    precision=Precision.MONTH,
                    location=location,
                    category=POLICE_UK_ASB,
                    description=" ".join(part for part in (lsoa_name, context) if part)[:1000],
                    lsoa_code=lsoa[:12],
                    latitude=lat,
                    longitude=lon,
                )
            )
        except RowError as error:
            result.skip(str(error))
    return found


# --- The partner CSV ------------------------------------------------------------------------------

PARTNER_REQUIRED = ("agency_reference", "agency", "agency_kind", "reported_at", "location")
PARTNER_OPTIONAL = ("channel", "occurred_on", "category", "latitude", "longitude", "caller", "hate")
TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n", ""}


def _reported_at(value: str, tz=None) -> dt.datetime:
    value = (value or "").strip()
    if not value:
        raise RowError("reported_at: required")
    try:
        parsed = parse_datetime(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        parsed = None
    if parsed is None:
        day = parse_date(value) if len(value) == 10 else None
        if day is None:
            raise RowError("reported_at: not an ISO 8601 date-time")
        parsed = dt.datetime.combine(day, dt.time(0, 0))
    if timezone.is_naive(parsed):
        # local time (Europe/London), as a partner's system records it
        parsed = timezone.make_aware(parsed, tz or timezone.get_current_timezone())
    return parsed


def partner_rows(text: str, result: ImportResult) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    headers = {(name or "").strip() for name in (reader.fieldnames or [])}
    missing = [name for name in PARTNER_REQUIRED if name not in headers]
    if missing:
        rows = list(reader)
        result.read += len(rows)
        result.skip(f"{missing[0]}: column missing", len(rows))
        return []
    found: list[Row] = []
    tz = timezone.get_current_timezone()
    for raw in reader:
        result.read += 1
        row = {(key or "").strip(): (value or "").strip() for key, value in raw.items() if key}
        try:
            found.append(partner_row(row, tz))
        except RowError as error:
            result.skip(str(error))
    return found


def partner_row(row: dict[str, str], tz=None) -> Row:
    """One partner report (a CSV row, or a report pushed through the API, as stripped text),
    validated; a RowError names the field. `tz`: the local time zone (looked up once per file)."""
    tz = tz or timezone.get_current_timezone()
    reference = row.get("agency_reference", "")
    if not reference:
        raise RowError("agency_reference: required")
    if len(reference) > 100:
        raise RowError("agency_reference: longer than 100 characters")
    agency = row.get("agency", "")
    if not agency:
        raise RowError("agency: required")
    kind = row.get("agency_kind", "").lower()
    if kind not in _AGENCY_KINDS:
        raise RowError(f"agency_kind: must be one of {AGENCY_KIND_WORDS}")
    reported_at = _reported_at(row.get("reported_at", ""), tz)
    reported_on = reported_at.astimezone(tz).date()
    occurred_text = row.get("occurred_on", "")
    if occurred_text:
        try:
            occurred_on = parse_date(occurred_text)
        except ValueError:
            occurred_on = None
        if occurred_on is None:
            raise RowError("occurred_on: not an ISO date (YYYY-MM-DD)")
        if occurred_on > reported_on:
            raise RowError("occurred_on: after reported_at")
    else:
        occurred_on = reported_on
    location = location_key_normalise(row.get("location", ""))
    if not location:
        raise RowError("location: required")
    lat = _float(row.get("latitude", ""), "latitude", -90, 90)
    lon = _float(row.get("longitude", ""), "longitude", -180, 180)
    if (lat is None) != (lon is None):
        raise RowError("latitude: give both latitude and longitude, or neither")
    hate_text = row.get("hate", "").lower()
    if hate_text not in TRUE_WORDS | FALSE_WORDS:
        raise RowError("hate: must be true or false")
    channel = row.get("channel", "").lower().replace(" ", "_").replace("-", "_")
    if len(channel) > 20:
        raise RowError("channel: longer than 20 characters")
    return Row(
        agency_name=agency[:200],
        agency_kind=kind,
        agency_reference=reference,
        occurred_on=occurred_on,
        reported_at=reported_at,
        reported_on=reported_on,
        precision=Precision.DAY,
        location=location,
        channel=channel,
        category=row.get("category", "")[:100],
        latitude=lat,
        longitude=lon,
        caller=caller_as_sent(row.get("caller", "")),
        hate=hate_text in TRUE_WORDS,
    )


# --- Writing ---------------------------------------------------------------------------------------


def _write(
    partnership: Partnership,
    rows: list[Row],
    result: ImportResult,
    source: str,
    actor=None,
    known: Agency | None = None,
) -> None:
    """Write validated rows in one transaction (the caller's): agencies resolved (new names added
    with their kind; `known`, the pushing client's own, without a query), existing keys looked up
    per batch, the rest stored (`_reports_store`: COPY on PostgreSQL, bulk_create elsewhere) and
    added to the daily counts."""
    agencies: dict[str, Agency | None] = {}
    if known is not None and known.partnership_id == partnership.id:
        agencies[known.name] = known
    for name, kind in dict.fromkeys((row.agency_name, row.agency_kind) for row in rows):
        if name in agencies:
            continue
        agency, _ = Agency.objects.get_or_create(partnership=partnership, name=name, defaults={"kind": kind})
        agencies[name] = agency
    seen: set[tuple[int, str]] = set()
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        wanted: dict[int, set[str]] = {}
        for row in batch:
            agency = agencies[row.agency_name]
            wanted.setdefault(agency.id, set()).add(row.agency_reference)
        existing: set[tuple[int, str]] = set()
        for agency_id, references in wanted.items():
            existing.update(
                (agency_id, ref)
                for ref in Report.objects.filter(
                    agency_id=agency_id, agency_reference__in=references
                ).values_list("agency_reference", flat=True)
            )
        new: list[tuple[Agency, Row]] = []
        for row in batch:
            agency = agencies[row.agency_name]
            if agency.kind != row.agency_kind:
                result.skip(f"agency_kind: {agency.name} is known here as {agency.kind}")
                continue
            key = (agency.id, row.agency_reference)
            if key in existing or key in seen:
                result.duplicates += 1
                continue
            seen.add(key)
            new.append((agency, row))
        stored = _reports_store(partnership, new, source, actor)
        # The hotspot counts move with the reports, in the same transaction (docs/performance.md).
        daily_counts_add(partnership_id=partnership.id, reports=[row for _, row in new])
        reports_arrived(partnership_id=partnership.id, reports=stored, actor=actor)
        result.imported += len(new)


def _report_values(partnership: Partnership, agency: Agency, row: Row, source: str, actor) -> dict:
    """A new report's fields from a validated row (both ways of storing use exactly these)."""
    return {
        "partnership_id": partnership.id,
        "agency_id": agency.id,
        "agency_kind": agency.kind,
        "agency_reference": row.agency_reference,
        "occurred_on": row.occurred_on,
        "reported_at": row.reported_at,
        "reported_on": row.reported_on,
        "date_precision": row.precision,
        "channel": row.channel,
        "category": row.category,
        "description": row.description,
        "location": row.location,
        "lsoa_code": row.lsoa_code,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "caller": row.caller,
        "caller_match": caller_key_normalise(row.caller),
        "hate": row.hate,
        "source": source,
        "recorded_by_id": actor.pk if actor is not None else None,
    }


def _reports_store(partnership: Partnership, new: list[tuple[Agency, Row]], source: str, actor):
    """Store new reports in the caller's transaction; answer them as the reports_arrived hooks take
    them. PostgreSQL: one `COPY reports_report (…) FROM STDIN` (ADR 0080), the stored reports read
    back only if a hook asks for them; elsewhere `bulk_create` of model instances."""
    if not new:
        return []
    if connection.vendor == "postgresql" and COPY_ON_POSTGRESQL:
        _reports_copy(partnership, new, source, actor)
        return StoredReports([(agency.id, row.agency_reference) for agency, row in new])
    reports = [Report(**_report_values(partnership, agency, row, source, actor)) for agency, row in new]
    return Report.objects.bulk_create(reports, batch_size=BATCH_SIZE)


#: Off only to compare the two ways of storing on PostgreSQL (tests/reports/test_import_copy.py).
COPY_ON_POSTGRESQL = True


def _copy_columns() -> list:
    """Every column of a report but its id (the table's own default) and generated ones."""
    return [
        model_field
        for model_field in Report._meta.concrete_fields
        if not model_field.primary_key and not getattr(model_field, "generated", False)
    ]


def _reports_copy(partnership: Partnership, new: list[tuple[Agency, Row]], source: str, actor) -> None:
    fields = _copy_columns()
    now = timezone.now()
    # A column the rows do not set takes the model's default, as bulk_create would give it
    # (created_at: the write's time; status: new; team: none; outcome: empty).
    fixed: dict[str, object] = {}
    for model_field in fields:
        if getattr(model_field, "auto_now_add", False) or getattr(model_field, "auto_now", False):
            fixed[model_field.attname] = now
        else:
            fixed[model_field.attname] = model_field.get_default()
    names = [model_field.attname for model_field in fields]
    columns = ", ".join(connection.ops.quote_name(model_field.column) for model_field in fields)
    table = connection.ops.quote_name(Report._meta.db_table)
    # psycopg's errors as Django's (a unique key taken meanwhile is an IntegrityError, as with
    # bulk_create), and the transaction undone by the caller's atomic block either way.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for agency, row in new:
            values = {**fixed, **_report_values(partnership, agency, row, source, actor)}
            copy.write_row([values[name] for name in names])


class StoredReports(Sequence):
    """The reports one COPY stored, as the reports_arrived hooks take them: read back in one query
    (with their ids) the first time a hook looks, and not at all when none does."""

    def __init__(self, keys: list[tuple[int, str]]):
        self._keys = keys
        self._reports: list[Report] | None = None

    def _load(self) -> list[Report]:
        if self._reports is None:
            by_agency: dict[int, list[str]] = {}
            for agency_id, reference in self._keys:
                by_agency.setdefault(agency_id, []).append(reference)
            which = Q()
            for agency_id, references in by_agency.items():
                which |= Q(agency_id=agency_id, agency_reference__in=references)
            # From the database the COPY wrote to (the primary), in its transaction.
            self._reports = list(Report.objects.using(connection.alias).filter(which).order_by("id"))
        return self._reports

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):
        return self._load()[index]

    def __iter__(self):
        return iter(self._load())


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def reports_import_records(
    *, partnership: Partnership, records: list[dict], default_agency: Agency, actor=None
) -> ImportResult:
    """Reports pushed through the partner API (contracts §8): each a dict of the partner CSV's
    fields, `agency` and `agency_kind` defaulting to the client's agency; validated and written
    exactly as a partner CSV file is (one transaction, the same keys, the same skip reasons)."""
    result = ImportResult()
    rows: list[Row] = []
    tz = timezone.get_current_timezone()
    for record in records:
        result.read += 1
        row = {key: _as_text(value) for key, value in record.items()}
        row["agency"] = row.get("agency") or default_agency.name
        row["agency_kind"] = row.get("agency_kind") or default_agency.kind
        try:
            rows.append(partner_row(row, tz))
        except RowError as error:
            result.skip(str(error))
    # No savepoint of its own: inside a caller's transaction (the API's, with its idempotency key)
    # a failure here undoes the caller's whole write anyway.
    with transaction.atomic(savepoint=False):
        _write(partnership, rows, result, ReportSource.PARTNER_API, actor, known=default_agency)
        access_event_record(
            action=Action.CREATE,
            user=actor,
            object_type="reports.report",
            summary=f"Imported {result.imported} report(s) through the partner API",
            purpose="ASB report log import",
            details={
                "format": "api",
                "partnership": partnership.slug,
                **{k: v for k, v in result.as_dict().items() if k != "skipped_reasons"},
            },
        )
    return result


FORMATS = ("police-uk", "reports")


def default_police_force(partnership: Partnership) -> str:
    police = list(partnership.agencies.filter(kind=AgencyKind.POLICE).values_list("name", flat=True)[:2])
    return police[0] if len(police) == 1 else "Police"


def reports_import_text(*, partnership: Partnership, fmt: str, text: str, actor=None) -> ImportResult:
    """Import one file's text: validated whole, written in one transaction."""
    if fmt not in FORMATS:
        raise ValidationError({"format": f"Unknown format {fmt!r}: use police-uk or reports."})
    result = ImportResult()
    if text.startswith("\ufeff"):
        text = text[1:]
    if fmt == "police-uk":
        rows = police_uk_rows(text, result, default_force=default_police_force(partnership))
        source = ReportSource.POLICE_UK
    else:
        rows = partner_rows(text, result)
        source = ReportSource.PARTNER_CSV
    with transaction.atomic():
        _write(partnership, rows, result, source, actor)
        # bulk_create sends no signals, so the import is logged here, once per file, in the same
        # transaction: who brought how many people's reports in, and from what.
        access_event_record(
            action=Action.CREATE,
            user=actor,
            object_type="reports.report",
            summary=f"Imported {result.imported} report(s) from a {fmt} file",
            purpose="ASB report log import",
            # Counts only: a skipped row's reason can quote the row.
            details={
                "format": fmt,
                "partnership": partnership.slug,
                **{k: v for k, v in result.as_dict().items() if k != "skipped_reasons"},
            },
        )
    return result


def reports_import(
    *, partnership: Partnership, fmt: str, paths: list[str | Path], actor=None
) -> ImportResult:
    """Import files; each file is its own transaction, so a failure on one leaves the others."""
    total = ImportResult()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = Path(path).read_text(encoding="latin-1")
        total.add(reports_import_text(partnership=partnership, fmt=fmt, text=text, actor=actor))
    return total
