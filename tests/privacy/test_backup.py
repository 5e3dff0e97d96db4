"""`casereview backup` / `casereview restore` (privacy/backup.py, ADR 0017): a rehearsed restore into an
empty database and files directory finds every case, letter and evidence file as it was, and the
deletions made after the backup (privacy.deletion_log) are made again. Runs on SQLite and on
PostgreSQL (`DATABASE_URL=… make test`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from casereview.applications.models import Application
from casereview.applications.services import application_withdraw
from casereview.letters.models import Letter
from casereview.letters.services import letter_issue
from casereview.privacy import services as privacy
from casereview.privacy.backup import _counts
from casereview.privacy.models import DeletionRecord, Disposal, EvidenceFile
from casereview.privacy.retention import erase_person
from tests.factories import make_application

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def key(settings):
    settings.CASEREVIEW_BACKUP_KEYS = [Fernet.generate_key().decode()]
    return settings.CASEREVIEW_BACKUP_KEYS[0]


@pytest.fixture
def world(demo, files_dir):
    """Two cases with letters and evidence, and a third, withdrawn, whose victim may ask for erasure."""
    csm = demo.user("wn-csm")
    cases = [
        make_application(demo.partnership(), victim_name=name, actor=csm, received_on=dt.date(2025, 4, 15))
        for name in ("Jo Bloggs", "Sam Steady")
    ]
    for case in cases:
        letter_issue(case=case, kind="acknowledgement", actor=csm)
        privacy.evidence_file_add(
            application=case, name="photo.png", content=PNG + case.reference.encode(), actor=csm
        )
    leaving = make_application(demo.partnership(), victim_name="Eve Erased", actor=csm)
    privacy.evidence_file_add(application=leaving, name="photo.png", content=PNG + b"eve", actor=csm)
    application_withdraw(
        application=leaving, actor=csm, reason="Moved away", withdrawn_on=dt.date(2025, 4, 20)
    )
    return {"cases": cases, "leaving": Application.objects.get(pk=leaving.pk), "csm": csm}


def file_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def wipe(files_dir: Path) -> None:
    """Lose everything: every table emptied, the files directory gone."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(files_dir)
    assert not Application.objects.exists() and not files_dir.exists()


def test_a_restore_into_an_empty_database_and_files_directory_finds_everything(
    world, files_dir, key, tmp_path
):
    counts, hashes = _counts(), file_hashes(files_dir)
    references = sorted(Application.objects.values_list("reference", flat=True))
    assert len(hashes) == 5 and counts["letters.letter"] == 2 and counts["privacy.evidencefile"] == 3
    archive = tmp_path / "backup.cbk"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "and 5 files" in out.getvalue() and "(encrypted)" in out.getvalue()
    sealed = archive.read_bytes()
    assert sealed[:2] != b"\x1f\x8b" and b"Jo Bloggs" not in sealed  # no data in clear

    wipe(files_dir)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "re-applied" in out.getvalue()

    assert _counts() == counts
    assert file_hashes(files_dir) == hashes
    assert sorted(Application.objects.values_list("reference", flat=True)) == references
    for letter in Letter.objects.all():
        assert hashlib.sha256(letter.pdf.read()).hexdigest() == letter.pdf_sha256
    for evidence in EvidenceFile.objects.all():
        assert (
            hashlib.sha256(privacy.evidence_file_path(evidence).read_bytes()).hexdigest() == evidence.sha256
        )


def test_an_erasure_made_after_the_backup_is_made_again_on_restore(world, files_dir, key, tmp_path, settings):
    archive = tmp_path / "backup.cbk"
    call_command("backup", str(archive), stdout=io.StringIO())
    leaving = world["leaving"]
    victim, evidence = leaving.victim, leaving.evidence_files.get()
    erase_person(victim, request_pk=7, actor=world["csm"])
    assert not Application.objects.filter(pk=leaving.pk).exists()
    log = Path(settings.CASEREVIEW_DELETION_LOG).read_text()
    assert "applications.application" in log and "Eve" not in log  # no personal data in the log

    wipe(files_dir)
    call_command("restore", str(archive), stdout=io.StringIO())

    assert not Application.objects.filter(pk=leaving.pk).exists()
    assert not type(victim).objects.filter(pk=victim.pk).exists()
    assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert not privacy.evidence_file_path(evidence).exists()  # its file went again too
    assert Application.objects.filter(pk__in=[c.pk for c in world["cases"]]).count() == 2
    assert DeletionRecord.objects.filter(reason__startswith="Re-applied after a restore").exists()
    assert Disposal.objects.filter(case_reference=leaving.reference, disposed_by="restore").exists()


def test_a_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(
    world, key, tmp_path, unchanged_rows
):
    archive = tmp_path / "backup.cbk"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = _counts()
    with unchanged_rows(), pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert _counts() == before


def test_an_encrypted_archive_needs_its_key_and_no_key_needs_saying_so(
    world, key, tmp_path, settings, unchanged_rows
):
    archive = tmp_path / "backup.cbk"
    call_command("backup", str(archive), stdout=io.StringIO())
    settings.CASEREVIEW_BACKUP_KEYS = [Fernet.generate_key().decode()]
    with (
        unchanged_rows(),
        pytest.raises(CommandError, match="cannot be decrypted with CASEREVIEW_BACKUP_KEY"),
    ):
        call_command("restore", str(archive), stdout=io.StringIO())
    settings.CASEREVIEW_BACKUP_KEYS = []
    with pytest.raises(CommandError, match="Set CASEREVIEW_BACKUP_KEY to encrypt the backup"):
        call_command("backup", str(tmp_path / "plain.cbk"), stdout=io.StringIO())
    call_command("backup", str(tmp_path / "plain.cbk"), "--no-encryption", stdout=io.StringIO())
    assert (tmp_path / "plain.cbk").read_bytes()[:2] == b"\x1f\x8b"
