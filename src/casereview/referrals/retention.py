"""Retention of a standing panel's minutes as issued (docs/referrals.md, docs/data-protection.md).

Each agency's minutes of a held meeting are a letter of no case (`MinutesDocument`, ADR 0086): the
case review's own schedule, which deletes a case with its letters, never reaches them. They are
kept for the schedule's years (`panel_minutes`, the case schedule's years by default, as the
panel's other records: the cases' discussions and timelines) from the day the meeting was held (or
was to sit), then deleted — the document, its letter, the letter's dispatches and its PDF — with
the access log's rows about the letters scrubbed and each deletion in the deletion log. A document
holding a case under a legal hold stays while the hold stands. Every issue of a meeting's minutes
goes together (they share the meeting's date), newest first, so a re-issue goes before the issue it
superseded. The cases' own `panel_minutes_issued` events stay on their timelines.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce

from casereview.letters.services import letter_files_remove, letters_delete
from casereview.privacy.retention import add_years, cases_under_legal_hold

from .models import MinutesDocument

BATCH = 500


def years() -> int:
    overrides = getattr(settings, "CASEREVIEW_RETENTION_SCHEDULE", {})
    return overrides.get("panel_minutes", settings.CASEREVIEW_RETENTION_YEARS)


def cutoff(today: dt.date) -> dt.date:
    """The last meeting day whose minutes are due on `today`."""
    return add_years(today, -years())


def due(*, today: dt.date, partnership=None) -> list[MinutesDocument]:
    """The minutes documents due to go on `today`: of meetings held (or to sit) on or before the
    cutoff, less those holding a case under a legal hold."""
    documents = (
        MinutesDocument.objects.annotate(day=Coalesce("meeting__held_on", "meeting__meeting_on"))
        .filter(day__lte=cutoff(today))
        .order_by("pk")
    )
    if partnership is not None:
        documents = documents.filter(meeting__partnership=partnership)
    documents = list(documents)
    held = cases_under_legal_hold({pk for document in documents for pk in document.case_ids})
    return [document for document in documents if not held.intersection(document.case_ids)]


def _reason(today: dt.date) -> str:
    return (
        f"minutes of standing panel meetings held {years()} years ago or more "
        f"(on or before {cutoff(today):%-d %B %Y})"
    )


def planned_line(*, today: dt.date, partnership=None) -> str:
    count = len(due(today=today, partnership=partnership))
    return f"{count:,} panel minutes document(s): {_reason(today)}" if count else ""


def disposed_line(*, today: dt.date, partnership=None, actor_name: str) -> str:
    from casereview.audit.services import access_events_scrub
    from casereview.privacy.deletion_log import deletion_log_record

    deleted = 0
    documents = due(today=today, partnership=partnership)
    for start in range(0, len(documents), BATCH):
        batch = documents[start : start + BATCH]
        with transaction.atomic():
            ids = [document.pk for document in batch]
            letter_ids = [document.letter_id for document in batch]
            MinutesDocument.objects.filter(pk__in=ids).delete()
            files = letters_delete(letter_ids=letter_ids)
            transaction.on_commit(lambda files=files: letter_files_remove(files))
            access_events_scrub(object_type="letters.letter", object_ids=letter_ids)
            deletion_log_record(model_label="referrals.MinutesDocument", pks=ids, reason=_reason(today))
            deletion_log_record(model_label="letters.Letter", pks=letter_ids, reason=_reason(today))
            deleted += len(ids)
    return f"{deleted:,} panel minutes document(s) deleted, with their letters" if deleted else ""
