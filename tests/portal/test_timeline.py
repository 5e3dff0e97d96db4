"""The SPOC sees each thing the person did from their own view on the case's timeline: a diary
entry, an upload, their view for the panel, an appeal, a withdrawal (issue 19, "Done when")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from casereview.appeals.selectors import grounds_for
from casereview.panels import services as panel_services
from tests.panels.helpers import schedule
from tests.panels.test_outcome import SAFE_SUMMARY, agreed_plan
from tests.portal.conftest import sign_in_as
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db


def _timeline(client, demo, application) -> str:
    client.force_login(demo.user("wn-spoc"))
    page = client.get(f"/cases/{application.reference}/timeline/")  # the whole timeline (ADR 0093)
    assert page.status_code == 200
    return page.content.decode()


def test_the_spoc_sees_the_diary_entry_the_upload_and_the_view(client, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    person = Client()
    sign_in_as(person, application)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    person.post(
        "/my-review/diary/",
        {
            "occurred_on_day": yesterday.day,
            "occurred_on_month": yesterday.month,
            "occurred_on_year": yesterday.year,
            "what_happened": "Shouting on the landing.",
        },
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    person.post("/my-review/upload/", {"file": SimpleUploadedFile("note.pdf", b"%PDF-1.4 a note")})
    person.post(f"/my-review/panel/{meeting.pk}/your-view/", {"how": "attend"})
    page = _timeline(client, demo, application)
    assert f"The victim added a diary entry for {yesterday:%-d %B %Y}, for the SPOC to review." in page
    assert "The victim sent a file (held until the virus scanner clears it)." in page
    assert (
        "The victim said how their voice is heard at the panel: coming to the start of the meeting." in page
    )


def test_the_spoc_sees_the_appeal_and_the_withdrawal(client, demo):
    application, meeting = agreed_plan(demo)
    panel_services.outcome_letter_issue(
        meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY
    )
    person = Client()
    sign_in_as(person, application)
    grounds = [code for code, _ in grounds_for(application, "review_outcome")]
    person.post("/my-review/appeal/", {"grounds": grounds[:1], "explanation": "Nothing has changed."})
    page = _timeline(client, demo, application)
    assert "The victim lodged an appeal from their own view." in page
    other = in_review_application(demo)
    sign_in_as(person, other)
    person.post("/my-review/withdraw/", {"reason": ""})
    page = _timeline(client, demo, other)
    assert "The victim withdrew the application from their own view." in page
