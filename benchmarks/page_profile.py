"""What each page of the page benchmark costs in process: CPU per request and its queries, against
the trivial page (issue 14; docs/performance.md, "The staff pages at a force area's ten years").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_pages .venv/bin/python -m benchmarks.page_profile
    … -m benchmarks.page_profile -n 50                       # requests a page (default 30)
    … -m benchmarks.page_profile --only "case list" "report log"
    … -m benchmarks.page_profile --profile "case list" --top 40   # cProfile of that page's requests
    … -m benchmarks.page_profile --queries -n 5               # and each page's queries (one request)
    … -m benchmarks.page_profile --only "case page" --case-pages   # and each of the case's own pages

It uses the database the page benchmark generated (`BENCH_ONLY=pages make bench` first, any
BENCH_CASES; it generates nothing and changes nothing but the sessions), signs in one community
safety manager exactly as the benchmark does (`pages.sign_in_users`: a real session, second factor
verified) and GETs each page's addresses (`pages.bench_pages`) in turn with Django's test client,
in this process, with the server's settings (`benchmarks.page_settings`, debug off, the cached
template loader). Per page it prints the median and best CPU time of this process a request
(`time.process_time`: what Python spends, not counting PostgreSQL's own process), the median wall
time, the queries a request and their wall time, and the difference from the trivial page (a
constant behind the full middleware and a signed-in session).

CPU time is the figure to compare on a machine loaded by others: wall time includes waiting for a
core. Compare two versions by running each a few times, alternately. The first requests of each
page are a warm-up and are not counted (`--warm`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cr_pages")
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.page_settings"
os.environ.pop("DJANGO_DEBUG", None)


class QueryTimer:
    """Counts the queries run through Django's connection and their wall time."""

    def __init__(self, keep: bool = False):
        self.count = 0
        self.seconds = 0.0
        self.kept: list[tuple[float, str]] | None = [] if keep else None

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - began
            self.seconds += elapsed
            self.count += 1
            if self.kept is not None:
                self.kept.append((elapsed * 1000, sql))


def show_queries(client, path: str) -> None:
    """The queries of one request of ``path``, with their wall time."""
    from django.db import connection

    timer = QueryTimer(keep=True)
    with connection.execute_wrapper(timer):
        client.get(path, HTTP_HOST="127.0.0.1")
    print(f"  {path}: {timer.count} queries, {timer.seconds * 1000:.1f} ms")
    for elapsed, sql in timer.kept:
        print(f"    {elapsed:6.1f} ms  {sql[:400]}")


