"""Diary entries and uploads from the person's own view (ADR 0055): the type from the content, the
location gone from photos, held until the virus scanner (clamd, here a stand-in speaking its
protocol) clears them, stored outside the web root; each on the case's timeline for the SPOC."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casereview.applications.models import CaseEvent
from casereview.portal import clamd, services
from casereview.portal.models import DiaryEntry, Upload
from tests.portal.clamd_standin import EICAR, ClamdStandIn
from tests.portal.conftest import sign_in_as

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scanner(settings):
    standin = ClamdStandIn().start()
    settings.CASEREVIEW_CLAMD = standin.address
    yield standin
    standin.stop()


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def photo_with_location() -> bytes:
    image = Image.new("RGB", (16, 12), (200, 30, 30))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 14.0, 9.0)
    gps[3] = "W"
    gps[4] = (0.0, 53.0, 42.0)
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_the_adapter_speaks_instream(scanner):
    assert clamd.scan_bytes(b"%PDF-1.4 nothing") == clamd.ScanResult(clean=True)
    found = clamd.scan_bytes(b"%PDF-1.4\n" + EICAR + b"x" * 200_000)  # several chunks
    assert found == clamd.ScanResult(clean=False, signature="Eicar-Test-Signature")
    assert len(scanner.scanned[-1]) == 9 + len(EICAR) + 200_000


def test_no_scanner_configured_or_reachable_leaves_it_held(settings):
    settings.CASEREVIEW_CLAMD = ""
    with pytest.raises(clamd.ScannerUnavailable):
        clamd.scan_bytes(b"x")
    settings.CASEREVIEW_CLAMD = "127.0.0.1:9"  # discard: nobody listens
    with pytest.raises(clamd.ScannerUnavailable):
        clamd.scan_bytes(b"x")


def test_a_diary_entry_is_on_the_timeline_for_the_spoc(client, case):
    sign_in_as(client, case)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    response = client.post(
        "/my-review/diary/",
        {
            "occurred_on_day": yesterday.day,
            "occurred_on_month": yesterday.month,
            "occurred_on_year": yesterday.year,
            "time_of_day": "about 11pm",
            "what_happened": "Music and banging until 3am.",
        },
    )
    assert response["Location"] == "/my-review/"
    entry = DiaryEntry.objects.get(case=case)
    assert entry.occurred_on == yesterday and entry.role == "victim"
    event = CaseEvent.objects.get(application=case, kind="portal_diary_entry")
    assert "diary entry" in event.summary and "Music" not in event.summary


def test_a_diary_entry_needs_a_date_and_what_happened(client, case, unchanged_rows):
    sign_in_as(client, case)
    with unchanged_rows(DiaryEntry, CaseEvent):
        response = client.post("/my-review/diary/", {"what_happened": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert 'href="#id_what_happened"' in page and 'href="#id_occurred_on_day"' in page


def test_a_photo_loses_its_location_and_is_cleared_by_the_scanner(client, case, scanner):
    original = photo_with_location()
    assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)  # it had a location
    sign_in_as(client, case)
    response = client.post(
        "/my-review/upload/",
        {
            "file": SimpleUploadedFile("IMG_0001.JPG", original, content_type="image/jpeg"),
            "description": "The bins",
        },
    )
    assert response["Location"] == "/my-review/"
    upload = Upload.objects.get(case=case)
    stored = (Path(services.upload_dir()) / upload.stored_name).read_bytes()
    assert upload.location_removed and upload.content_type == "image/jpeg"
    exif = Image.open(BytesIO(stored)).getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif
    assert upload.original_name == "IMG_0001.jpg"
    # Outside the web root, readable by the service only.
    assert oct(Path(services.upload_dir(), upload.stored_name).stat().st_mode & 0o777) == "0o600"
    assert scanner.scanned and upload.scan_status == "clean"
    kinds = set(CaseEvent.objects.filter(application=case).values_list("kind", flat=True))
    assert {"portal_upload", "portal_upload_scanned"} <= kinds


def test_a_file_the_scanner_finds_is_deleted_and_refused(case, scanner):
    upload = services.upload_add(case=case, role="victim", name="letter.pdf", content=b"%PDF-1.4\n" + EICAR)
    upload.refresh_from_db()
    assert upload.scan_status == "infected" and upload.scan_result == "Eicar-Test-Signature"
    assert not services.upload_path(upload).exists()


def test_held_while_the_scanner_is_down_then_cleared_by_the_sweep(case, settings, scanner):
    address = settings.CASEREVIEW_CLAMD
    settings.CASEREVIEW_CLAMD = "127.0.0.1:9"
    upload = services.upload_add(case=case, role="victim", name="note.pdf", content=b"%PDF-1.4 a note")
    upload.refresh_from_db()
    assert upload.scan_status == "held"
    settings.CASEREVIEW_CLAMD = address
    assert services.uploads_scan_held() == {"clean": 1, "infected": 0, "held": 0}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),  # a web page named as a photo
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # a Windows program
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),  # says JPEG, is not an image
    ],
)
def test_what_is_not_a_photo_recording_or_document_is_refused(client, case, name, content, unchanged_rows):
    sign_in_as(client, case)
    with unchanged_rows(Upload, CaseEvent):
        response = client.post("/my-review/upload/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert "The selected file must be a photo" in response.content.decode()
    assert not list(Path(services.upload_dir()).iterdir())


def test_too_big_is_refused(client, case, settings, unchanged_rows):
    settings.CASEREVIEW_EVIDENCE_MAX_BYTES = 1000
    sign_in_as(client, case)
    with unchanged_rows(Upload, CaseEvent):
        response = client.post(
            "/my-review/upload/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"x" * 2000)}
        )
    assert "smaller than" in response.content.decode()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 64
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00\x00\x00\x08wide" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("clip.mp4", MP4, ("video/mp4", "mp4")),
        ("IMG_0002.MOV", MOV, ("video/quicktime", "mov")),
        ("clip.jpg", MP4, ("video/mp4", "mp4")),  # named as a photo, is a video: stored as what it is
    ],
)
def test_a_video_is_taken_by_its_content_not_its_name(case, name, content, stored_as):
    upload = services.upload_add(case=case, role="victim", name=name, content=content)
    assert (upload.content_type, upload.original_name.rsplit(".", 1)[1]) == stored_as
    assert not upload.location_removed  # videos keep their own metadata (ADR 0055, docs/portal.md)


def test_a_file_named_as_a_video_that_is_not_one_or_too_big_is_refused(case, settings, unchanged_rows):
    with unchanged_rows(Upload, CaseEvent):
        with pytest.raises(ValidationError, match="must be a photo"):
            services.upload_add(
                case=case, role="victim", name="clip.mp4", content=b"MZ\x90\x00" + b"\x00" * 200
            )
        settings.CASEREVIEW_EVIDENCE_MAX_BYTES = len(MP4) - 1
        with pytest.raises(ValidationError, match="must be smaller than"):
            services.upload_add(case=case, role="victim", name="clip.mp4", content=MP4)
