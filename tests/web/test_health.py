"""/healthz and /readyz, and the production server's JSON logs without personal data."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import DatabaseError

from casereview.web import health
from casereview.web.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_without_a_session_or_an_allowed_host(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # a platform probe by IP address
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers and "sessionid" not in response.cookies


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_and_every_migration_is_applied(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_is_not_ready_with_migrations_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_unapplied_migrations", lambda connection: 2)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "migrations_pending", "unapplied": 2}


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable(connection):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "_unapplied_migrations", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "database_unreachable"}


def test_json_log_lines_leave_out_the_request_and_unknown_extras():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None
    )
    record.request = object()  # Django attaches the request: never written
    record.victim_name = "Margaret Okonkwo"  # an extra not on the safe list: never written
    record.status_code = 404
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Not Found: /x/" and line["status_code"] == 404 and line["level"] == "WARNING"
    assert set(line) == {"time", "level", "logger", "message", "status_code"}


@pytest.fixture
def gunicorn_server(tmp_path):
    """The production server as `make serve` starts it, on a socket bound to an ephemeral port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
        "CASEREVIEW_BIND": f"fd://{listener.fileno()}",
    }
    casereview = Path(sys.executable).parent / "casereview"
    subprocess.run([str(casereview), "migrate", "--no-input"], env=env, check=True, capture_output=True)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        pass_fds=[listener.fileno()],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    listener.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)  # noqa: S310 - a local test server
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn did not start: " + (process.stdout.read() if process.stdout else ""))
            time.sleep(0.3)
    yield base, process
    process.terminate()


def test_the_production_server_serves_pages_static_files_and_json_logs(gunicorn_server):
    base, process = gunicorn_server
    with urllib.request.urlopen(base + "/readyz", timeout=10) as response:  # noqa: S310
        assert json.load(response) == {"status": "ready"}
    with urllib.request.urlopen(base + "/static/govuk/govuk-frontend.min.css", timeout=10) as response:  # noqa: S310
        assert response.status == 200 and b"govuk" in response.read(2000)
    with urllib.request.urlopen(base + "/apply/?name=Margaret+Okonkwo", timeout=10) as response:  # noqa: S310
        assert response.status == 200
    process.terminate()
    logged = process.stdout.read()
    lines = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("message") == "request"]
    assert {"method": "GET", "path": "/apply/", "status": 200} in [
        {k: line[k] for k in ("method", "path", "status")} for line in access
    ]
    assert "Margaret" not in logged and "name=" not in logged
