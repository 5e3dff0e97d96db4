"""What the victim's side sent from their own view, as the staff see it on the case (ADR 0072): the
case page's section with every diary entry and upload and its scan status, a cleared upload
downloaded (access-logged, from outside the web root), a held or refused one never served, a
missing or changed file a clear page, and a diary entry marked reviewed or turned into an incident
by the SPOC — and nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from casereview.applications.models import CaseEvent, Incident
from casereview.audit.models import AccessEvent
from casereview.portal import services
from casereview.portal.models import DiaryEntry, Upload
from tests.conftest import VerifiedClient
from tests.portal.clamd_standin import EICAR, ClamdStandIn
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4 the landlord's reply"


@pytest.fixture
def scanner(settings):
    standin = ClamdStandIn().start()
    settings.CASEREVIEW_CLAMD = standin.address
    yield standin
    standin.stop()


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def case(demo):
    return in_review_application(demo)


@pytest.fixture
def sent(case, scanner, settings):
    """A diary entry, and three uploads: cleared, refused (infected), held (scanner down)."""
    entry = services.diary_entry_add(
        case=case,
        role="victim",
        occurred_on=dt.date.today() - dt.timedelta(days=1),
        what_happened="Shouting on the landing until 2am.",
        where="Second floor landing",
        time_of_day="about 11pm",
    )
    clean = services.upload_add(case=case, role="victim", name="reply.pdf", content=PDF, description="Letter")
    infected = services.upload_add(case=case, role="victim", name="bad.pdf", content=b"%PDF-1.4\n" + EICAR)
    address = settings.CASEREVIEW_CLAMD
    settings.CASEREVIEW_CLAMD = "127.0.0.1:9"
    held = services.upload_add(case=case, role="applicant", name="later.pdf", content=b"%PDF-1.4 later")
    settings.CASEREVIEW_CLAMD = address
    return entry, *(Upload.objects.get(pk=u.pk) for u in (clean, infected, held))


def staff(demo, username: str) -> Client:
    client = type("Client", (VerifiedClient, Client), {})()
    client.force_login(demo.user(username))
    return client


def test_the_spoc_sees_each_diary_entry_and_upload_with_its_scan_status(demo, case, sent):
    entry, clean, infected, held = sent
    assert (clean.scan_status, infected.scan_status, held.scan_status) == ("clean", "infected", "held")
    response = staff(demo, "wn-spoc").get(f"/cases/{case.reference}/own_view/")  # ADR 0093
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert "The victim&#x27;s own view" in page
    assert "Shouting on the landing until 2am." in page and "1 to review" in page
    assert f'href="/own-view/cases/{case.reference}/diary/{entry.pk}/"' in page
    # Only the cleared file is a link; the others say why not.
    assert f'href="/own-view/cases/{case.reference}/uploads/{clean.pk}/"' in page
    for other in (infected, held):
        assert f"/uploads/{other.pk}/" not in page
    assert "Refused</strong> The scanner found Eicar-Test-Signature" in page
    assert "Held</strong> Not yet cleared by the virus scanner" in page


def test_a_cleared_upload_is_downloaded_and_the_download_logged(demo, case, sent):
    _, clean, _, _ = sent
    response = staff(demo, "wn-spoc").get(f"/own-view/cases/{case.reference}/uploads/{clean.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="reply.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"
    logged = AccessEvent.objects.get(action="download", object_type="portal.upload")
    assert (logged.actor_username, logged.object_id, logged.case_reference) == (
        "wn-spoc",
        str(clean.pk),
        case.reference,
    )
    # Stored outside the web root, under MEDIA_ROOT/portal, with a random name.
    assert (
        services.upload_path(clean).parent.name == "portal"
        and clean.stored_name not in response["Content-Disposition"]
    )


@pytest.mark.parametrize("which", ["infected", "held"])
def test_a_held_or_refused_upload_is_never_served(demo, case, sent, which):
    upload = {"infected": sent[2], "held": sent[3]}[which]
    if which == "held":
        assert services.upload_path(upload).exists()  # the file is there, and still not served
    response = staff(demo, "wn-spoc").get(f"/own-view/cases/{case.reference}/uploads/{upload.pk}/")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "This file cannot be opened" in body
    assert ("found Eicar-Test-Signature" if which == "infected" else "has not cleared this file yet") in body
    assert not AccessEvent.objects.filter(action="download").exists()


def test_a_missing_or_changed_file_gets_a_clear_page_never_a_server_error(demo, case, sent):
    _, clean, _, _ = sent
    client = staff(demo, "wn-spoc")
    url = f"/own-view/cases/{case.reference}/uploads/{clean.pk}/"
    services.upload_path(clean).write_bytes(b"%PDF-1.4 something else")
    response = client.get(url)
    assert response.status_code == 404 and "has been changed or damaged" in response.content.decode()
    services.upload_path(clean).unlink()
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 404 and "the file itself is missing" in body
    assert f"own view upload {clean.pk}" in body and "Back to the case" in body
    assert not AccessEvent.objects.filter(action="download").exists()


def test_an_agency_officer_who_sees_the_case_does_not_see_what_the_victim_sent(
    demo, case, sent, unchanged_rows
):
    entry, clean, _, _ = sent
    police = staff(demo, "wn-police")
    page = police.get(f"/cases/{case.reference}/own_view/")
    assert page.status_code == 200  # the police are party to the case
    assert "Nothing to show here" in page.content.decode()
    assert "Shouting on the landing" not in page.content.decode()
    assert police.get(f"/own-view/cases/{case.reference}/uploads/{clean.pk}/").status_code == 403
    assert police.get(f"/own-view/cases/{case.reference}/diary/{entry.pk}/").status_code == 403
    with unchanged_rows(DiaryEntry, Incident, CaseEvent):
        assert police.post(f"/own-view/cases/{case.reference}/diary/{entry.pk}/reviewed/").status_code == 403
        response = police.post(
            f"/own-view/cases/{case.reference}/diary/{entry.pk}/", {"description": "Shouting."}
        )
        assert response.status_code == 403


def test_another_partnership_or_another_cases_record_is_not_found(demo, case, sent):
    entry, clean, _, _ = sent
    islington = staff(demo, "is-csm")
    assert islington.get(f"/own-view/cases/{case.reference}/uploads/{clean.pk}/").status_code == 404
    other = in_review_application(demo)
    spoc = staff(demo, "wn-spoc")
    assert spoc.get(f"/own-view/cases/{other.reference}/uploads/{clean.pk}/").status_code == 404
    assert spoc.get(f"/own-view/cases/{other.reference}/diary/{entry.pk}/").status_code == 404


def test_the_spoc_marks_a_diary_entry_reviewed_once(demo, case, sent, unchanged_rows):
    entry = sent[0]
    spoc = staff(demo, "wn-spoc")
    page = spoc.get(f"/own-view/cases/{case.reference}/diary/{entry.pk}/").content.decode()
    assert "Second floor landing" in page and "about 11pm" in page and "Mark it reviewed" in page
    response = spoc.post(f"/own-view/cases/{case.reference}/diary/{entry.pk}/reviewed/")
    assert response["Location"] == f"/cases/{case.reference}/own_view/"
    entry.refresh_from_db()
    assert entry.reviewed_by == demo.user("wn-spoc") and entry.reviewed_at and not entry.incident_ref
    event = CaseEvent.objects.get(application=case, kind="portal_diary_entry_reviewed")
    assert event.actor == demo.user("wn-spoc")
    with unchanged_rows(DiaryEntry, CaseEvent):
        response = spoc.post(f"/own-view/cases/{case.reference}/diary/{entry.pk}/reviewed/", follow=True)
    assert "This diary entry was already marked reviewed by" in response.content.decode()
    page = spoc.get(f"/cases/{case.reference}/own_view/").content.decode()
    assert "Reviewed</strong>" in page and "to review</strong>" not in page


def test_the_spoc_turns_a_diary_entry_into_an_incident(demo, case, sent, unchanged_rows):
    entry = sent[0]
    spoc = staff(demo, "wn-spoc")
    url = f"/own-view/cases/{case.reference}/diary/{entry.pk}/"
    with unchanged_rows(DiaryEntry, Incident, CaseEvent):
        refused = spoc.post(url, {"description": "  ", "location": ""})
    assert refused.status_code == 200
    assert "Enter what happened, as it should read on the case" in refused.content.decode()
    response = spoc.post(url, {"description": "Shouting on the landing.", "location": "Second floor"})
    entry.refresh_from_db()
    incident = Incident.objects.get(application=case, ref=entry.incident_ref)
    assert response["Location"] == f"/cases/{case.reference}/incidents/{incident.ref}/reports/new/"
    assert (incident.occurred_on, incident.description, incident.location, incident.diary_sheet) == (
        entry.occurred_on,
        "Shouting on the landing.",
        "Second floor",
        True,
    )
    assert entry.reviewed_by == demo.user("wn-spoc")
    kinds = set(CaseEvent.objects.filter(application=case).values_list("kind", flat=True))
    assert {"incident_added", "portal_diary_entry_incident"} <= kinds
    # Once: a second post (another tab) adds nothing.
    with unchanged_rows(DiaryEntry, Incident, CaseEvent):
        again = spoc.post(url, {"description": "Again.", "location": ""})
    assert "already added as incident" in again.content.decode()
    page = spoc.get(f"/cases/{case.reference}/own_view/").content.decode()
    assert f"Incident {incident.ref}</strong>" in page


def test_only_while_the_case_is_open_and_only_the_spoc_or_a_manager(demo, case, sent, unchanged_rows):
    entry = sent[0]
    senior = staff(demo, "wn-senior")
    page = senior.get(f"/own-view/cases/{case.reference}/diary/{entry.pk}/")
    assert page.status_code == 200  # a senior manager reads it, and does not review it
    assert "Mark it reviewed" not in page.content.decode()
    with unchanged_rows(DiaryEntry, Incident, CaseEvent):
        assert senior.post(f"/own-view/cases/{case.reference}/diary/{entry.pk}/reviewed/").status_code == 403
