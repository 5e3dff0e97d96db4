"""The report log partitioned by year on PostgreSQL (declarative partitioning, ADR 0045).

`casereview partition-report-log` converts `reports_report` into a table partitioned by range of
`reported_on`, one partition a calendar year and a DEFAULT partition for anything outside them, in
ONE transaction (the table is locked against writes and reads while it runs; all or nothing):

1. the new table is made `LIKE` the old one (columns, defaults, checks, generated columns), with
   its own id sequence continuing after the highest id (PostgreSQL 15 cannot give a partitioned
   table an identity column);
2. the rows are copied, the old table dropped, and its indexes re-created on the new one under
   their own names (each partition gets its own, as PostgreSQL does for a partitioned index);
3. what PostgreSQL cannot carry over is changed, as ADR 0045 records: the primary key becomes
   (id, reported_on) and the import key (agency, agency_reference) becomes (agency,
   agency_reference, reported_on) — a unique key on a partitioned table must hold the partition
   key; the foreign keys of other tables to a report (corrections, evidence) are dropped — one
   cannot point at a partitioned table without that key. Django keeps them in step (it deletes and
   protects in Python, not by the database's constraints); `--check` counts orphans;
4. the old table's grants are given on the new table and its sequence.

`--add-years` (run each December) adds the partitions up to next year to a table already
partitioned. Reads and writes through Django need no change: the model is the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

TABLE = "reports_report"
PARTITION_KEY = "reported_on"
#: ADR 0045: below this the table stays one heap (every target is met at 10 million on one table).
THRESHOLD_ROWS = 50_000_000
#: Tables whose rows point at a report (Django's models; their foreign key constraints go).
REFERRING = ("reports_reportcorrection", "reports_reportevidence")


class PartitionError(Exception):
    pass


@dataclass(frozen=True)
class State:
    rows: int
    size_bytes: int
    partitioned: bool
    partitions: list[str]
    first_year: int | None
    last_year: int | None
    orphans: int


def _one(cursor, sql: str, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()


def _all(cursor, sql: str, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise PartitionError("Partitioning is PostgreSQL's (declarative partitioning); this database is not.")


def report_log_state() -> State:
    _require_postgresql()
    with connection.cursor() as cursor:
        (rows,) = _one(cursor, f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - fixed name
        (size,) = _one(cursor, "SELECT pg_total_relation_size(%s::regclass)", [TABLE])
        (partitioned,) = _one(cursor, "SELECT relkind = 'p' FROM pg_class WHERE oid = %s::regclass", [TABLE])
        partitions = [
            name
            for (name,) in _all(
                cursor,
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
                [TABLE],
            )
        ]
        first, last = _one(cursor, f"SELECT MIN({PARTITION_KEY}), MAX({PARTITION_KEY}) FROM {TABLE}")  # noqa: S608
        orphans = 0
        for referring in REFERRING:
            (count,) = _one(
                cursor,
                f"SELECT COUNT(*) FROM {referring} r WHERE NOT EXISTS "  # noqa: S608 - fixed names
                f"(SELECT 1 FROM {TABLE} t WHERE t.id = r.report_id)",
            )
            orphans += count
    return State(
        rows=rows,
        size_bytes=size,
        partitioned=bool(partitioned),
        partitions=partitions,
        first_year=first.year if first else None,
        last_year=last.year if last else None,
        orphans=orphans,
    )


def _year_partition(cursor, parent: str, year: int) -> str:
    name = f"{TABLE}_y{year}"
    cursor.execute(
        f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{parent}" '
        f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
    )
    return name


def report_log_partition(*, today: dt.date, force: bool = False) -> list[str]:
    """Convert the report log into yearly partitions (see the module). Returns the partitions made."""
    state = report_log_state()
    if state.partitioned:
        raise PartitionError(
            "The report log is already partitioned: use --add-years for next year's partition."
        )
    if state.rows < THRESHOLD_ROWS and not force:
        raise PartitionError(
            f"The report log holds {state.rows:,} reports, fewer than the {THRESHOLD_ROWS:,} at which "
            "ADR 0045 partitions it; --force to partition it anyway."
        )
    first = state.first_year or today.year
    last = max(state.last_year or today.year, today.year) + 1
    new = f"{TABLE}_partitioned"
    sequence = f"{TABLE}_id_partitioned_seq"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        # Deferred foreign key checks of rows written earlier in the caller's transaction run now:
        # PostgreSQL refuses to alter a table with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        indexes = _all(
            cursor,
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisunique ORDER BY i.relname",
            [TABLE],
        )
        uniques = _all(
            cursor,
            "SELECT conname, ARRAY(SELECT a.attname FROM unnest(conkey) WITH ORDINALITY k(n, o) "
            "JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.n ORDER BY k.o)::text[] "
            "FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
            [TABLE],
        )
        outgoing = _all(
            cursor,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [TABLE],
        )
        incoming = _all(
            cursor,
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE confrelid = %s::regclass AND contype = 'f' ORDER BY 1, 2",
            [TABLE],
        )
        grants = _all(
            cursor,
            "SELECT grantee, string_agg(privilege_type, ', ') FROM information_schema.role_table_grants "
            "WHERE table_name = %s AND grantee <> current_user GROUP BY grantee ORDER BY grantee",
            [TABLE],
        )
        (pkey,) = _one(
            cursor,
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
            [TABLE],
        )
        cursor.execute(
            f'CREATE TABLE "{new}" (LIKE {TABLE} INCLUDING ALL EXCLUDING INDEXES EXCLUDING IDENTITY) '
            f"PARTITION BY RANGE ({PARTITION_KEY})"
        )
        made = [_year_partition(cursor, new, year) for year in range(first, last + 1)]
        cursor.execute(f'CREATE TABLE "{TABLE}_default" PARTITION OF "{new}" DEFAULT')
        made.append(f"{TABLE}_default")
        cursor.execute(f'INSERT INTO "{new}" SELECT * FROM {TABLE}')  # noqa: S608 - fixed names
        for referring, name in incoming:
            cursor.execute(f'ALTER TABLE {referring} DROP CONSTRAINT "{name}"')
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(f'ALTER TABLE "{new}" RENAME TO {TABLE}')
        cursor.execute(f'CREATE SEQUENCE "{sequence}" OWNED BY {TABLE}.id')
        cursor.execute(
            f"SELECT setval(%s, COALESCE((SELECT MAX(id) FROM {TABLE}), 0) + 1, false)",  # noqa: S608
            [sequence],
        )
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('\"{sequence}\"')")
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{pkey}" PRIMARY KEY (id, {PARTITION_KEY})')
        for name, columns in uniques:
            keyed = [*columns, PARTITION_KEY] if PARTITION_KEY not in columns else list(columns)
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" UNIQUE ({", ".join(keyed)})')
        for _name, definition in indexes:
            # The definition names the table by its own name, which the new table now has.
            cursor.execute(definition)
        for name, definition in outgoing:
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        for grantee, privileges in grants:
            cursor.execute(f'GRANT {privileges} ON {TABLE} TO "{grantee}"')
            cursor.execute(f'GRANT USAGE, SELECT ON SEQUENCE "{sequence}" TO "{grantee}"')
        cursor.execute(f"ANALYZE {TABLE}")
    return made


def report_log_add_years(*, today: dt.date) -> list[str]:
    """The yearly partitions up to next year, on a table already partitioned (run each December:
    rows of a year with no partition land in the DEFAULT partition, which then has to be emptied
    before that year's partition can be made)."""
    state = report_log_state()
    if not state.partitioned:
        raise PartitionError("The report log is not partitioned: nothing to add to.")
    made = []
    with transaction.atomic(), connection.cursor() as cursor:
        for year in range(state.first_year or today.year, today.year + 2):
            name = f"{TABLE}_y{year}"
            if name not in state.partitions:
                made.append(_year_partition(cursor, TABLE, year))
    return made
