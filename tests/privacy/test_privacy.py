"""Special category data, consent, evidence files, subject access, retention and legal holds."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from casereview.applications.models import AllegedPerpetrator, Application, Person
from casereview.applications.selectors import applications_visible_to
from casereview.applications.services import application_set_status, case_event_record
from casereview.audit.models import AccessEvent
from casereview.privacy import services
from casereview.privacy.models import Disposal, EvidenceFile, SensitiveInformation
from tests.factories import make_application

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- Special category data --------------------------------------------------------------------


@pytest.mark.django_db
def test_special_category_data_is_encrypted_at_rest(demo):
    case = make_application(demo.partnership())
    record = services.sensitive_information_record(
        application=case,
        person=case.victim,
        actor=demo.user("wn-csm"),
        religion="Sikh",
        criminal_history="Caution 2019 for criminal damage",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT religion, criminal_history FROM privacy_sensitiveinformation WHERE id = %s", [record.pk]
        )
        stored = cursor.fetchone()
    assert all(value.startswith("fernet:") for value in stored)
    assert "Sikh" not in "".join(stored) and "criminal damage" not in "".join(stored)
    fresh = SensitiveInformation.objects.get(pk=record.pk)
    assert (fresh.religion, fresh.criminal_history) == ("Sikh", "Caution 2019 for criminal damage")
    assert fresh.ethnicity == ""


@pytest.mark.django_db
def test_key_rotation_reads_old_values_and_rewrites_them_under_the_new_key(demo, settings):
    from cryptography.fernet import Fernet

    from casereview.web import encryption as fields

    case = make_application(demo.partnership())
    record = services.sensitive_information_record(
        application=case, person=case.victim, actor=demo.user("wn-csm"), ethnicity="White Irish"
    )
    old_key = settings.CASEREVIEW_FIELD_KEYS[0]
    settings.CASEREVIEW_FIELD_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate-field-key", stdout=io.StringIO())
    settings.CASEREVIEW_FIELD_KEYS = settings.CASEREVIEW_FIELD_KEYS[:1]  # the old key removed
    fields._fernet.cache_clear()
    assert SensitiveInformation.objects.get(pk=record.pk).ethnicity == "White Irish"


@pytest.mark.django_db
def test_special_category_data_is_shown_only_to_roles_that_need_it(demo, client):
    case = make_application(demo.partnership())
    services.sensitive_information_record(
        application=case, person=case.victim, actor=demo.user("wn-csm"), health_and_disability="Epilepsy"
    )
    for username, sees in (("wn-spoc", True), ("wn-chair", True), ("wn-dpo", True), ("wn-hos", False)):
        client.force_login(demo.user(username))
        response = client.get(f"/data-protection/cases/{case.reference}/")
        assert ("Epilepsy" in response.content.decode()) is sees, username
    assert AccessEvent.objects.filter(
        case_reference=case.reference, summary="Special category information shown", actor_username="wn-spoc"
    ).exists()
    client.force_login(demo.user("wn-police"))
    assert client.get(f"/data-protection/cases/{case.reference}/").status_code == 404


@pytest.mark.django_db
def test_the_head_of_service_and_chief_executive_cannot_write_data_protection_records(demo):
    """They see cases for escalations and hold no special category data (docs/access.md): no
    recording it, no consent, no legal holds, no evidence. The case managers can."""
    case = make_application(demo.partnership())
    writes = (
        "privacy.record_special_category",
        "privacy.manage_consent",
        "privacy.manage_legal_hold",
        "privacy.add_evidence",
        "privacy.view_special_category",
    )
    for username in ("wn-hos", "wn-ceo"):
        user = demo.user(username)
        assert [perm for perm in writes if user.has_perm(perm, case)] == [], username
    for username in ("wn-csm", "wn-spoc"):
        assert all(demo.user(username).has_perm(perm, case) for perm in writes), username


# --- Consent ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdrawn_consent_stops_agency_access_and_sharing_until_given_again(demo, client, unchanged_rows):
    case = make_application(demo.partnership())
    police = demo.user("wn-police")
    assert case in applications_visible_to(police)
    client.force_login(demo.user("wn-spoc"))
    response = client.post(
        f"/data-protection/cases/{case.reference}/consent/withdraw/",
        {"withdrawn_on": "2025-05-01", "how": "Phone call"},
    )
    assert response.status_code == 302
    assert case not in applications_visible_to(police)
    assert case in applications_visible_to(demo.user("wn-csm"))
    with (
        unchanged_rows(),
        pytest.raises(services.SharingRefused, match="withdrew consent to sharing on 1 May 2025"),
    ):
        services.sharing_check(application=case, agency=police.agency)
    services.sharing_check(application=case, agency=demo.user("wn-csm").agency)  # the council itself
    assert case.events.filter(kind="consent_withdrawn").exists()
    withdrawal = case.consent_withdrawals.get()
    client.post(f"/data-protection/cases/{case.reference}/consent/{withdrawal.pk}/reinstate/", {"reason": ""})
    assert case not in applications_visible_to(police)  # a reason is required
    client.post(
        f"/data-protection/cases/{case.reference}/consent/{withdrawal.pk}/reinstate/",
        {"reason": "Agreed on a call"},
    )
    assert case in applications_visible_to(police)
    services.sharing_check(application=case, agency=police.agency)


# --- Evidence files --------------------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_types_are_checked_by_content_not_name(demo, settings, tmp_path, unchanged_rows):
    settings.MEDIA_ROOT = tmp_path
    case = make_application(demo.partnership())
    csm = demo.user("wn-csm")
    with unchanged_rows(), pytest.raises(ValidationError, match="must be a JPG, PNG"):
        services.evidence_file_add(application=case, name="photo.jpg", content=b"<html><script>", actor=csm)
    with (
        unchanged_rows(),
        pytest.raises(ValidationError, match="says it is a JPG image but it is a PNG image"),
    ):
        services.evidence_file_add(application=case, name="photo.jpg", content=PNG, actor=csm)
    with unchanged_rows(), pytest.raises(ValidationError, match="empty"):
        services.evidence_file_add(application=case, name="a.png", content=b"", actor=csm)
    settings.CASEREVIEW_EVIDENCE_MAX_BYTES = 50
    with unchanged_rows(), pytest.raises(ValidationError, match="smaller than"):
        services.evidence_file_add(application=case, name="a.png", content=PNG, actor=csm)
    settings.CASEREVIEW_EVIDENCE_MAX_BYTES = 1024
    evidence = services.evidence_file_add(
        application=case, name="../../etc/Front door.png", content=PNG, actor=csm
    )
    assert evidence.original_name == "Front door.png"
    stored = tmp_path / "evidence" / evidence.stored_name
    assert stored.read_bytes() == PNG and len(evidence.stored_name) == 32
    assert oct(stored.stat().st_mode)[-3:] == "600"


@pytest.mark.django_db
def test_evidence_is_served_only_through_the_access_check_as_an_attachment(demo, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_application(demo.partnership())
    evidence = services.evidence_file_add(
        application=case, name="door.png", content=PNG, actor=demo.user("wn-csm")
    )
    client.force_login(demo.user("wn-police"))
    response = client.get(f"/data-protection/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"] == 'attachment; filename="door.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert AccessEvent.objects.filter(
        action="download", object_id=str(evidence.pk), actor_username="wn-police"
    ).exists()
    client.force_login(demo.user("is-csm"))
    assert client.get(f"/data-protection/evidence/{evidence.pk}/").status_code == 404
    assert client.get(f"/data-protection/evidence/{evidence.pk + 1}/").status_code == 404


@pytest.mark.django_db
def test_uploading_evidence_through_the_page(demo, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case = make_application(demo.partnership())
    client.force_login(demo.user("wn-spoc"))
    client.post(
        f"/data-protection/cases/{case.reference}/evidence/",
        {
            "file": SimpleUploadedFile("noise.mp3", b"ID3" + b"\x00" * 40, content_type="text/html"),
            "description": "Noise",
        },
    )
    assert EvidenceFile.objects.get(application=case).content_type == "audio/mpeg"
    page = client.post(
        f"/data-protection/cases/{case.reference}/evidence/",
        {"file": SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>", content_type="image/png")},
        follow=True,
    )
    assert "The selected file must be a JPG, PNG" in page.content.decode()
    assert EvidenceFile.objects.filter(application=case).count() == 1


# --- Subject access --------------------------------------------------------------------------


@pytest.mark.django_db
def test_subject_access_export_has_everything_about_the_person_and_nothing_about_others(demo, client):
    wn = demo.partnership()
    applicant = Person(full_name="Terry Helper", email="terry@example.com")
    case = make_application(
        wn,
        victim_name="Vic Tim",
        applicant=applicant,
        applicant_relationship="neighbour",
        victim_consent=True,
        summary="Pat Nuisance from number 4 and Terry Helper saw it",
    )
    AllegedPerpetrator.objects.create(application=case, name="Pat Nuisance", address="4 High Street")
    incident = case.incidents.first()
    incident.description = "PAT NUISANCE shouted abuse"
    incident.save()
    report = incident.reports.first()
    report.reporter = "Neighbour at number 6"
    report.save()
    services.sensitive_information_record(
        application=case, person=case.victim, actor=demo.user("wn-csm"), health_and_disability="Anxiety"
    )
    dsr = services.data_subject_request_record(
        partnership=wn,
        kind="access",
        requester_name="Vic Tim",
        received_on=dt.date(2025, 1, 31),
        actor=demo.user("wn-dpo"),
        person=case.victim,
    )
    assert dsr.due_on == dt.date(2025, 2, 28)
    client.force_login(demo.user("wn-dpo"))
    data = json.loads(client.get(f"/data-protection/requests/{dsr.pk}/export.json").content)
    text = json.dumps(data)
    assert data["about"]["name"] == "Vic Tim" and data["about"]["email"] == "jo@example.com"
    assert data["cases"][0]["reference"] == case.reference
    assert data["cases"][0]["special_category_information"] == {"health_and_disability": "Anxiety"}
    for other in (
        "Pat Nuisance",
        "PAT NUISANCE",
        "Nuisance",
        "4 High Street",
        "Terry",
        "terry@example.com",
        "number 6",
    ):
        assert other not in text, other
    assert "[redacted] shouted abuse" in text
    assert data["cases"][0]["incidents"][0]["reports"][0]["reporter"] == "another person"
    pdf = client.get(f"/data-protection/requests/{dsr.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert AccessEvent.objects.filter(action="subject_access", object_type="applications.person").count() == 2


@pytest.mark.django_db
def test_the_dsr_register_tracks_due_dates_and_requires_an_outcome(demo, client):
    client.force_login(demo.user("wn-dpo"))
    page = client.post(
        "/data-protection/requests/new/",
        {"kind": "erasure", "requester_name": "", "received_on": "2025-02-30"},
    )
    html = page.content.decode()
    assert "Enter the name of the person making the request" in html
    assert "Date received must be a real date" in html
    created = client.post(
        "/data-protection/requests/new/",
        {"kind": "rectification", "requester_name": "Sam Someone", "received_on": "2025-03-15"},
    )
    dsr_id = int(created["Location"].rstrip("/").rsplit("/", 1)[1])
    url = f"/data-protection/requests/{dsr_id}/"
    assert 'name="version" value="1"' in client.get(url).content.decode()
    page = client.post(url, {"status": "completed", "outcome": "", "version": "1"})
    assert "Say what was done, or why the request was refused" in page.content.decode()
    client.post(url, {"status": "extended", "outcome": "", "version": "1"})
    from casereview.privacy.models import DataSubjectRequest

    assert DataSubjectRequest.objects.get(pk=dsr_id).due_on == dt.date(2025, 6, 15)
    # A second officer's form, read before that extension, is refused and shows it; nothing changes.
    page = client.post(url, {"status": "completed", "outcome": "Sent the corrected record", "version": "1"})
    html = page.content.decode()
    assert "Someone else changed this request" in html and "Saved since you opened this page" in html
    assert DataSubjectRequest.objects.get(pk=dsr_id).status == "extended"
    listing = client.get("/data-protection/requests/").content.decode()
    assert "Sam Someone" in listing and "Overdue" in listing


def test_one_month_is_counted_to_the_corresponding_day():
    assert services.one_month_from(dt.date(2025, 1, 15)) == dt.date(2025, 2, 15)
    assert services.one_month_from(dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)
    assert services.one_month_from(dt.date(2025, 12, 10)) == dt.date(2026, 1, 10)


# --- Retention and legal holds ----------------------------------------------------------------


def _closed_case(demo, *, closed_on, victim_name="Old Case"):
    case = make_application(
        demo.partnership(), victim_name=victim_name, received_on=closed_on - dt.timedelta(days=60)
    )
    csm = demo.user("wn-csm")
    application_set_status(
        application=case,
        to="acknowledged",
        actor=csm,
        summary="Acknowledged",
        occurred_on=closed_on - dt.timedelta(days=55),
    )
    application_set_status(
        application=case, to="withdrawn", actor=csm, summary="Withdrawn", occurred_on=closed_on
    )
    return case


@pytest.mark.django_db
def test_retention_dry_run_lists_what_would_go_and_why_and_changes_nothing(demo):
    old = _closed_case(demo, closed_on=dt.date(2018, 3, 1))
    recent = _closed_case(demo, closed_on=dt.date(2024, 3, 1), victim_name="Recent Case")
    held = _closed_case(demo, closed_on=dt.date(2017, 6, 1), victim_name="Held Case")
    services.legal_hold_place(
        application=held, reason="Claim issued in the county court", actor=demo.user("wn-dpo")
    )
    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", "2025-01-01", stdout=out)
    text = out.getvalue()
    assert f"DELETE             {old.reference}" in text
    assert (
        "Withdrawn on 1 March 2018; kept 6 years from closure (Limitation Act 1980), so due on 1 March 2024"
        in text
    )
    assert f"KEEP (legal hold)  {held.reference}" in text
    assert recent.reference not in text
    assert Application.objects.count() == 3


@pytest.mark.django_db
def test_retention_deletes_the_case_its_people_and_files_and_scrubs_the_access_log(
    demo, settings, tmp_path, django_capture_on_commit_callbacks, unchanged_rows
):
    from casereview.applications.selectors import application_get_for_user
    from casereview.audit.services import access_event_record

    settings.MEDIA_ROOT = tmp_path
    old = _closed_case(demo, closed_on=dt.date(2018, 3, 1), victim_name="Gone Person")
    keep = make_application(demo.partnership(), victim_name="Still Here")
    evidence = services.evidence_file_add(
        application=old, name="a.png", content=PNG, actor=demo.user("wn-csm")
    )
    stored = tmp_path / "evidence" / evidence.stored_name
    application_get_for_user(demo.user("wn-spoc"), old.reference, purpose="Panel")
    access_event_record(action="search", user=demo.user("wn-spoc"), details={"query": {"q": "Gone Person"}})
    with unchanged_rows(), pytest.raises(Exception, match="--dry-run"):
        call_command("retention", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention", "--confirm", "--as-of", "2025-01-01", stdout=io.StringIO())
    assert not Application.objects.filter(pk=old.pk).exists()
    assert not Person.objects.filter(full_name="Gone Person").exists()
    assert Application.objects.filter(pk=keep.pk).exists()
    assert not stored.exists()
    assert not AccessEvent.objects.filter(details__icontains="Gone Person").exists()
    read = AccessEvent.objects.get(case_reference=old.reference, action="view")
    assert read.actor_username == "wn-spoc" and read.purpose == "" and read.scrubbed_at
    disposal = Disposal.objects.get(case_reference=old.reference)
    assert disposal.method == "deleted" and disposal.closed_on == dt.date(2018, 3, 1)


@pytest.mark.django_db
def test_a_legal_hold_is_recorded_and_lifting_it_lets_retention_proceed(demo, client):
    old = _closed_case(demo, closed_on=dt.date(2018, 3, 1))
    client.force_login(demo.user("wn-dpo"))
    client.post(f"/data-protection/cases/{old.reference}/legal-hold/", {"reason": ""})
    assert not old.legal_holds.exists()
    client.post(f"/data-protection/cases/{old.reference}/legal-hold/", {"reason": "Ombudsman complaint"})
    hold = old.legal_holds.get()
    assert (hold.placed_by.username, hold.reason) == ("wn-dpo", "Ombudsman complaint")
    call_command("retention", "--confirm", "--as-of", "2025-01-01", stdout=io.StringIO())
    assert Application.objects.filter(pk=old.pk).exists()
    client.post(
        f"/data-protection/cases/{old.reference}/legal-hold/{hold.pk}/lift/",
        {"lifted_reason": "Closed by LGSCO"},
    )
    call_command("retention", "--confirm", "--as-of", "2025-01-01", stdout=io.StringIO())
    assert not Application.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_the_dpo_pages_need_the_dpo_role(demo, client):
    for url in (
        "/data-protection/",
        "/data-protection/requests/",
        "/data-protection/retention/",
        "/data-protection/requests/new/",
    ):
        client.force_login(demo.user("wn-csm"))
        assert client.get(url).status_code == 404, url
        client.force_login(demo.user("wn-dpo"))
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_case_events_record_privacy_changes_without_personal_data(demo):
    case = make_application(demo.partnership())
    services.legal_hold_place(application=case, reason="Claim by Jo Bloggs", actor=demo.user("wn-dpo"))
    case_event_record(application=case, kind="note", summary="x")
    assert "Jo Bloggs" not in " ".join(case.events.values_list("summary", flat=True))


@pytest.mark.django_db
def test_the_case_page_shows_consent_holds_and_evidence(demo, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_application(demo.partnership())
    services.evidence_file_add(application=case, name="door.png", content=PNG, actor=demo.user("wn-csm"))
    services.legal_hold_place(application=case, reason="Claim", actor=demo.user("wn-dpo"))
    client.force_login(demo.user("wn-csm"))
    html = client.get(f"/cases/{case.reference}/data_protection/").content.decode()  # ADR 0093
    assert "Data protection" in html and "door.png" in html and "Legal hold" in html
    assert f"/data-protection/cases/{case.reference}/" in html


@pytest.mark.django_db
def test_answered_data_subject_requests_go_after_two_years(demo):
    from casereview.privacy.models import DataSubjectRequest

    dsr = services.data_subject_request_record(
        partnership=demo.partnership(),
        kind="access",
        requester_name="A Person",
        received_on=dt.date(2022, 1, 3),
        actor=demo.user("wn-dpo"),
    )
    DataSubjectRequest.objects.filter(pk=dsr.pk).update(status="completed", completed_on=dt.date(2022, 1, 20))
    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", "2024-01-19", stdout=out)
    assert f"DSR-{dsr.pk}" not in out.getvalue()
    call_command("retention", "--dry-run", "--as-of", "2024-01-20", stdout=out)
    assert f"DSR-{dsr.pk}" in out.getvalue()
    call_command("retention", "--confirm", "--as-of", "2024-01-20", stdout=io.StringIO())
    assert not DataSubjectRequest.objects.filter(pk=dsr.pk).exists()
    assert Disposal.objects.filter(
        case_reference=f"DSR-{dsr.pk}", record_kind="data_subject_request"
    ).exists()


@pytest.mark.django_db
def test_no_information_request_goes_to_a_partner_while_consent_is_withdrawn(demo, unchanged_rows):
    from casereview.reviews.models import InformationRequest

    case = make_application(demo.partnership())
    services.consent_withdraw(
        application=case, withdrawn_on=dt.date(2025, 5, 1), how="Letter", actor=demo.user("wn-csm")
    )
    with unchanged_rows(), pytest.raises(services.SharingRefused):
        InformationRequest.objects.create(
            application=case,
            agency=demo.agency("west-northamptonshire", "police"),
            requested_on=dt.date(2025, 5, 2),
            due_on=dt.date(2025, 5, 23),
            requested_by=demo.user("wn-spoc"),
        )
    assert not InformationRequest.objects.filter(application=case).exists()


@pytest.mark.django_db
def test_disclosures_recorded_by_the_review_appear_in_the_access_log_with_their_lawful_basis(demo):
    from casereview.reviews.services import disclosure_record

    case = make_application(demo.partnership())
    disclosure_record(
        application=case,
        disclosed_by=demo.user("wn-police"),
        recipient="SPOC, West Northamptonshire Council",
        what="Reports received and actions taken",
        purpose="Agency response for the ASB Case Review",
        lawful_basis="cda_1998_s115",
    )
    event = AccessEvent.objects.get(action="disclose", case_reference=case.reference)
    assert event.actor_username == "wn-police"
    assert event.lawful_basis == "cda1998_s115" and event.recipient.startswith("SPOC")
    assert event.purpose == "Agency response for the ASB Case Review"


@pytest.mark.django_db
def test_an_erasure_request_is_acted_on_only_after_confirmation_and_never_for_an_open_case(demo, client):
    wn = demo.partnership()
    open_case = make_application(wn, victim_name="Erin Erase")
    dsr = services.data_subject_request_record(
        partnership=wn,
        kind="erasure",
        requester_name="Erin Erase",
        received_on=dt.date(2025, 1, 2),
        actor=demo.user("wn-dpo"),
        person=open_case.victim,
    )
    client.force_login(demo.user("wn-dpo"))
    html = client.get(f"/data-protection/requests/{dsr.pk}/erase/").content.decode()
    assert f"{open_case.reference} is still open" in html
    client.post(f"/data-protection/requests/{dsr.pk}/erase/", {"confirm": "yes"})
    assert Application.objects.filter(pk=open_case.pk).exists()
    csm = demo.user("wn-csm")
    application_set_status(application=open_case, to="withdrawn", actor=csm, summary="Withdrawn")
    page = client.post(f"/data-protection/requests/{dsr.pk}/erase/", {}, follow=True)
    assert "Confirm that you want to delete these records" in page.content.decode()
    assert Application.objects.filter(pk=open_case.pk).exists()
    client.post(f"/data-protection/requests/{dsr.pk}/erase/", {"confirm": "yes"})
    assert not Application.objects.filter(pk=open_case.pk).exists()
    assert not Person.objects.filter(full_name="Erin Erase").exists()
    dsr.refresh_from_db()
    assert dsr.status == "completed" and open_case.reference in dsr.outcome


@pytest.mark.django_db
def test_an_evidence_file_no_record_refers_to_is_found_after_the_grace_period(demo, settings, tmp_path):
    import datetime

    from django.utils import timezone

    from casereview.privacy.stored_files import orphan_files

    settings.MEDIA_ROOT = tmp_path
    case = make_application(demo.partnership())
    kept = services.evidence_file_add(application=case, name="a.png", content=PNG, actor=demo.user("wn-csm"))
    stray = services.evidence_dir() / "left-by-a-rolled-back-upload"
    stray.write_bytes(PNG)
    assert orphan_files() == []  # both younger than the grace period
    later = timezone.now() + datetime.timedelta(hours=2)
    assert orphan_files(now=later) == [stray]
    assert services.evidence_file_path(kept).exists()


def test_subject_access_redaction_keeps_everyday_words_and_removes_a_perpetrators_address():
    from casereview.core.disclosure import Protected
    from casereview.privacy.subject_access import _named, make_redactor

    people = [
        Protected(label=f"alleged perpetrator {n}", name=_named(name), address=address)
        for n, (name, address) in enumerate(
            [
                ("Not known", ""),
                ("The Smith family", ""),
                ("Darren Kettering", "14 Acacia Avenue\nNorthampton NN1 1AA"),
            ],
            start=1,
        )
    ]
    redact = make_redactor(people)
    text = "The reports have not stopped it. The Smith family at 14 Acacia Ave and darren kicked the door."
    assert redact(text) == (
        "The reports have not stopped it. [redacted] at [redacted] and [redacted] kicked the door."
    )
    # The street alone identifies too (issue 13: the disclosure control's rules).
    assert redact("Acacia Avenue was noisy") == "[redacted] was noisy"


@pytest.mark.django_db
def test_subject_access_export_includes_the_persons_reports_in_the_log(demo, client):
    from django.template.loader import render_to_string

    from casereview.privacy.subject_access import contributed_sections, subject_access_export
    from casereview.reports.models import ReviewExplanation
    from tests.reports.helpers import make_report

    islington = demo.partnership("islington")
    person = Person.objects.create(partnership=islington, full_name="Ada Jones", phone="07700 900 555")
    mine = make_report(islington, day=dt.date(2025, 3, 3), caller="07700900555", location="12 Elm Row")
    make_report(islington, day=dt.date(2025, 3, 4), caller="07700900999")  # someone else's
    make_report(demo.partnership(), day=dt.date(2025, 3, 5), caller="07700900555")  # another area's
    ReviewExplanation.objects.create(
        partnership=islington,
        caller="07700900555",
        report=mine,
        explained_on=dt.date(2025, 3, 3),
        method="phone",
        explained_by=demo.user("is-csm"),
    )
    export = subject_access_export(person)
    log = export["report_log"]
    assert [r["their reference"] for r in log["lists"]["Reports"]] == [mine.agency_reference]
    assert log["lists"]["Reports"][0]["where"] == "12 Elm Row"
    assert [e["on"] for e in log["lists"]["The ASB Case Review explained to you"]] == ["2025-03-03"]
    assert "07700900999" not in json.dumps(export)
    html = render_to_string(
        "privacy/subject_access_pdf.html",
        {"data": export, "sections": contributed_sections(export), "dsr": None, "today": dt.date.today()},
    )
    assert "Your reports in the ASB report log" in html and mine.agency_reference in html
