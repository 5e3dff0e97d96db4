"""The data return as JSON and CSV, schema `casereview-data-return` version SCHEMA_VERSION
(docs/returns.md). The command and the page both use these."""

from __future__ import annotations

import csv
import io
import json

from .selectors import SCHEMA, SCHEMA_VERSION, WITHHELD, DataReturn

CSV_COLUMNS = (
    "schema_version",
    "area_type",
    "area_id",
    "area_name",
    "period_start",
    "period_end",
    "as_at",
    "section",
    "measure",
    "breakdown",
    "value",
)


def return_as_dict(data: DataReturn) -> dict:
    t = data.threshold
    areas = []
    for area in data.areas:
        entry = {
            "type": area.kind,
            "id": area.id,
            "name": area.name,
            "partnerships": [p.slug for p in area.partnerships],
            "published": {},
            "outcomes": {},
            "lpb_reviews": {},
            "timeliness": {},
            "reports": {"reports": 0, "by_category": {}, "by_channel": {}},
        }
        for cell in area.cells:
            if cell.folded:
                continue
            value = cell.shown(t)
            if cell.section in ("published", "outcomes", "lpb_reviews"):
                entry[cell.section][cell.measure] = value
            elif cell.section == "timeliness":
                entry["timeliness"].setdefault(cell.breakdown, {})[cell.measure] = value
            elif cell.measure == "reports":
                entry["reports"]["reports"] = value
            else:
                entry["reports"][cell.measure][cell.breakdown] = value
        areas.append(entry)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "period": {"from": data.period.start.isoformat(), "to": data.period.end.isoformat()},
        "as_at": data.as_at.isoformat(),
        "small_number_threshold": t,
        "suppressed_as": f"fewer than {t}",
        "withheld_as": WITHHELD,
        "areas": areas,
    }


def return_json(data: DataReturn) -> str:
    return json.dumps(return_as_dict(data), indent=2)


def return_rows(data: DataReturn) -> list[dict]:
    rows = []
    for area in data.areas:
        for cell in area.cells:
            if cell.folded:
                continue
            rows.append(
                {
                    "schema_version": SCHEMA_VERSION,
                    "area_type": area.kind,
                    "area_id": area.id,
                    "area_name": area.name,
                    "period_start": data.period.start.isoformat(),
                    "period_end": data.period.end.isoformat(),
                    "as_at": data.as_at.isoformat(),
                    "section": cell.section,
                    "measure": cell.measure,
                    "breakdown": cell.breakdown,
                    "value": cell.shown(data.threshold),
                }
            )
    return rows


def _safe(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def return_csv(data: DataReturn) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in return_rows(data):
        writer.writerow({k: _safe(v) for k, v in row.items()})
    return out.getvalue()
