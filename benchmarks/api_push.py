"""The partner API push (issue 18): BENCH_API_REPORTS reports (default 100,000) pushed over HTTP to
gunicorn (deploy/gunicorn.conf.py) with a bearer token, in batches of 500, each batch with its own
Idempotency-Key; then the daily counts checked against the reports, and the same reports deleted and
imported through the partner CSV instead: the stored rows and the hotspot answer must be identical.
Target: 5,000 reports a second on PostgreSQL. Database: BENCH_API_DATABASE_URL (migrated by this).
BENCH_API_CONCURRENCY (default 4): batches in flight at once, as a partner's system with several
senders would push; each batch is still one request, one transaction, one key."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("BENCH_API_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cr_api_bench")
BATCH = 500
TARGET = 5000  # reports a second over HTTP, on PostgreSQL (issue 18)


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
    from benchmarks import ensure_database

    ensure_database(DATABASE_URL)
    _cli("migrate", "--no-input")
    _cli("demo")
    made = json.loads(
        _cli("api-client", "create", "--partnership", "islington", "--agency", "Islington Council",
             "--scopes", "reports:write", "--rate", "100000/min")
    )  # fmt: skip
    prefix = f"B{int(time.time())}"
    reports = _reports(n, prefix)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process, port = start_server()
    load_before = os.getloadavg()
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
        load_after = os.getloadavg()
        # A partner's retry: the first batch again with its own key. The kept answer is replayed
        # and nothing more is stored.
        stored_before = _stored(prefix)
        retry = requests.post(
            f"{base}/reports", json={"reports": reports[:BATCH]},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"{prefix}-0"}, timeout=300,
        )  # fmt: skip
        replayed = retry.status_code == 200 and retry.headers.get("Idempotent-Replayed") == "true"
        retry_kept = _stored(prefix) == stored_before == n
    finally:
        process.terminate()
        process.wait(timeout=30)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    rate = n / seconds
    print(
        f"api push: {n} reports in {seconds:.1f} s = {rate:,.0f} reports/s ({imported} imported, "
        f"{concurrency} batches in flight); gunicorn's CPU {server_cpu:.1f} s (start-up included); "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min), "
        f"on {os.cpu_count()} cores; target ≥ {TARGET:,} reports/s: {rate / TARGET:.2f}× "
        f"{'✓' if rate >= TARGET else '✗'}"
    )
    print(
        f"the first batch pushed again with its key: replayed {'✓' if replayed else '✗'} "
        f"(HTTP {retry.status_code}, Idempotent-Replayed: {retry.headers.get('Idempotent-Replayed')}); "
        f"reports stored still {n}: {'✓' if retry_kept else '✗'}"
    )
    # The daily counts the push kept are the ones the reports give.
    print(_cli("rebuild-daily-counts", "--check", "--partnership", "islington").strip())
    as_of = ("--as-of", "2025-06-28", "--partnership", "islington", "--format", "json")
    by_api = json.loads(_cli("hotspots", *as_of))
    stored_by_api = _fingerprint(prefix)
    # The same reports through the partner CSV import instead: the pushed ones deleted (and the
    # counts rebuilt without them), the CSV imported, the hotspot answer asked again.
    with psycopg.connect(DATABASE_URL) as connection:
        connection.execute("DELETE FROM reports_report WHERE agency_reference LIKE %s", [f"{prefix}-%"])
    _cli("rebuild-daily-counts", "--partnership", "islington")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["agency_reference", "agency", "agency_kind", "reported_at",
                                             "location", "caller", "channel"])  # fmt: skip
    writer.writeheader()
    for r in reports:
        writer.writerow({**r, "agency": "Islington Council", "agency_kind": "council"})
    path = Path("/tmp/api-bench-reports.csv")  # noqa: S108 - a bench's scratch file
    path.write_text(out.getvalue())
    started = time.perf_counter()
    again = json.loads(_cli("import-reports", "--partnership", "islington", "--format", "reports", str(path)))
    csv_seconds = time.perf_counter() - started
    print(_cli("rebuild-daily-counts", "--check", "--partnership", "islington").strip())
    by_csv = json.loads(_cli("hotspots", *as_of))
    print(
        f"csv import of the same rows instead: {again['imported']} imported, "
        f"{again['duplicates']} duplicates in {csv_seconds:.1f} s (the command, start-up included); "
        f"stored rows identical: {_fingerprint(prefix) == stored_by_api}; "
        f"hotspot answer identical: {by_api == by_csv} ({len(by_api)} hotspots)"
    )
    same = _fingerprint(prefix) == stored_by_api and by_api == by_csv
    return 0 if same and replayed and retry_kept and imported == n and rate >= TARGET else 1


def _stored(prefix: str) -> int:
    with psycopg.connect(DATABASE_URL) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM reports_report WHERE agency_reference LIKE %s", [f"{prefix}-%"]
        ).fetchone()
    return count


def _fingerprint(prefix: str) -> str:
    """The pushed reports as stored, less what differs by path (id, time written, source, by whom)."""
    with psycopg.connect(DATABASE_URL) as connection:
        (digest,) = connection.execute(
            "SELECT md5(string_agg(concat_ws('|', agency_id, agency_kind, agency_reference, occurred_on, "
            "reported_at, reported_on, date_precision, channel, category, description, location, lsoa_code, "
            "latitude, longitude, caller, caller_match, hate, team_id, status, outcome), E'\\n' "
            "ORDER BY agency_reference)) FROM reports_report WHERE agency_reference LIKE %s",
            [f"{prefix}-%"],
        ).fetchone()
    return digest


if __name__ == "__main__":
    sys.exit(main())
