"""The read replica (web/replica.py, ADR 0044): lag-tolerant pages read the "replica" alias, every
other read and every write goes to the primary.

The replica here is a second database on the same server, filled from the primary as a base backup
fills a streaming replica (pg_dump piped into psql on PostgreSQL; SQLite's online backup on SQLite),
then given different data, so a page shows which one it read. Transactional tests: the rules send
everything inside a transaction to the primary, as a test's own transaction would.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess

import pytest
from django.apps import apps
from django.db import connections, transaction

from casereview.accounts.models import Partnership
from casereview.web.replica import REPLICA, lag_tolerant_reads

WN = "west-northamptonshire"


def _pg_env(settings_dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


@pytest.fixture
def replica(transactional_db, tmp_path):
    """A "replica" alias on a separate database; call the fixture's value to copy the primary in."""
    primary = connections["default"]
    config = copy.deepcopy(connections.settings["default"])
    postgres = primary.vendor == "postgresql"
    if postgres:
        if not (shutil.which("pg_dump") and shutil.which("psql")):
            pytest.skip("pg_dump and psql are needed to fill the replica")
        config["NAME"] = f"{primary.settings_dict['NAME'].removeprefix('test_')}_replica"
        with primary._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    else:
        config["NAME"] = str(tmp_path / "replica.sqlite3")
        config["TEST"] = {"NAME": config["NAME"]}
    connections.settings[REPLICA] = config
    # Connected now: Django's test case refuses to open a connection to an alias it was not told
    # of at its start (pytest-django cannot be told of one that does not exist yet).
    connections[REPLICA].connect()

    def fill() -> None:
        if postgres:
            env = _pg_env(primary.settings_dict)
            dump = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", primary.settings_dict["NAME"]],
                env=env,
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(
                ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", config["NAME"]],
                input=dump,
                env=env,
                check=True,
                capture_output=True,
            )
        else:
            primary.ensure_connection()
            primary.connection.backup(connections[REPLICA].connection)

    yield fill
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    if postgres:
        with primary._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')


def _replica_rows() -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.using(REPLICA).count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_the_statistics_page_reads_the_replica_and_writes_go_to_the_primary(client, demo, replica):
    replica()
    primary_name = Partnership.objects.get(slug=WN).name
    Partnership.objects.using(REPLICA).filter(slug=WN).update(name="Replica Shire")
    before = _replica_rows()

    page = client.get(f"/statistics/?partnership={WN}").content.decode()
    assert "Replica Shire" in page  # the statistics page read the replica
    assert client.get(f"/statistics/figures.csv?partnership={WN}").status_code == 200

    # A signed-in lag-tolerant page (the report log's hotspots) and a page that is not (the case
    # list): the session, the access log and the case list are the primary's.
    client.force_login(demo.user("wn-csm"))
    assert client.get("/reports/hotspots/").status_code == 200
    cases = client.get("/cases/").content.decode()
    assert primary_name in cases and "Replica Shire" not in cases

    # In a lag-tolerant block: a read from the replica, saved, is written to the primary; after a
    # write the block reads the primary (its own write); inside a transaction, the primary.
    with lag_tolerant_reads():
        area = Partnership.objects.get(slug=WN)
        assert area.name == "Replica Shire" and area._state.db == REPLICA
        area.contact_phone = "01604 000000"
        area.save(update_fields=["contact_phone"])
        assert Partnership.objects.get(slug=WN).name == primary_name
    with lag_tolerant_reads(), transaction.atomic():
        assert Partnership.objects.get(slug=WN).name == primary_name
    with lag_tolerant_reads():
        assert Partnership.objects.get(slug=WN).name == "Replica Shire"

    assert Partnership.objects.get(slug=WN).contact_phone == "01604 000000"
    assert Partnership.objects.using(REPLICA).get(slug=WN).contact_phone != "01604 000000"
    assert _replica_rows() == before  # nothing was written to the replica


def test_without_a_replica_everything_reads_the_primary(client, demo):
    assert REPLICA not in connections.settings
    with lag_tolerant_reads():
        assert Partnership.objects.get(slug=WN)._state.db == "default"
    assert client.get(f"/statistics/?partnership={WN}").status_code == 200
