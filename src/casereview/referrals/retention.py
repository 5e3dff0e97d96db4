"""Retention of a standing panel's cases and minutes (docs/referrals.md, docs/data-protection.md).

**The cases** (kind "panel:<code>") are on the case schedule of `privacy.retention` (ADR 0095): a
case closed (with the panel's agreement, or turned away) is kept for the `panel_case` years from the
day it closed — its `panel_case_closed` status change — then disposed of by `retention.dispose`,
which asks this module to delete this app's own records of it first (`panel_cases_records_delete`:
the referral, the items it was heard as and what agencies shared for them) and names its kind in
words (`panel_case_words`: the panel's name in the local policy). Registered in `apps.ready()`.

**The minutes as issued:**

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

from casereview.core.case_kinds import PANEL_CASE_PREFIX
from casereview.letters.services import letter_files_remove, letters_delete
from casereview.privacy.retention import add_years, cases_under_legal_hold

from .models import AgencyShare, MeetingItem, MinutesDocument, Referral

BATCH = 500


def panel_case_words(case) -> str:
    """A standing panel's case's kind in words: the panel's name in the partnership's local policy
    ("Community MARAC"), or the kind's table's label for a panel the policy no longer declares."""
    kind = case.partnership.policy.panel_kind(case.kind.removeprefix(PANEL_CASE_PREFIX))
    return kind.name if kind is not None else case.kind_table.label


def panel_cases_records_delete(*, case_ids) -> dict[str, list[int]]:
    """Delete this app's own records of these panel cases at the end of their retention, inside the
    disposal's transaction and before the cases go (privacy.retention.dispose): the referral (with
    its household list), each item the case was heard as at a meeting (its discussion, risk and
    close agreement) and what agencies shared for it. The meetings stay — other cases' items, the
    attendance, and the minutes as issued, on their own schedule below. Returns the keys deleted,
    by model, for the deletion log and the access log's scrub."""
    case_ids = list(case_ids)
    referrals = list(Referral.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    items = list(MeetingItem.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    shares = list(AgencyShare.objects.filter(item_id__in=items).values_list("pk", flat=True))
    AgencyShare.objects.filter(pk__in=shares).delete()
    MeetingItem.objects.filter(pk__in=items).delete()
    Referral.objects.filter(pk__in=referrals).delete()
    return {"referrals.referral": referrals, "referrals.meetingitem": items, "referrals.agencyshare": shares}


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
