"""`/healthz` (the process is alive) and `/readyz` (it can serve: the database answers and every
migration is applied), for a load balancer or an orchestrator (docs/operations.md).

Answered by a middleware placed first, before the host check, sessions, sign-in and the access log:
a probe comes from the platform by IP address (not an allowed host), carries no session, and must
neither create one nor be written to the access log every few seconds. Neither address says
anything about the data: a status word, nothing else.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def _unapplied_migrations(connection) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Once every migration is applied, it stays applied while this code runs: later probes
        # only check the database answers (a migration plan costs a read of every migration file).
        self.migrated = False

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path == HEALTH_PATH:
            return self._response({"status": "ok"}, 200)
        if path == READY_PATH:
            return self._ready()
        return self.get_response(request)

    def _ready(self):
        connection = connections["default"]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            if not self.migrated:
                unapplied = _unapplied_migrations(connection)
                if unapplied:
                    return self._response({"status": "migrations_pending", "unapplied": unapplied}, 503)
                self.migrated = True
        except DatabaseError as error:
            logger.warning("Readiness check: the database is not reachable (%s)", type(error).__name__)
            return self._response({"status": "database_unreachable"}, 503)
        return self._response({"status": "ready"}, 200)

    @staticmethod
    def _response(body: dict, status: int):
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        return response
