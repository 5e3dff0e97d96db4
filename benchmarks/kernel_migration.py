"""Benchmark of the case kernel's forward migrations (ADR 0048) on 10,000 cases with their events.

    BENCH_ONLY=kernel make bench            # DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cr_bench
    BENCH_KERNEL_CASES=10000 BENCH_EVENTS=8 ...  # cases, and events per case

1. Migrates the database to the latest schema, then back to before the kernel
   (applications 0007), leaving every other table as it is.
2. Writes BENCH_KERNEL_CASES review cases straight into the old table through the historical models (the
   schema as it was): each with a victim, every third with a third-party applicant, every second
   with an alleged perpetrator, and BENCH_EVENTS timeline events.
3. Times the forward migrations: 0008 (the table renamed, every foreign key followed, the kind
   column and its index) and 0009 (the parties table and the data migration that derives a party
   for each victim, applicant and alleged perpetrator), and checks that every party was derived.
4. Deletes its cases again (the database is left at the latest schema, as found).

The report log is not touched by these migrations (its tables keep no foreign key to the case), so
no report rows are generated here; `reportlog` benchmarks the 1 million reports' own queries.
"""

from __future__ import annotations

import datetime as dt
import os
import time

CASES = int(os.environ.get("BENCH_KERNEL_CASES", "10000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "8"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cr_bench")
BEFORE_KERNEL = [("applications", "0007_recover_threshold_reason_codes")]
TARGET_SECONDS = 120.0
BATCH = 2000


def _executor():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _historical_apps():
    executor = _executor()
    return executor.loader.project_state(list(executor.loader.applied_migrations), at_end=True).apps


def _fill(partnership_id: int) -> tuple[int, int]:
    """Old-schema cases with their people, perpetrators and events; returns (cases, parties due)."""
    from django.utils import timezone

    apps = _historical_apps()
    Person = apps.get_model("applications", "Person")
    Application = apps.get_model("applications", "Application")
    AllegedPerpetrator = apps.get_model("applications", "AllegedPerpetrator")
    CaseEvent = apps.get_model("applications", "CaseEvent")
    received = dt.date(2025, 1, 1)
    now = timezone.now()
    parties = 0
    for start in range(0, CASES, BATCH):
        numbers = range(start, min(start + BATCH, CASES))
        victims = Person.objects.bulk_create(
            Person(partnership_id=partnership_id, full_name=f"Bench Victim {n}", name_key=f"bench victim {n}")
            for n in numbers
        )
        applicants = Person.objects.bulk_create(
            Person(partnership_id=partnership_id, full_name=f"Bench Applicant {n}")
            for n in numbers
            if n % 3 == 0
        )
        applicant_of = dict(zip([n for n in numbers if n % 3 == 0], applicants, strict=True))
        cases = Application.objects.bulk_create(
            Application(
                partnership_id=partnership_id,
                reference=f"BK-{n:07d}",
                received_on=received + dt.timedelta(days=n % 365),
                channel="online",
                status="received",
                victim=victim,
                applicant=applicant_of.get(n),
            )
            for n, victim in zip(numbers, victims, strict=True)
        )
        AllegedPerpetrator.objects.bulk_create(
            AllegedPerpetrator(application=case, name=f"Bench Perpetrator {n}")
            for n, case in zip(numbers, cases, strict=True)
            if n % 2 == 0
        )
        CaseEvent.objects.bulk_create(
            (
                CaseEvent(
                    application=case,
                    kind="received" if e == 0 else "note",
                    summary="Bench event",
                    occurred_on=case.received_on,
                    at=now,
                )
                for case in cases
                for e in range(EVENTS)
            ),
            batch_size=BATCH,
        )
        parties += len(cases) + len(applicants) + sum(1 for n in numbers if n % 2 == 0)
    return CASES, parties


def _delete_bench_cases(partnership_id: int) -> None:
    """Its own rows only, in SQL: the ORM's delete would walk 25 related tables row by row. The
    benchmark's cases have only these records (written above, or derived by the migrations)."""
    from django.db import connection, transaction

    from casereview.applications.models import (
        AllegedPerpetrator,
        Case,
        CaseClock,
        CaseEvent,
        CaseParty,
        Person,
    )

    case_ids = f"SELECT id FROM {Case._meta.db_table} WHERE partnership_id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        for model, field in (
            (CaseParty, "case"),
            (CaseClock, "application"),
            (CaseEvent, "application"),
            (AllegedPerpetrator, "application"),
        ):
            column = model._meta.get_field(field).column
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({case_ids})", [partnership_id]
            )
        cursor.execute(f"DELETE FROM {Case._meta.db_table} WHERE partnership_id = %s", [partnership_id])
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE partnership_id = %s", [partnership_id])


def main() -> int:
    from benchmarks import ensure_database

    ensure_database(DATABASE_URL)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Case kernel migration: {CASES:,} cases with {EVENTS} events each", flush=True)
    call_command("migrate", verbosity=0)
    from casereview.accounts.models import Partnership

    partnership, _ = Partnership.objects.get_or_create(
        slug="bench-kernel",
        defaults={"name": "Kernel benchmark", "policy_ref": "islington", "reference_prefix": "BK"},
    )

    _delete_bench_cases(partnership.pk)  # a previous run stopped half way

    started = time.perf_counter()
    _executor().migrate(BEFORE_KERNEL)
    print(f"  back to before the kernel in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    cases, parties_due = _fill(partnership.pk)
    print(f"  {cases:,} old-schema cases written in {time.perf_counter() - started:.1f} s", flush=True)

    executor = _executor()
    started = time.perf_counter()
    executor.migrate(executor.loader.graph.leaf_nodes())
    seconds = time.perf_counter() - started
    from casereview.applications.models import CaseParty

    derived = CaseParty.objects.filter(case__partnership=partnership).count()
    print(f"  forward migrations (0008 rename and kind, 0009 parties) in {seconds:.1f} s", flush=True)
    print(f"  parties derived: {derived:,} of {parties_due:,} due", flush=True)

    _delete_bench_cases(partnership.pk)
    ok = derived == parties_due and seconds <= TARGET_SECONDS
    print(
        f"  {'ok' if ok else 'FAILED'} (target: every party derived, under {TARGET_SECONDS:.0f} s)",
        flush=True,
    )
    return 0 if ok else 1