def measure(client, paths: list[str], requests: int, warm: int, profiler=None) -> dict:
    from django.db import connection

    for path in paths * warm:
        response = client.get(path, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    cpu, wall, queries, query_ms = [], [], [], []
    for n in range(requests):
        path = paths[n % len(paths)]
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            if profiler:
                profiler.enable()
            began_cpu, began_wall = time.process_time(), time.perf_counter()
            response = client.get(path, HTTP_HOST="127.0.0.1")
            cpu.append((time.process_time() - began_cpu) * 1000)
            wall.append((time.perf_counter() - began_wall) * 1000)
            if profiler:
                profiler.disable()
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        queries.append(timer.count)
        query_ms.append(timer.seconds * 1000)
    return {
        "cpu": statistics.median(cpu),
        "cpu_best": min(cpu),
        "wall": statistics.median(wall),
        "queries": statistics.median(queries),
        "query_ms": statistics.median(query_ms),
    }


AREAS = [
    (
        "templates",
        (
            "django/template/",
            "django/templatetags/",
            "/templatetags/",
            "django/utils/html.py",
            "django/utils/dateformat.py",
            "django/utils/formats.py",
            "django/forms/",
        ),
    ),
    ("ORM (building and compiling queries, making objects)", ("django/db/models/",)),
    ("database driver (psycopg, Django's backend)", ("psycopg", "django/db/backends/", "django/db/utils.py")),
    ("URLs (reverse, resolve)", ("django/urls/",)),
    ("translation", ("django/utils/translation/", "gettext.py")),
    (
        "sessions, auth, middleware",
        (
            "django/contrib/",
            "django/middleware/",
            "django_otp",
            "axes/",
            "csp/",
            "whitenoise/",
            "django/core/handlers/",
            "django/http/",
            "django/test/",
        ),
    ),
    ("casereview", ("casereview/",)),
]


def areas(profiler, requests: int) -> str:
    """The profile's own (not cumulative) CPU time a request, by area of the code."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(profiler).stats.items():
        area = next((name for name, parts in AREAS if any(part in filename for part in parts)), "other")
        totals[area] = totals.get(area, 0.0) + tottime
    lines = [
        f"  {ms / requests * 1000:6.2f} ms  {area}"
        for area, ms in sorted(totals.items(), key=lambda x: -x[1])
    ]
    return "CPU a request by area (the profiler's own time, so larger than unprofiled):\n" + "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=30, help="requests a page (default 30)")
    parser.add_argument("--warm", type=int, default=2, help="warm-up rounds of each page's addresses")
    parser.add_argument("--only", nargs="*", help="these pages only (their names as printed)")
    parser.add_argument("--profile", help="cProfile this page's requests and print the top functions")
    parser.add_argument("--top", type=int, default=30, help="functions the profile prints (default 30)")
    parser.add_argument("--queries", action="store_true", help="print each page's queries (one request)")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (cumulative, tottime…)")
    parser.add_argument(
        "--case-pages",
        action="store_true",
        help="and each of the case's own pages (incidents, decisions, timeline, each section: ADR 0093)",
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from benchmarks import pages
    from casereview.accounts.models import Partnership

    if settings.DEBUG:
        raise SystemExit("DEBUG is on: the figures would not be the server's")
    partnership = Partnership.objects.get(slug="west-northamptonshire")
    cases = pages._scalar(
        "SELECT count(*) FROM applications_case WHERE reference LIKE %s", [f"{pages.PREFIX}-%"]
    )
    reports = pages._scalar("SELECT count(*) FROM reports_report WHERE partnership_id = %s", [partnership.pk])
    if not cases:
        raise SystemExit("No generated cases here: run BENCH_ONLY=pages make bench on this database first")
    (cookie,) = pages.sign_in_users(partnership, 1)
    client = Client()
    client.cookies["sessionid"] = cookie
    chosen = pages.bench_pages(cases)
    if args.case_pages:
        from casereview.applications.case_sections import sections

        for key in ["incidents", "decisions", "timeline", *(s.key for s in sections())]:
            chosen[f"case: {key}"] = [f"{path}{key}/" for path in chosen["case page"]]
    wanted = ["trivial page", *(args.only or [name for name in chosen if name != "trivial page"])]
    if args.case_pages and args.only:
        wanted += [name for name in chosen if name.startswith("case: ")]
    unknown = [name for name in wanted if name not in chosen]
    if unknown:
        raise SystemExit(f"No such page: {', '.join(unknown)} (choose from {', '.join(chosen)})")

    print(
        f"In process, {cases:,} cases and {reports:,} reports; {args.requests} requests a page; "
        f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(
        f"{'page':32} {'CPU ms':>7} {'best':>6} {'wall ms':>8} {'queries':>7} {'query ms':>8}"
        f"  {'CPU − trivial':>13} {'queries − trivial':>17}"
    )
    trivial = None
    for name in wanted:
        # The profile counts CPU time (process_time), not wall time: waiting for PostgreSQL or for
        # a core on a loaded machine is not charged to the function that waited.
        profiler = cProfile.Profile(time.process_time) if name == args.profile else None
        row = measure(client, chosen[name], args.requests, args.warm, profiler)
        line = (
            f"{name:32} {row['cpu']:7.1f} {row['cpu_best']:6.1f} {row['wall']:8.1f} {row['queries']:7.0f} "
            f"{row['query_ms']:8.1f}"
        )
        if trivial is None:
            trivial = row
        else:
            line += f"  {row['cpu'] - trivial['cpu']:+10.1f} ms {row['queries'] - trivial['queries']:+14.0f}"
        print(line, flush=True)
        if args.queries:
            show_queries(client, chosen[name][0])
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
            print(areas(profiler, args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
