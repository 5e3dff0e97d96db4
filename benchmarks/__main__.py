"""`make bench`: the threshold path, the staff pages under gunicorn, the report log against
DuckDB, the case kernel's migrations on 10,000 cases, and the partner API push. BENCH_ONLY=
threshold,pages,reportlog,kernel,api chooses (default: all five, in that order); `api` is the partner API
push (benchmarks/api_push.py)."""

import os
import sys

from benchmarks import api_push, kernel_migration, pages, reportlog, threshold

PARTS = {
    "threshold": threshold.main,
    "pages": pages.main,
    "reportlog": reportlog.main,
    "kernel": kernel_migration.main,
    "api": api_push.main,
}

chosen = [p.strip() for p in os.environ.get("BENCH_ONLY", ",".join(PARTS)).split(",") if p.strip()]
unknown = [p for p in chosen if p not in PARTS]
if unknown:
    sys.exit(f"BENCH_ONLY: unknown part(s) {', '.join(unknown)} (choose from {', '.join(PARTS)})")
status = 0
for part in chosen:
    status |= PARTS[part]()
sys.exit(status)
