"""The deletion log: every erasure and retention deletion, kept so a restore can make them again.

A backup taken on Monday still holds a case erased on Tuesday. Restoring it on Wednesday must not
bring that case back (UK GDPR Art. 17; the ICO's guidance on backups: put the data "beyond use" and
re-apply the erasure if the backup is ever restored). So each deletion the retention schedule or an
erasure request makes is written down — the model, the primary keys, when and why, never personal
data — twice: a `DeletionRecord` row in the same transaction, and, once it commits, a line in the
file `CASEREVIEW_DELETION_LOG`, kept apart from the database and the files directory so it outlives
losing both. `casereview restore` replays the file (`deletion_log_replay`) through the same
disposal code, so the files on disk and the access log's rows go as they went the first time.
Primary keys are never reused (AUTOINCREMENT on SQLite, sequences on PostgreSQL), so replaying an
entry older than the backup finds nothing and does nothing.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import DeletionRecord

_replaying = contextvars.ContextVar("deletion_log_replaying", default=False)

# What must change with another app's rows when the retention schedule (or a replay) deletes them,
# registered at ready() by the app that owns them (reports: the daily counts). Keyed by the model's
# label in lower case, e.g. "reports.report"; `hook(rows)` runs in the deleting transaction, before
# the rows go. This app imports none of those apps (ADR 0037).
_before_delete: dict[str, Callable] = {}


def register_before_delete(model_label: str, hook: Callable) -> None:
    _before_delete[model_label.lower()] = hook


def before_delete(model_label: str, rows: list) -> None:
    hook = _before_delete.get(model_label.lower())
    if hook is not None:
        hook(rows)


def deletion_log_record(*, model_label: str, pks: Iterable, reason: str) -> DeletionRecord | None:
    """Note a deletion, inside the transaction that makes it. Nothing is noted for no keys."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return None
    record = DeletionRecord.objects.create(
        model_label=model_label.lower(), object_pks=pks, deleted_at=timezone.now(), reason=reason[:300]
    )
    if not _replaying.get():  # a replayed entry is in the file already
        entry = {
            "model": record.model_label,
            "pks": pks,
            "at": record.deleted_at.isoformat(),
            "reason": record.reason,
        }
        transaction.on_commit(lambda: _append(entry))
    return record


def _append(entry: dict) -> None:
    path = Path(settings.CASEREVIEW_DELETION_LOG)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def deletion_log_entries(path: Path | None = None) -> list[dict]:
    """The file's entries, oldest first; none when there is no file yet."""
    path = Path(path or settings.CASEREVIEW_DELETION_LOG)
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            entry["at"] = dt.datetime.fromisoformat(entry["at"])
            entry["model"], entry["pks"] = str(entry["model"]), list(entry["pks"])
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: line {number} is not a deletion log entry ({error})") from error
        entries.append(entry)
    return sorted(entries, key=lambda e: e["at"])


def deletion_log_replay(entries: Iterable[dict]) -> int:
    """Make each entry's deletion again where its records are back (after a restore); returns the
    number of records deleted. Each entry goes the way it went the first time: a case (of any kind)
    through `retention.dispose` (its files and the access log's rows with it), a person as an erasure does,
    an outbox message by blanking its text and address again (the row is the record that it went)."""
    token = _replaying.set(True)
    try:
        return sum(_replay_one(entry) for entry in entries)
    finally:
        _replaying.reset(token)


def _replay_one(entry: dict) -> int:
    from casereview.audit.services import access_events_scrub

    from . import retention

    reason = f"Re-applied after a restore: {entry.get('reason', '')}"
    model = apps.get_model(entry["model"])
    present = list(model.objects.filter(pk__in=entry["pks"]))
    if not present:
        return 0
    if entry["model"] == "notifications.message":  # the row stays as the record; its text goes
        with transaction.atomic():
            blank = [row.pk for row in present if row.body_deleted_at is None]
            model.objects.filter(pk__in=blank).update(**retention.message_body_blanked(timezone.now()))
            if blank:
                deletion_log_record(model_label=entry["model"], pks=blank, reason=reason)
        return len(blank)
    if entry["model"] in ("applications.application", "applications.case"):
        # A case of any kind goes as it went: through retention.dispose (a standing panel's case:
        # its app's own records of it, its letters and files, the people only it held).
        for case in present:
            closed_on = retention.closure_date(case) or case.received_on
            rule = retention.case_kind_retention(case.kind)
            retention.dispose(
                retention.Due(
                    case,
                    closed_on,
                    closed_on,
                    False,
                    reason,
                    record_kind=rule.schedule_key if rule else "case",
                ),
                actor_name="restore",
            )
        return len(present)
    with transaction.atomic():
        pks = [row.pk for row in present]
        if entry["model"] == "applications.person":
            from casereview.applications.services import case_applicants_remove

            names = [n for p in present for n in (p.full_name, p.organisation_name) if n]
            case_applicants_remove(person_ids=pks)
            model.objects.filter(pk__in=pks).delete()
            access_events_scrub(object_type="applications.person", object_ids=pks, names=names)
        else:
            before_delete(entry["model"], present)
            model.objects.filter(pk__in=pks).delete()
            access_events_scrub(object_type=entry["model"], object_ids=pks)
        deletion_log_record(model_label=entry["model"], pks=pks, reason=reason)
    return len(present)
