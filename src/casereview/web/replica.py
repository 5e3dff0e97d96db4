"""Reads that tolerate a second's lag go to a read replica, when there is one (ADR 0044).

`DATABASE_REPLICA_URL` (settings.py) adds a "replica" database alias: a PostgreSQL streaming
replica of the primary (docs/operations.md). Nothing is read from it unless a view asks, with
`@lag_tolerant`, for the pages whose figures may be a second old: the statistics page and its CSV,
the report log's analytics (hotspots, hotspot history, repeat callers, the weekly summary) and the
access log's export. Inside such a view `ReplicaRouter` sends reads to the replica, except:

- inside a transaction on the primary (`transaction.atomic()`): the transaction's own rows, and
  its locks, are on the primary;
- after a write in the same view: the view reads what it wrote (read-your-writes);
- when there is no replica alias: everything is on the primary, as it always was.

Writes never go to the replica: every write is routed to the primary, including the save of an
object that was read from the replica. Everything outside a `@lag_tolerant` view (sign-in, the
session, the access log, every case page, every form) reads and writes the primary.
"""

from __future__ import annotations

import contextlib
import functools
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_lag_tolerant: ContextVar[bool] = ContextVar("lag_tolerant_reads", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote_since_lag_tolerant", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def lag_tolerant_reads():
    """Within the block, reads may be served by the replica (see the module's rules)."""
    tolerant, wrote = _lag_tolerant.set(True), _wrote.set(False)
    try:
        yield
    finally:
        _wrote.reset(wrote)
        _lag_tolerant.reset(tolerant)


def lag_tolerant(view):
    """A view whose reads may be a second behind the primary (a dashboard, statistics, an export)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        # Who is signed in (the session, the user) is read from the primary first: a session made a
        # moment ago may not have reached the replica yet.
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - evaluates the lazy user now
        with lag_tolerant_reads():
            return view(request, *args, **kwargs)

    return wrapped


def _from_replica(hints) -> bool:
    instance = hints.get("instance")
    return instance is not None and instance._state.db == REPLICA


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: the replica for lag-tolerant reads, the primary for the rest."""

    def db_for_read(self, model, **hints):
        if (
            _lag_tolerant.get()
            and not _wrote.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        # A related object of one read from the replica, read now that the rules say primary.
        return DEFAULT_DB_ALIAS if _from_replica(hints) else None

    def db_for_write(self, model, **hints):
        if _lag_tolerant.get():
            _wrote.set(True)
        # Django would otherwise save an object where it was read from: never the replica.
        return DEFAULT_DB_ALIAS if _from_replica(hints) else None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by streaming replication: never migrated itself.
        return False if db == REPLICA else None
