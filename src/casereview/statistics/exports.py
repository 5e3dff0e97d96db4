"""The figures as JSON (contracts §5, exactly its keys) and CSV (the same figures, then the
breakdown that makes them reconcile). The page's download and `casereview stats` both use these."""

from __future__ import annotations

import csv
import io
import json

from .selectors import CSV_COLUMNS, Figures


def figures_json(figures: Figures) -> str:
    return json.dumps(figures.as_contract())


def figures_csv(figures: Figures) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(figures.as_row())
    return out.getvalue()
