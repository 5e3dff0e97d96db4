"""Stored files that no record refers to any more (docs/data-protection.md, "Stored files").

A letter's PDF and an evidence file are written to disk inside the transaction that records them,
and removed again if that write fails. But when an *outer* transaction rolls back after the file
was written — a decision that issues its letter and then fails — the database forgets the letter
and the file stays, holding personal data nobody can reach through the product. These files are
found by comparing the folders with the records, and removed by `casereview orphan-files`.
Files younger than a grace period are left alone: their transaction may still be open.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone

GRACE = dt.timedelta(hours=1)


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def orphan_files(*, now: dt.datetime | None = None, grace: dt.timedelta = GRACE) -> list[Path]:
    """Files under the letters and evidence folders that no Letter or EvidenceFile names, last
    changed more than `grace` ago."""
    from casereview.letters.selectors import letter_pdf_names

    from .models import EvidenceFile

    media = Path(settings.MEDIA_ROOT)
    evidence = media / "evidence"
    known = {(media / name).resolve() for name in letter_pdf_names() if name}
    known |= {
        (evidence / name).resolve() for name in EvidenceFile.objects.values_list("stored_name", flat=True)
    }
    cutoff = (now or timezone.now()).timestamp() - grace.total_seconds()
    return [
        path
        for path in _files_under(media / "letters") + _files_under(evidence)
        if path.resolve() not in known and path.stat().st_mtime < cutoff
    ]


def orphan_files_delete(paths: list[Path], *, actor_name: str) -> int:
    """Delete the given orphan files and record how many in the access log (no names: a file's
    name is a random token, and its contents are what must go)."""
    from casereview.audit.services import Action, access_event_record

    for path in paths:
        path.unlink(missing_ok=True)
    if paths:
        access_event_record(
            action=Action.RETENTION,
            summary=f"Deleted {len(paths)} stored file(s) that no record refers to",
            details={"by": actor_name, "files": len(paths)},
        )
    return len(paths)
