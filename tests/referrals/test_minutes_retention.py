"""A standing panel's minutes as issued (letters of no case) on the retention schedule
(referrals.retention, docs/referrals.md, docs/data-protection.md): kept for the schedule's years from
the meeting's day, then deleted by `casereview retention --confirm` with their letters, dispatches
and PDFs, in the deletion log; a document holding a case under a legal hold stays while it stands."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from casereview.letters.models import Letter, LetterDispatch
from casereview.privacy.models import DeletionRecord
from casereview.privacy.services import legal_hold_lift, legal_hold_place
from casereview.referrals import meetings
from casereview.referrals.models import MinutesDocument
from tests.referrals.conftest import agency, refer
from tests.referrals.test_standing_panels_more import DISCUSSIONS, held

pytestmark = pytest.mark.django_db


# The meeting sits (and is held) on 12 May 2026: six years on is 12 May 2032.
THE_DAY_BEFORE, THE_DAY = "2032-05-11", "2032-05-12"


def _sweep(as_of: str, *, dry_run: bool = False) -> str:
    out = io.StringIO()
    call_command("retention", "--dry-run" if dry_run else "--confirm", "--as-of", as_of, stdout=out)
    return out.getvalue()


def test_minutes_go_six_years_after_the_meeting_unless_a_case_in_them_is_held(
    demo,
    islington,
    cmarac,
    media,
    emails,
    django_capture_on_commit_callbacks,
):
    csm = demo.user("is-csm")
    refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    sam = refer(demo, islington, cmarac, name="Sam Smith", by="is-police")
    meeting = held(demo, islington, cmarac, DISCUSSIONS)
    meetings.minutes_issue(meeting=meeting, actor=csm, read_issues=0)
    # Issued again: each agency's second letter supersedes its first (both kept until they go).
    meetings.minutes_issue(meeting=meeting, actor=csm, read_issues=1, reason="The review date was wrong.")
    documents = {(d.agency.kind, d.issue): d for d in MinutesDocument.objects.select_related("agency")}
    assert sorted(documents) == [(k, i) for k in ("council", "housing", "police") for i in (1, 2)]
    police = agency(islington, "police")
    hold = legal_hold_place(application=sam.case, reason="A claim about the police's case", actor=csm)
    files = {d.letter.pdf.name for d in documents.values()}
    assert all((media / name).is_file() for name in files)

    # The day before six years: nothing is due, nothing goes.
    assert "panel minutes" not in _sweep(THE_DAY_BEFORE, dry_run=True)
    _sweep(THE_DAY_BEFORE)
    assert MinutesDocument.objects.count() == 6

    # Six years on: all but the police's (which hold the held case) are due, and go.
    assert "4 panel minutes document(s): minutes of standing panel meetings" in _sweep(THE_DAY, dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        out = _sweep(THE_DAY)
    assert "4 panel minutes document(s) deleted, with their letters" in out
    left = list(MinutesDocument.objects.all())
    assert {(d.agency_id, d.issue) for d in left} == {(police.pk, 1), (police.pk, 2)}
    gone = [d for d in documents.values() if d.agency_id != police.pk]
    gone_letters = [d.letter_id for d in gone]
    assert not Letter.objects.filter(pk__in=gone_letters).exists()
    assert not LetterDispatch.objects.filter(letter_id__in=gone_letters).exists()
    assert not any((media / d.letter.pdf.name).exists() for d in gone)
    assert all((media / d.letter.pdf.name).is_file() for d in left)
    logged = DeletionRecord.objects.filter(model_label="letters.letter").values_list("object_pks", flat=True)
    assert sorted(pk for pks in logged for pk in pks) == sorted(gone_letters)
    # The cases keep their timelines: the minutes' issue stays recorded on each.
    assert sam.case.events.filter(kind="panel_minutes_issued").count() == 2

    # The hold lifted: the police's go on the next run.
    legal_hold_lift(hold=hold, reason="The claim is settled", actor=csm)
    _sweep(THE_DAY)
    assert not MinutesDocument.objects.exists()
    assert not Letter.objects.filter(kind="standing_panel_minutes").exists()
