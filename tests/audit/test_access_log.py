"""The access log: attributable, append-only, and answers "who saw this victim's record, and why"."""

import csv
import datetime as dt
import io

import pytest
from django.db import DatabaseError, connection, transaction

from casereview.applications.selectors import application_get_for_user
from casereview.audit.models import AccessEvent, AppendOnlyError, LawfulBasis
from casereview.audit.services import access_event_record, access_events_scrub, audit_disclosure
from tests.factories import make_application


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_or_deleted_by_the_application(demo, unchanged_rows):
    event = access_event_record(action="view", user=demo.user("wn-csm"), case_reference="WN-2025-0001")
    event.summary = "tampered"
    with unchanged_rows(), pytest.raises(AppendOnlyError):
        event.save()
    with unchanged_rows(), pytest.raises(AppendOnlyError):
        event.delete()
    with unchanged_rows(), pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with unchanged_rows(), pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.summary == ""


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_itself_refuses_update_and_delete_of_audit_rows(demo, unchanged_rows):
    event = access_event_record(action="view", user=demo.user("wn-csm"), case_reference="WN-2025-0001")
    for sql in (
        "UPDATE audit_accessevent SET summary = 'x' WHERE id = %s",
        "DELETE FROM audit_accessevent WHERE id = %s",
    ):
        with (
            unchanged_rows(),
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AccessEvent.objects.filter(pk=event.pk, summary="").exists()


@pytest.mark.django_db
def test_the_retention_scrub_is_the_one_audited_exception(demo):
    case = make_application(demo.partnership(), victim_name="Avery Example")
    csm = demo.user("wn-csm")
    application_get_for_user(csm, case.reference)
    search = access_event_record(action="search", user=csm, details={"query": {"q": "Avery Example"}})
    count = access_events_scrub(case_reference=case.reference, names=["Avery Example"])
    assert count >= 2
    search = AccessEvent.objects.get(pk=search.pk)
    assert search.details == {} and search.scrubbed_at is not None
    read = AccessEvent.objects.filter(case_reference=case.reference, action="view").get()
    assert read.actor_username == "wn-csm" and read.path == "" and read.scrubbed_at is not None
    assert AccessEvent.objects.filter(action="retention", case_reference=case.reference).exists()


@pytest.mark.django_db
def test_reading_a_case_through_the_selector_is_recorded_with_who_and_why(demo):
    case = make_application(demo.partnership())
    application_get_for_user(demo.user("wn-spoc"), case.reference, purpose="Preparing the panel")
    event = AccessEvent.objects.filter(action="view", case_reference=case.reference).get()
    assert (event.actor_username, event.actor_agency, event.purpose) == (
        "wn-spoc",
        "West Northamptonshire Council",
        "Preparing the panel",
    )
    assert event.object_type == "applications.application" and event.object_id == str(case.pk)


@pytest.mark.django_db
def test_trying_a_reference_out_of_scope_is_recorded_but_reveals_nothing(demo):
    from django.http import Http404

    case = make_application(demo.partnership())
    with pytest.raises(Http404):
        application_get_for_user(demo.user("is-csm"), case.reference)
    denied = AccessEvent.objects.get(action="denied")
    assert denied.actor_username == "is-csm" and denied.case_reference == case.reference


@pytest.mark.django_db
def test_changes_are_attributed_to_the_signed_in_user_with_field_names_not_values(demo, client):
    client.force_login(demo.user("wn-csm"))
    case = make_application(demo.partnership())
    client.post(
        f"/data-protection/cases/{case.reference}/legal-hold/", {"reason": "Ombudsman complaint 24 000 401"}
    )
    created = AccessEvent.objects.filter(action="create", object_type="privacy.legalhold").get()
    assert created.actor_username == "wn-csm" and created.case_reference == case.reference
    assert created.ip_address == "127.0.0.1"
    assert "Ombudsman" not in str(created.details) + created.summary


@pytest.mark.django_db
def test_disclosures_carry_purpose_and_lawful_basis(demo, unchanged_rows):
    case = make_application(demo.partnership())
    event = audit_disclosure(
        user=demo.user("wn-spoc"),
        obj=case,
        recipient="Northamptonshire Police",
        purpose="Agency information request for the case review",
        lawful_basis=LawfulBasis.CDA_S115,
    )
    assert event.action == "disclose" and event.get_lawful_basis_display().startswith(
        "Crime and Disorder Act"
    )
    with unchanged_rows(), pytest.raises(ValueError, match="lawful basis"):
        audit_disclosure(
            user=demo.user("wn-spoc"), obj=case, recipient="x", purpose="y", lawful_basis="because"
        )


@pytest.mark.django_db
def test_the_dpo_finds_who_saw_a_victims_record_and_why_and_exports_it(demo, client):
    wn = demo.partnership()
    case = make_application(wn, victim_name="Morgan Victimson")
    other = make_application(wn, victim_name="Someone Else")
    application_get_for_user(demo.user("wn-police"), case.reference, purpose="Agency response")
    application_get_for_user(demo.user("wn-spoc"), other.reference)
    client.force_login(demo.user("wn-dpo"))
    page = client.get("/audit/", {"person": "victimson"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "wn-police" in html and "Agency response" in html and case.reference in html
    assert other.reference not in html
    export = client.get("/audit/export.csv", {"person": "victimson", "action": "view"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:4] == ["when", "user", "agency", "action"]
    assert [(r[1], r[4], r[7]) for r in rows[1:]] == [("wn-police", case.reference, "Agency response")]
    assert export["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_the_access_log_search_validates_its_filters(demo, client):
    client.force_login(demo.user("wn-dpo"))
    html = client.get("/audit/", {"from": "2025-13-01", "to": "2025-01-01"}).content.decode()
    assert "The date from must be a real date" in html
    html = client.get("/audit/", {"from": "2025-02-01", "to": "2025-01-01"}).content.decode()
    assert "The date to must be the same as or after the date from" in html
    today = dt.date.today().isoformat()
    assert client.get("/audit/", {"from": today, "to": today, "user": "wn"}).status_code == 200


@pytest.mark.django_db
def test_only_the_data_protection_officer_sees_the_access_log(demo, client):
    for username in ("wn-csm", "wn-admin", "wn-police", "wn-analyst"):
        client.force_login(demo.user(username))
        assert client.get("/audit/").status_code == 404, username
        assert client.get("/audit/export.csv").status_code == 404, username
    case = make_application(demo.partnership(), victim_name="Morgan Victimson")
    application_get_for_user(demo.user("wn-csm"), case.reference)
    client.force_login(demo.user("is-dpo"))
    html = client.get("/audit/", {"person": "Morgan"}).content.decode()
    assert case.reference not in html and "wn-csm" not in html


@pytest.mark.django_db
def test_csv_export_neutralises_spreadsheet_formulas(demo, client):
    access_event_record(action="view", user=demo.user("wn-csm"), summary='=HYPERLINK("http://evil")')
    client.force_login(demo.user("wn-dpo"))
    text = b"".join(client.get("/audit/export.csv").streaming_content).decode()
    assert "'=HYPERLINK" in text
