import datetime as dt

import pytest
from django.utils import timezone

from casereview.reports.models import HotspotAction, Report, ReviewExplanation

from .helpers import make_report

pytestmark = pytest.mark.django_db


def login(client, demo, username):
    client.force_login(demo.user(username))


def test_log_lists_partnership_reports_with_count(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    for i in range(3):
        make_report(islington, day=today - dt.timedelta(days=i), location=f"Street {i}")
    make_report(demo.partnership("west-northamptonshire"), day=today, location="Northampton Market")
    login(client, demo, "is-csm")
    response = client.get("/reports/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Street 0" in body and "Street 2" in body
    assert "Northampton Market" not in body
    assert response.context["count"] == 3


def test_log_filters_and_paginates(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    for i in range(55):
        make_report(islington, day=today - dt.timedelta(days=i % 20), location="Caledonian Road")
    make_report(islington, day=today, location="Holloway Road", hate=True)
    login(client, demo, "is-csm")
    first = client.get("/reports/?location=caledonian")
    assert first.context["count"] == 55 and len(first.context["rows"]) == 50 and first.context["has_next"]
    second = client.get("/reports/?location=caledonian&page=2")
    assert len(second.context["rows"]) == 5 and not second.context["has_next"]
    hate = client.get("/reports/?hate=yes")
    assert [r.location for r in hate.context["rows"]] == ["Holloway Road"]
    ranged = client.get(
        f"/reports/?date_from={today - dt.timedelta(days=1):%Y-%m-%d}&date_to={today:%Y-%m-%d}"
    )
    assert ranged.context["count"] == 1 + sum(1 for i in range(55) if i % 20 in (0, 1))


def test_agency_officer_sees_only_own_agency_reports(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    police_report = make_report(islington, day=today, location="Police Street", kind="police")
    council_report = make_report(islington, day=today, location="Council Street", kind="council")
    login(client, demo, "is-police")
    body = client.get("/reports/").content.decode()
    assert "Police Street" in body and "Council Street" not in body
    assert client.get(f"/reports/{police_report.pk}/").status_code == 200
    assert client.get(f"/reports/{council_report.pk}/").status_code == 404
    assert client.get("/reports/repeat-callers/").status_code == 404


def test_other_partnership_report_is_404(client, demo):
    report = make_report(demo.partnership("west-northamptonshire"), day=timezone.localdate())
    login(client, demo, "is-csm")
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/location/").status_code == 404


def test_user_without_a_log_role_gets_404(client, demo):
    login(client, demo, "is-chair")
    assert client.get("/reports/").status_code == 404
    assert client.get("/reports/hotspots/").status_code == 404


def test_signed_out_is_sent_to_sign_in(client, demo):
    response = client.get("/reports/")
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_record_a_report_and_errors_name_the_field(client, demo):
    login(client, demo, "is-csm")
    council = demo.agency("islington", "council")
    bad = client.post("/reports/new/", {"agency": council.pk, "reported_on": "2020-13-40", "hate": "no"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "There is a problem" in body
    assert "Date reported must be a real date" in body
    assert "Enter where it happened" in body
    today = timezone.localdate()
    good = client.post(
        "/reports/new/",
        {
            "agency": council.pk,
            "reported_on": f"{today:%Y-%m-%d}",
            "reported_time": "09:30",
            "channel": "asb_line",
            "category": "Noise",
            "location": "  12  Bemerton Street ",
            "caller": "+44 7700 900123",
            "hate": "no",
        },
    )
    report = Report.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/reports/{report.pk}/"
    assert report.location == "12 Bemerton Street"
    assert report.caller == "07700900123"
    assert report.agency_reference.startswith("CR-")
    assert report.recorded_by == demo.user("is-csm")


def test_agency_officer_records_only_for_own_agency(client, demo):
    login(client, demo, "is-police")
    council = demo.agency("islington", "council")
    today = timezone.localdate()
    response = client.post(
        "/reports/new/",
        {
            "agency": council.pk,
            "reported_on": f"{today:%Y-%m-%d}",
            "reported_time": "10:00",
            "channel": "police_101",
            "category": "Drugs",
            "location": "Highbury Corner",
            "hate": "no",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()


def test_caller_search_is_a_post_and_keeps_the_key_out_of_urls(client, demo):
    islington = demo.partnership("islington")
    report = make_report(islington, day=timezone.localdate(), caller="07700900123")
    login(client, demo, "is-csm")
    assert client.get("/reports/callers/find/").status_code == 405
    response = client.post("/reports/callers/find/", {"caller": "07700 900 123"})
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/caller/"
    assert "07700" not in response["Location"]
    history = client.get(response["Location"])
    assert history.status_code == 200 and history.context["count"] == 1
    assert "07700900123" not in history.content.decode()


def test_hotspots_page_weekly_and_pdf(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    for i in range(7):
        make_report(islington, day=today - dt.timedelta(days=i), location="Bemerton Estate")
    for i in range(7):
        make_report(islington, day=today - dt.timedelta(days=20 + i), location="Finsbury Park")
    HotspotAction.objects.create(
        partnership=islington,
        location="Bemerton Estate",
        kind="patrol",
        description="Joint patrols with Parkguard",
        taken_on=today,
        outcome="4 warnings issued",
        recorded_by=demo.user("is-csm"),
    )
    login(client, demo, "is-police")
    page = client.get("/reports/hotspots/")
    assert page.status_code == 200
    rows = page.context["picture"].current
    assert [(r.location, r.reports, r.status) for r in rows] == [("Bemerton Estate", 7, "new")]
    weekly = client.get("/reports/hotspots/weekly/")
    assert weekly.status_code == 200 and "Joint patrols with Parkguard" in weekly.content.decode()
    pdf = client.get(f"/reports/hotspots/weekly/pdf/?as_of={today:%Y-%m-%d}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_record_a_hotspot_action(client, demo):
    login(client, demo, "is-csm")
    today = timezone.localdate()
    bad = client.post("/reports/hotspots/actions/new/", {"location": "Bemerton Estate"})
    assert "Select the kind of action" in bad.content.decode()
    response = client.post(
        "/reports/hotspots/actions/new/",
        {
            "location": "Bemerton Estate",
            "kind": "eva",
            "description": "EVA with estate services",
            "taken_on": f"{today:%Y-%m-%d}",
            "outcome": "Lighting repair ordered",
        },
    )
    assert response.status_code == 302
    action = HotspotAction.objects.get()
    assert action.kind == "eva" and action.recorded_by == demo.user("is-csm")


def test_explanation_recorded(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    make_report(islington, day=today - dt.timedelta(days=30), caller="07700900123")
    report = make_report(islington, day=today, caller="07700900123")
    login(client, demo, "is-csm")
    page = client.get(f"/reports/{report.pk}/explain/")
    assert page.status_code == 200 and page.context["due"]
    response = client.post(
        f"/reports/{report.pk}/explain/", {"method": "phone", "explained_on": f"{today:%Y-%m-%d}"}
    )
    assert response.status_code == 302
    explanation = ReviewExplanation.objects.get()
    assert explanation.caller == "07700900123" and explanation.method == "phone"
    assert explanation.explained_by == demo.user("is-csm") and explanation.report == report
    letter = client.post(f"/reports/{report.pk}/explain/letter/", {"name": "Ms Ada Jones"})
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
