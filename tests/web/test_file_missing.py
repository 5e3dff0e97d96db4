"""A download whose stored file is missing (or not the file saved) answers with a page saying what
happened and who to contact — a 404, never a server error (web.views.file_missing_page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casereview.letters.services import letter_issue
from casereview.privacy import services as privacy
from tests.factories import make_application

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return make_application(demo.partnership(), actor=demo.user("wn-csm"))


def test_a_letter_whose_file_is_gone_says_so_and_who_to_contact(client, demo, case):
    letter = letter_issue(case=case, kind="acknowledgement", actor=demo.user("wn-csm"))
    letter.pdf.storage.delete(letter.pdf.name)
    client.force_login(demo.user("wn-csm"))
    response = client.get(reverse("letters:download", args=[letter.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "This file is not available" in html and "missing from the system" in html
    assert "Who to contact" in html and case.reference in html and f"letter {letter.pk}" in html


def test_a_letter_whose_file_changed_is_not_sent(client, demo, case):
    letter = letter_issue(case=case, kind="acknowledgement", actor=demo.user("wn-csm"))
    with letter.pdf.storage.open(letter.pdf.name, "wb") as handle:
        handle.write(b"%PDF-1.4 something else")
    client.force_login(demo.user("wn-csm"))
    response = client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 404
    assert "changed or damaged" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_an_evidence_file_whose_file_is_gone_says_so(client, demo, case):
    evidence = privacy.evidence_file_add(
        application=case, name="photo.png", content=PNG, actor=demo.user("wn-csm")
    )
    privacy.evidence_file_path(evidence).unlink()
    client.force_login(demo.user("wn-csm"))
    response = client.get(reverse("privacy:evidence", args=[evidence.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "The evidence file is recorded on case" in html and case.reference in html
