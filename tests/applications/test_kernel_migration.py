"""Migration with nothing lost (issue 15, ADR 0048): the demo's data, migrated back to before the
case kernel and forward again, is the same data.

The demo is loaded at the latest schema and captured as plain values: every row of every table of
the product's own apps, a case keyed by its reference and every other row by its id, with each
foreign key to a case written as that case's reference (so the capture reads the same whether the
case table is `applications_application` or `applications_case`, and whatever another app calls
its case field). Then the database is migrated backwards to before the kernel's migrations (0008
renames the case and adds its kind; 0009 adds the parties and derives them), captured, migrated
forwards, and captured again. All three captures must be equal, and the parties the forward data
migration derived must be exactly those the services wrote when the demo was loaded.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_KERNEL = [("applications", "0007_recover_threshold_reason_codes")]
CASE_TABLES = {"applications_application", "applications_case"}
PARTY_TABLE = "applications_caseparty"
# Tables the demo must fill, so that the comparison is not of empty tables.
MUST_HOLD = [
    "case",
    "applications_person",
    "applications_incident",
    "applications_incidentreport",
    "applications_allegedperpetrator",
    "applications_caseevent",
    "applications_applicationagency",
    "letters_letter",
    "actions_action",
    "panels_panelmeeting",
]

# Columns pointing into tables made after the kernel, whose rows a forward data migration remakes.
REMADE = {"panels_panelmeeting": ("item_id",)}

pytestmark = pytest.mark.django_db(transaction=True)


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _migrate(targets) -> None:
    executor = _executor()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    return _executor().loader.graph.leaf_nodes()


def _models_now():
    """The historical models of the migrations applied now (the schema the tables have)."""
    executor = _executor()
    applied = list(executor.loader.applied_migrations)
    return executor.loader.project_state(applied, at_end=True).apps.get_models()


def _snapshot() -> dict[str, dict]:
    """Every row of the product's tables as plain values, case foreign keys as references."""
    models = [
        m
        for m in _models_now()
        if m._meta.app_label not in {"auth", "contenttypes", "sessions", "admin", "otp_totp", "otp_static"}
        and m._meta.managed
        and not m._meta.proxy
        and not m._meta.auto_created
    ]
    case_model = next(m for m in models if m._meta.db_table in CASE_TABLES)
    reference_of = dict(case_model._base_manager.values_list("pk", "reference"))
    captured: dict[str, dict] = {}
    for model in models:
        table = "case" if model is case_model else model._meta.db_table
        case_fields = {
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not None and f.related_model._meta.db_table in CASE_TABLES
        }
        rows = {}
        for values in model._base_manager.order_by("pk").values(
            *[f.attname for f in model._meta.concrete_fields]
        ):
            row = {}
            for name, value in values.items():
                if name in case_fields:
                    # A case field is called "application" in some versions and "case" in others.
                    row[name.replace("application", "case")] = reference_of.get(value)
                else:
                    row[name] = value
            if table == "case":
                row.pop("kind", None)  # the kernel's column: checked on its own below
                rows[values["reference"]] = tuple(sorted(row.items()))
            else:
                rows[values["id"]] = tuple(sorted(row.items()))
        captured[table] = rows
    return captured


def _parties_expected(snapshot: dict) -> set[tuple]:
    """The parties every case must have: its victim, its applicant and each alleged perpetrator."""
    expected = set()
    for reference, row in snapshot["case"].items():
        values = dict(row)
        expected.add((reference, "victim", values["victim_id"], None))
        if values["applicant_id"] is not None:
            expected.add((reference, "applicant", values["applicant_id"], None))
    for pk, row in snapshot["applications_allegedperpetrator"].items():
        values = dict(row)
        expected.add((values["case_id"], "alleged_perpetrator", None, pk))
    return expected


def _parties(snapshot: dict) -> set[tuple]:
    parties = set()
    for row in snapshot[PARTY_TABLE].values():
        values = dict(row)
        parties.add((values["case_id"], values["role"], values["person_id"], values["perpetrator_id"]))
    return parties


def _without_parties(snapshot: dict) -> dict:
    return {table: rows for table, rows in snapshot.items() if table != PARTY_TABLE}


def _as_in(snapshot: dict, older: dict) -> dict:
    """`snapshot` cut to the tables and columns `older` has: a migration merged after the kernel's
    (another app's, depending on them) is unapplied too when going back, and the columns or tables
    it adds are rightly absent there. Every row and every column the older schema has must match."""
    cut = {}
    for table, rows in snapshot.items():
        if table not in older:
            continue
        old_rows = older[table]
        columns = {name for row in old_rows.values() for name, _ in row} if old_rows else None
        cut[table] = {
            key: tuple((name, value) for name, value in row if columns is None or name in columns)
            for key, row in rows.items()
        }
    return cut


def _only(snapshot: dict, tables: dict) -> dict:
    """`snapshot` cut to `tables`, less the columns that point into a table made after the kernel
    (REMADE): such a table comes back empty and its rows are remade by a data migration with new
    ids (a review meeting's sitting item, ADR 0088), checked by that migration's own test."""
    return {
        table: {
            key: tuple((name, value) for name, value in row if name not in REMADE.get(table, ()))
            for key, row in rows.items()
        }
        for table, rows in snapshot.items()
        if table in tables
    }


def _without_intervention_cases() -> None:
    """The demo's interventions and their own cases (ADR 0066) taken out: a case of another kind
    than the review exists only on the kernel, so a database going back before it has none (its
    kind column would come back as the review's)."""
    from casereview.applications.services import cases_of_kind_delete
    from casereview.interventions.models import Intervention
    from casereview.letters.services import letters_of_cases_delete

    case_ids = list(Intervention.objects.values_list("casework_id", flat=True))
    Intervention.objects.all().delete()
    letters_of_cases_delete(case_ids=case_ids)
    cases_of_kind_delete(kind="intervention", case_ids=case_ids)


def test_the_demo_survives_the_kernel_migrations_backwards_and_forwards():
    call_command("demo", stdout=io.StringIO())
    from casereview.applications.models import Case

    _without_intervention_cases()
    assert set(Case.objects.values_list("kind", flat=True)) == {"case_review"}
    latest = _snapshot()
    for table in MUST_HOLD:
        assert latest[table], f"the demo holds no {table} rows: the comparison would prove nothing"
    assert _parties(latest) == _parties_expected(latest)

    try:
        _migrate(BEFORE_KERNEL)
        before = _snapshot()
        assert PARTY_TABLE not in before
        with connection.cursor() as cursor:
            assert "applications_application" in connection.introspection.table_names(cursor)
            assert "applications_case" not in connection.introspection.table_names(cursor)
    finally:
        _migrate(_latest())
    after = _snapshot()

    assert before == _as_in(_without_parties(latest), before), "migrating backwards lost or changed rows"
    # Tables made after the kernel (by migrations that depend on it) go when the kernel is unapplied
    # and come back empty: only what existed before the kernel can be carried back and forth.
    assert _without_parties(_only(after, before)) == _without_parties(_only(latest, before)), (
        "migrating forwards lost or changed rows"
    )
    # Every party derived: exactly the victim, applicant and perpetrators of each case.
    assert _parties(after) == _parties_expected(after) == _parties(latest)
    assert set(Case.objects.values_list("kind", flat=True)) == {"case_review"}
