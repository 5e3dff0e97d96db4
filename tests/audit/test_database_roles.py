# ruff: noqa: S608 - the SQL here is the test's own attacks, built from its own ids
"""The access log is append-only for real on PostgreSQL (issue 13): tried as the application.

Two roles are created (neither a superuser, who bypasses all of it; unique names, as several test
runs share the server), a fresh database owned by the owner, and `casereview migrate` run with
DATABASE_URL as the application and DATABASE_OWNER_URL as the owner — the deployment's own
set-up. Then, connected as the application, every way of changing the log is tried: UPDATE,
DELETE, TRUNCATE, ALTER TABLE (disable the trigger, take ownership), DROP TRIGGER, replacing the
trigger's function, and the old session flag. All are refused and the rows are unchanged; the
owner's scrub function, which the application may call, blanks personal data and nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="the database's own protection: PostgreSQL only"
)
CASEREVIEW = Path(sys.executable).with_name("casereview")


def _connect(
    settings: dict, *, user: str | None = None, password: str | None = None, dbname: str | None = None
):
    import psycopg

    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=user or settings["USER"],
        password=password if user else settings.get("PASSWORD") or None,
        dbname=dbname or settings["NAME"],
        autocommit=True,
    )


def _url(settings: dict, user: str, password: str, dbname: str) -> str:
    return (
        f"postgres://{user}:{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{dbname}"
    )


@pytest.fixture
def two_roles(tmp_path):
    server = dj_database_url.parse(DATABASE_URL)
    suffix = uuid.uuid4().hex[:12]
    owner, app, dbname = f"cr_owner_{suffix}", f"cr_app_{suffix}", f"cr_roles_{suffix}"
    password = uuid.uuid4().hex
    admin = _connect(server)
    admin.execute(f"CREATE ROLE {owner} LOGIN NOSUPERUSER NOCREATEROLE PASSWORD '{password}'")
    admin.execute(f"CREATE ROLE {app} LOGIN NOSUPERUSER NOCREATEROLE PASSWORD '{password}'")
    admin.execute(f"CREATE DATABASE {dbname} OWNER {owner}")
    try:
        env = {
            **os.environ,
            "DATABASE_URL": _url(server, app, password, dbname),
            "DATABASE_OWNER_URL": _url(server, owner, password, dbname),
            "CASEREVIEW_FILES_DIR": str(tmp_path / "files"),
        }
        result = subprocess.run(
            [str(CASEREVIEW), "migrate", "--no-input"], env=env, capture_output=True, text=True, timeout=900
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Granted the application's role" in result.stdout
        yield {
            "app": _connect(server, user=app, password=password, dbname=dbname),
            "owner": _connect(server, user=owner, password=password, dbname=dbname),
            "app_name": app,
        }
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        )
        admin.execute(f"DROP DATABASE IF EXISTS {dbname}")
        admin.execute(f"DROP ROLE IF EXISTS {app}")
        admin.execute(f"DROP ROLE IF EXISTS {owner}")
        admin.close()


INSERT = """
INSERT INTO audit_accessevent (at, actor_username, actor_agency, partnership_slug, action,
    case_reference, object_type, object_id, summary, purpose, lawful_basis, recipient, path, method,
    ip_address, user_agent, details)
VALUES (now(), 'wn-csm', 'Council', 'west-northamptonshire', 'view', 'WN-2026-0001',
    'applications.application', '1', 'Viewed the case of Jane Hughes', 'review', '', '',
    '/cases/WN-2026-0001/', 'GET', '192.0.2.1', 'Firefox', '{"q": "Hughes"}')
RETURNING id
"""


def _rows(connection):
    return connection.execute("SELECT * FROM audit_accessevent ORDER BY id").fetchall()


def test_the_application_role_cannot_change_the_access_log_and_the_scrub_works(two_roles):
    import psycopg

    app, owner = two_roles["app"], two_roles["owner"]
    (row_id,) = app.execute(INSERT).fetchone()  # appending is what the application does
    app.execute(INSERT)
    before = _rows(app)
    attempts = [
        f"UPDATE audit_accessevent SET summary = 'changed' WHERE id = {row_id}",
        "UPDATE audit_accessevent SET summary = '', purpose = '', recipient = '', path = '', "
        f"user_agent = '', ip_address = NULL, details = '{{}}', scrubbed_at = now() WHERE id = {row_id}",
        f"DELETE FROM audit_accessevent WHERE id = {row_id}",
        "DELETE FROM audit_accessevent",
        "TRUNCATE audit_accessevent",
        "TRUNCATE audit_accessevent CASCADE",
        "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL",
        "ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_append_only",
        "DROP TRIGGER audit_accessevent_append_only ON audit_accessevent",
        f"ALTER TABLE audit_accessevent OWNER TO {two_roles['app_name']}",
        "CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger "
        "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
        "DROP TABLE audit_accessevent",
        "SET session_replication_role = replica",
    ]
    # The session flags that once opened the log, then the same changes.
    flagged = [
        "SET casereview.audit_scrub = 'on'",
        "SELECT set_config('casereview.audit_scrub', 'on', false)",
    ]
    changes = ("UPDATE audit_accessevent SET summary = 'x'", "DELETE FROM audit_accessevent")
    tries = attempts + [f"{flag}; {change}" for flag in flagged for change in changes]
    allowed = []
    for statement in tries:
        try:
            with app.transaction():
                for part in statement.split("; "):
                    app.execute(part)
        except psycopg.Error:
            continue
        allowed.append(statement)
    assert allowed == []
    assert _rows(app) == before

    # The scrub: the owner's SECURITY DEFINER function, which the application may call.
    (count,) = app.execute("SELECT audit_accessevent_scrub(ARRAY[%s]::bigint[], now())", [row_id]).fetchone()
    assert count == 1
    scrubbed = app.execute(
        "SELECT summary, purpose, path, user_agent, ip_address, details, scrubbed_at IS NOT NULL, "
        "actor_username, action, case_reference FROM audit_accessevent WHERE id = %s",
        [row_id],
    ).fetchone()
    assert scrubbed == ("", "", "", "", None, {}, True, "wn-csm", "view", "WN-2026-0001")
    # Once scrubbed, the row is fixed again; the other row was untouched.
    with pytest.raises(psycopg.Error), app.transaction():
        app.execute("UPDATE audit_accessevent SET summary = 'back' WHERE id = %s", [row_id])
    assert app.execute("SELECT audit_accessevent_scrub(ARRAY[%s]::bigint[], now())", [row_id]).fetchone() == (
        0,
    )
    assert _rows(app)[1] == before[1]
    # Even the owner cannot delete from the log or rewrite its skeleton: the trigger stays for everyone.
    with pytest.raises(psycopg.Error), owner.transaction():
        owner.execute("DELETE FROM audit_accessevent")
    assert len(_rows(owner)) == 2
