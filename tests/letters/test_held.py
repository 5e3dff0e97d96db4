"""A letter whose perpetrator detail is also the recipient's own is held for a manager (issue 13):
never silently sent, never refused outright, never a dead end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casereview.applications.models import AllegedPerpetrator, CaseEvent
from casereview.letters.models import Letter
from casereview.letters.services import LetterError, LetterPermissionError, letter_issue, letter_release

from .conftest import record_decision


@pytest.fixture
def relative(case):
    """The victim is Jo Bloggs; the alleged perpetrator a relative who shares the surname."""
    return AllegedPerpetrator.objects.create(
        application=case, name="Darren Bloggs", address="9 Quarry Road\nDaventry\nNN11 4HB"
    )


def _events(case, kind):
    return list(CaseEvent.objects.filter(application=case, kind=kind))


def test_a_shared_surname_holds_the_letter_and_it_is_not_issued(case, csm, relative, media_root):
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    assert letter.is_held
    assert "name of alleged perpetrator 1" in letter.held_findings
    assert "manager" in letter.held_findings
    assert len(_events(case, "letter_held")) == 1
    assert _events(case, "letter_issued") == []  # no clock starts, nothing is sent
    assert "Bloggs" not in _events(case, "letter_held")[0].summary


def test_a_detail_not_shared_is_still_refused(case, csm, relative, media_root, unchanged_rows):
    record_decision(case, csm, decision="declined", reasons="Darren was warned.")
    with unchanged_rows(), pytest.raises(LetterError):
        letter_issue(case=case, kind="threshold_not_met", actor=csm)
    assert Letter.objects.count() == 0


def test_only_a_manager_releases_with_a_reason_recorded(
    case, csm, relative, demo, media_root, unchanged_rows
):
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    spoc = demo.user("wn-spoc")
    with unchanged_rows(), pytest.raises(LetterPermissionError):
        letter_release(letter=letter, actor=spoc, reason="They are family")
    with unchanged_rows(), pytest.raises(LetterPermissionError):
        letter_release(letter=letter, actor=demo.user("is-csm"), reason="x")
    with unchanged_rows(), pytest.raises(ValidationError):
        letter_release(letter=letter, actor=csm, reason="  ")
    letter.refresh_from_db()
    assert letter.is_held and _events(case, "letter_released") == []

    senior = demo.user("wn-senior")
    released = letter_release(letter=letter, actor=senior, reason="The surname is the victim's own.")
    assert not released.is_held and released.released_by == senior
    (event,) = _events(case, "letter_released")
    assert "The surname is the victim's own." in event.summary and event.actor == senior
    assert len(_events(case, "letter_issued")) == 1  # counted as issued from the release
    with unchanged_rows(), pytest.raises(LetterError):
        letter_release(letter=released, actor=senior, reason="again")
    assert len(_events(case, "letter_released")) == 1


def test_the_release_pages(client, case, csm, relative, demo, media_root):
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    client.force_login(demo.user("wn-police"))
    assert client.get(reverse("letters:held")).status_code == 404
    assert client.get(reverse("letters:release", args=[letter.pk])).status_code == 404

    client.force_login(csm)
    listing = client.get(reverse("letters:held")).content.decode()
    assert reverse("letters:release", args=[letter.pk]) in listing
    detail = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "This letter is held" in detail and reverse("letters:release", args=[letter.pk]) in detail
    page = client.get(reverse("letters:release", args=[letter.pk])).content.decode()
    assert "name of alleged perpetrator 1" in page

    refused = client.post(reverse("letters:release", args=[letter.pk]), {"reason": ""})
    assert refused.status_code == 200 and "Say why this detail may be sent" in refused.content.decode()
    letter.refresh_from_db()
    assert letter.is_held

    done = client.post(reverse("letters:release", args=[letter.pk]), {"reason": "Family: already known."})
    assert done.status_code == 302
    letter.refresh_from_db()
    assert not letter.is_held and letter.release_reason == "Family: already known."
    assert letter.released_at.date() <= dt.date.today()
