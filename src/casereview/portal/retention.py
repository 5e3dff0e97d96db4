"""The uploads' part of the retention schedule (`casereview retention`, registered at ready()).

Diary entries and uploads belong to their case: they go when the case's own retention deletes it
(their rows cascade). What is left to dispose of here: the files of uploads whose row is gone (the
case was deleted) and the rows of uploads the virus scanner refused, after REFUSED_KEPT (their
file went at once) — so the SPOC can still see that one was refused, for a while.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import ScanStatus, Upload

REFUSED_KEPT = dt.timedelta(days=30)
GRACE = dt.timedelta(days=1)


def _orphans(now: dt.datetime) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "portal"
    if not folder.is_dir():
        return []
    known = set(Upload.objects.values_list("stored_name", flat=True))
    cutoff = (now - GRACE).timestamp()
    return [p for p in folder.iterdir() if p.is_file() and p.name not in known and p.stat().st_mtime < cutoff]


def _refused(now: dt.datetime):
    return Upload.objects.filter(scan_status=ScanStatus.INFECTED, scanned_at__lt=now - REFUSED_KEPT)


def uploads_plan(*, today, partnership=None) -> str:
    now = timezone.now()
    orphans, refused = len(_orphans(now)), _refused(now).count()
    if not orphans and not refused:
        return ""
    return (
        f"Own view uploads: {orphans} file(s) of deleted cases, {refused} refused upload record(s) to delete."
    )


def uploads_dispose(*, today, partnership=None, actor_name: str) -> str:
    now = timezone.now()
    orphans = _orphans(now)
    for path in orphans:
        path.unlink(missing_ok=True)
    refused, _ = _refused(now).delete()
    if not orphans and not refused:
        return ""
    return (
        f"Own view uploads: deleted {len(orphans)} file(s) of deleted cases, "
        f"{refused} refused upload record(s)."
    )
