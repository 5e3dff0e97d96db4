"""Uploads and diary entries follow the retention schedule (ADR 0055): they are the case's and go
when the case is deleted at the end of its retention period; the files of deleted cases' uploads and
the records of refused uploads (after 30 days) go through the portal's registered schedule."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from casereview.applications.models import Application
from casereview.portal import services
from casereview.portal.models import DiaryEntry, Upload
from casereview.privacy import retention
from tests.factories import make_application
from tests.portal.clamd_standin import EICAR, ClamdStandIn

pytestmark = pytest.mark.django_db(transaction=True)

RECEIVED = dt.date(2019, 6, 3)


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def scanner(settings):
    standin = ClamdStandIn().start()
    settings.CASEREVIEW_CLAMD = standin.address
    yield standin
    standin.stop()


def _age(path, days: int) -> None:
    when = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def test_a_deleted_cases_diary_and_uploads_go_with_it_and_then_their_files(demo, scanner):
    case = make_application(demo.partnership(), received_on=RECEIVED)
    services.diary_entry_add(
        case=case,
        role="victim",
        occurred_on=dt.date(2019, 6, 10),
        what_happened="Shouting.",
        today=dt.date(2019, 6, 11),
    )
    upload = services.upload_add(case=case, role="victim", name="note.pdf", content=b"%PDF-1.4 a note")
    path = services.upload_path(upload)
    assert path.exists()
    services.withdraw(case=case, role="victim", reason="", today=dt.date(2019, 7, 1))
    today = timezone.localdate()
    (due,) = [d for d in retention.plan(today=today) if d.application.pk == case.pk]
    assert due.due_on <= today  # six years from withdrawal

    results = {d.application.reference: outcome for d, outcome in retention.run(today=today)}
    assert results[case.reference] == "deleted"
    assert not Application.objects.filter(pk=case.pk).exists()
    assert not DiaryEntry.objects.filter(pk__gt=0).exists() and not Upload.objects.exists()
    # The file outlives its row for a day (a backup being restored may still name it), then goes.
    retention.registered_dispose(today=today, actor_name="test")
    assert path.exists()
    _age(path, 2)
    assert any("1 file(s) of deleted cases" in line for line in retention.registered_plans(today=today))
    lines = retention.registered_dispose(today=today, actor_name="test")
    assert "Own view uploads: deleted 1 file(s) of deleted cases, 0 refused upload record(s)." in lines
    assert not path.exists()


def test_a_refused_uploads_record_is_kept_30_days_then_deleted(demo, scanner):
    case = make_application(demo.partnership(), received_on=timezone.localdate())
    refused = services.upload_add(case=case, role="victim", name="bad.pdf", content=b"%PDF-1.4\n" + EICAR)
    kept = services.upload_add(case=case, role="victim", name="good.pdf", content=b"%PDF-1.4 fine")
    assert Upload.objects.get(pk=refused.pk).scan_status == "infected"
    today = timezone.localdate()
    assert retention.registered_dispose(today=today, actor_name="test") == []
    Upload.objects.filter(pk=refused.pk).update(scanned_at=timezone.now() - dt.timedelta(days=31))
    lines = retention.registered_dispose(today=today, actor_name="test")
    assert "Own view uploads: deleted 0 file(s) of deleted cases, 1 refused upload record(s)." in lines
    assert list(Upload.objects.values_list("pk", flat=True)) == [kept.pk]
    assert services.upload_path(Upload.objects.get()).exists()  # a cleared upload of a kept case stays
