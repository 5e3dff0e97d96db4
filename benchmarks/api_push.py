"""The partner API push (issue 18): BENCH_API_REPORTS reports (default 100,000) pushed over HTTP to
gunicorn (deploy/gunicorn.conf.py) with a bearer token, in batches of 500, each batch with its own
Idempotency-Key; then the hotspot answer compared with the CSV import's for the same reports.
Target: 5,000 reports a second on PostgreSQL. Database: BENCH_API_DATABASE_URL (migrated by this).
BENCH_API_CONCURRENCY (default 4): batches in flight at once, as a partner's system with several
senders would push; each batch is still one request, one transaction, one key."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("BENCH_API_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cr_api_bench")
BATCH = 500


def _cli(*args: str) -> str:
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    out = subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "casereview"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def _reports(n: int, prefix: str) -> list[dict]:
    return [
        {
            "agency_reference": f"{prefix}-{i}",
            "reported_at": f"2025-06-{1 + i % 28:02d}T21:{i % 60:02d}:00+01:00",
            "location": f"Block {i % 97}, Castle Estate",
            "caller": f"T-{i % 1000}",
            "channel": "out_of_hours_line" if i % 3 else "asb_line",
        }
        for i in range(n)
    ]


def main() -> int:
    os.environ["DATABASE_URL"] = DATABASE_URL
    import benchmarks.pages as pages
    from benchmarks.pages import start_server

    pages.DATABASE_URL = DATABASE_URL
    n = int(os.environ.get("BENCH_API_REPORTS", "100000"))
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE_URL.rsplit("/", 1)[1]],  # noqa: S603,S607
                   capture_output=True, check=False)  # fmt: skip
    _cli("migrate", "--no-input")
    _cli("demo")
    made = json.loads(
        _cli("api-client", "create", "--partnership", "islington", "--agency", "Islington Council",
             "--scopes", "reports:write", "--rate", "100000/min")
    )  # fmt: skip
    prefix = f"B{int(time.time())}"
    reports = _reports(n, prefix)
    process, port = start_server()
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        token = requests.post(
            f"{base}/oauth/token", data={"grant_type": "client_credentials"},
            auth=(made["client_id"], made["client_secret"]), timeout=30,
        ).json()["access_token"]  # fmt: skip
        concurrency = int(os.environ.get("BENCH_API_CONCURRENCY", "4"))
        local = threading.local()  # one HTTP session per sending thread

        def push(start: int) -> int:
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers["Authorization"] = f"Bearer {token}"
            session = local.session
            answer = session.post(
                f"{base}/reports", json={"reports": reports[start : start + BATCH]},
                headers={"Idempotency-Key": f"{prefix}-{start}"}, timeout=300,
            )  # fmt: skip
            answer.raise_for_status()
            return answer.json()["imported"]

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            imported = sum(pool.map(push, range(0, n, BATCH)))
        seconds = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(
        f"api push: {n} reports in {seconds:.1f} s = {n / seconds:,.0f} reports/s ({imported} imported, "
        f"{concurrency} batches in flight)"
    )
    api_hotspots = _cli("hotspots", "--as-of", "2025-06-28", "--partnership", "islington", "--format", "json")
    # The same reports through the CSV import, under another agency name, in a fresh partnership's
    # place would double the counts; compare instead with the CSV import's reading of the same rows.
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["agency_reference", "agency", "agency_kind", "reported_at",
                                             "location", "caller", "channel"])  # fmt: skip
    writer.writeheader()
    for r in reports:
        writer.writerow({**r, "agency": "Islington Council", "agency_kind": "council"})
    path = Path("/tmp/api-bench-reports.csv")  # noqa: S108 - a bench's scratch file
    path.write_text(out.getvalue())
    again = json.loads(_cli("import-reports", "--partnership", "islington", "--format", "reports", str(path)))
    same = json.loads(
        _cli("hotspots", "--as-of", "2025-06-28", "--partnership", "islington", "--format", "json")
    )
    print(f"csv import of the same rows: {again['duplicates']} duplicates, {again['imported']} imported; "
          f"hotspots unchanged: {json.loads(api_hotspots) == same}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
