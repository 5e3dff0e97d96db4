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
    assert [r["report"].location for r in hate.context["rows"]] == ["Holloway Road"]
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
    # The key as given (contracts §7), and beside it the form people are matched by.
    assert report.caller == "+44 7700 900123" and report.caller_match == "07700900123"
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


@pytest.mark.parametrize(
    "url",
    [
        "/reports/hotspots/",
        "/reports/hotspots/weekly/",
        "/reports/hotspots/weekly/pdf/",
        "/reports/repeat-callers/",
    ],
)
def test_an_as_of_date_out_of_range_shows_today(client, demo, url):
    login(client, demo, "is-csm")
    for as_of in ("0001-01-10", "9999-12-31", "not-a-date"):
        response = client.get(url, {"as_of": as_of})
        assert response.status_code == 200, (url, as_of)
        if "pdf" not in url:
            assert response.context["as_of"] == timezone.localdate(), (url, as_of)


def test_hotspot_history_lists_every_location_that_was_ever_a_hotspot(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    for i in range(8):  # 8 reports on 8 days: a hotspot from the 7th report on, for 2 days
        make_report(islington, day=today - dt.timedelta(days=100 + i), location="Bemerton Estate")
    for i in range(9):  # 9 reports over 9 days, a year ago: a hotspot for 3 days
        make_report(islington, day=today - dt.timedelta(days=365 + i), location="Finsbury Park")
    for i in range(6):  # never more than 6
        make_report(islington, day=today - dt.timedelta(days=i), location="Caledonian Road")
    login(client, demo, "is-police")
    page = client.get("/reports/hotspots/history/")
    assert page.status_code == 200
    rows = [(r["location"], r["days"], r["first"], r["last"], r["peak"]) for r in page.context["rows"]]
    assert rows == [
        ("Finsbury Park", 3, today - dt.timedelta(days=365 + 2), today - dt.timedelta(days=365), 9),
        ("Bemerton Estate", 2, today - dt.timedelta(days=101), today - dt.timedelta(days=100), 8),
    ]
    html = page.content.decode()
    assert "2 locations have been a hotspot, on 5 days in all" in html
    assert "Caledonian Road" not in html
    assert client.get("/reports/hotspots/history/?page=2").status_code == 404


def test_hotspot_history_pages_and_empty_state(client, demo):
    islington = demo.partnership("islington")
    login(client, demo, "is-csm")
    assert "No location has been a hotspot yet." in client.get("/reports/hotspots/history/").content.decode()
    start = timezone.localdate() - dt.timedelta(days=30)
    for n in range(51):
        for i in range(7):
            make_report(islington, day=start + dt.timedelta(days=i), location=f"Block {n:02d}")
    first = client.get("/reports/hotspots/history/")
    assert len(first.context["rows"]) == 50 and first.context["has_next"]
    second = client.get("/reports/hotspots/history/?page=2")
    assert [r["location"] for r in second.context["rows"]] == ["Block 50"]
    assert not second.context["has_next"]


def correction_form(report, **changes):
    local = timezone.localtime(report.reported_at) if report.reported_at else None
    data = {
        "location": report.location,
        "reported_on": f"{local:%Y-%m-%d}" if local else "",
        "reported_time": f"{local:%H:%M}" if local else "",
        "occurred_on": f"{report.occurred_on:%Y-%m-%d}",
        "category": report.category,
        "description": report.description,
        "hate": "yes" if report.hate else "no",
        "caller": "",
        "reason": "",
        "version": str(report.corrections.count()),  # as the page carries it (web.concurrency)
    }
    data.update(changes)
    return data


def test_a_correction_read_before_a_colleagues_is_refused_showing_theirs(client, demo):
    from casereview.reports import services as report_services

    islington = demo.partnership("islington")
    report = make_report(islington, day=timezone.localdate(), location="Holloway Road", caller="07700900111")
    login(client, demo, "is-csm")
    url = f"/reports/{report.pk}/correct/"
    assert 'name="version" value="0"' in client.get(url).content.decode()
    mine = correction_form(report, location="Holloway Rd North", reason="Mine")
    report_services.report_correct(
        report=report,
        actor=demo.user("is-csm"),
        reason="Theirs",
        location="Seven Sisters Road",
        read_version=0,
    )
    response = client.post(url, mine)
    html = response.content.decode()
    assert "Someone else changed this report" in html and "Seven Sisters Road" in html
    assert 'value="Holloway Rd North"' in html and 'name="version" value="1"' in html
    assert "07700900111" not in html  # the caller key stays off the page, even here
    report.refresh_from_db()
    assert (report.location, report.corrections.count()) == ("Seven Sisters Road", 1)


def test_correcting_where_a_report_was_made_moves_the_hotspot_and_is_kept_on_the_report(client, demo):
    from casereview.reports.selectors import hotspots_as_of

    islington = demo.partnership("islington")
    today = timezone.localdate()
    reports = [
        make_report(islington, day=today - dt.timedelta(days=i), location="Bemerton Estat") for i in range(7)
    ]
    for i in range(6):
        make_report(islington, day=today - dt.timedelta(days=i), location="Bemerton Estate")
    assert [h["location"] for h in hotspots_as_of(islington, today)] == ["Bemerton Estat"]
    login(client, demo, "is-csm")
    detail = client.get(f"/reports/{reports[0].pk}/").content.decode()
    assert f'href="/reports/{reports[0].pk}/correct/"' in detail
    form = client.get(f"/reports/{reports[0].pk}/correct/")
    assert form.status_code == 200 and form.context["form"]["location"].value() == "Bemerton Estat"

    done = client.post(
        f"/reports/{reports[0].pk}/correct/",
        correction_form(reports[0], location="Bemerton Estate", reason="The estate's name was mistyped"),
    )
    assert done.status_code == 302 and done["Location"] == f"/reports/{reports[0].pk}/"
    assert hotspots_as_of(islington, today) == [{"location": "Bemerton Estate", "reports": 7}]
    correction = reports[0].corrections.get()
    assert correction.changes == {"Where it happened": ["Bemerton Estat", "Bemerton Estate"]}
    assert correction.corrected_by == demo.user("is-csm")
    page = client.get(f"/reports/{reports[0].pk}/").content.decode()
    assert "Where it happened: was Bemerton Estat, now Bemerton Estate" in page
    assert "The estate&#x27;s name was mistyped" in page


def test_a_correction_with_problems_names_the_field_and_changes_nothing(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    report = make_report(islington, day=today - dt.timedelta(days=3), location="Holloway Road")
    login(client, demo, "is-csm")
    url = f"/reports/{report.pk}/correct/"
    cases = [
        (correction_form(report, location="Holloway Rd"), "Enter why you are correcting the report"),
        (
            correction_form(report, reported_on=f"{today + dt.timedelta(days=1):%Y-%m-%d}", reason="x"),
            "Date reported must be today or in the past",
        ),
        (
            correction_form(report, occurred_on=f"{today:%Y-%m-%d}", reason="x"),
            "Date it happened must be the same as or before the date reported",
        ),
        (correction_form(report, reported_on="", reason="x"), "Enter the date reported"),
        (correction_form(report, reported_time="", reason="x"), "Enter the time reported"),
        (correction_form(report, location=" ", reason="x"), "Enter where it happened"),
        (correction_form(report, reason="Checked it"), "Nothing has changed"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, message
        assert message in response.content.decode()
        assert "There is a problem" in response.content.decode()
    report.refresh_from_db()
    assert report.location == "Holloway Road" and not report.corrections.exists()


def test_dating_a_month_only_report_to_the_day_makes_it_count(client, demo):
    from casereview.reports.selectors import hotspots_as_of

    islington = demo.partnership("islington")
    day = dt.date(2025, 3, 12)
    month_only = make_report(islington, day=day, location="Holloway Road", month_only=True)
    for i in range(6):
        make_report(islington, day=day - dt.timedelta(days=i), location="Holloway Road")
    assert hotspots_as_of(islington, day) == []
    login(client, demo, "is-csm")
    form = client.get(f"/reports/{month_only.pk}/correct/").content.decode()
    assert "Only the month is known now" in form
    done = client.post(
        f"/reports/{month_only.pk}/correct/",
        correction_form(
            month_only, reported_on="2025-03-12", reported_time="10:15", reason="Date from the police log"
        ),
    )
    assert done.status_code == 302
    assert hotspots_as_of(islington, day) == [{"location": "Holloway Road", "reports": 7}]
    changes = month_only.corrections.get().changes
    # The date it happened stays as given on the form (the month's first day) unless corrected too.
    assert changes == {"When it was reported": ["March 2025 (month only)", "12 March 2025, 10:15"]}


def test_a_caller_asks_for_their_number_to_be_put_right_and_it_is_never_shown(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    report = make_report(islington, day=today, caller="07700900111", category="noise")
    login(client, demo, "is-csm")
    form = client.get(f"/reports/{report.pk}/correct/").content.decode()
    assert "07700900111" not in form
    done = client.post(
        f"/reports/{report.pk}/correct/",
        correction_form(
            report,
            caller="+44 7700 900222",
            category="Street drinking",
            hate="yes",
            reason="The caller rang to say the number was mistyped; street drinking, racist abuse",
        ),
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.caller == "+44 7700 900222" and report.caller_match == "07700900222"
    assert report.category == "Street drinking" and report.hate
    changes = report.corrections.get().changes
    assert changes == {
        "Category": ["noise", "Street drinking"],
        "Motivated by hate": ["no", "yes"],
        "Caller": ["", ""],
    }
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Caller: changed (not shown here)" in page and "Category: was noise, now Street drinking" in page
    assert "07700900111" not in page and "07700900222" not in page and "7700 900222" not in page
    # Leaving the caller's field empty keeps the caller as it is.
    client.post(
        f"/reports/{report.pk}/correct/",
        correction_form(report, category="Street drinking and noise", reason="Both were reported"),
    )
    report.refresh_from_db()
    assert report.caller == "+44 7700 900222" and report.corrections.count() == 2
    assert "Caller" not in report.corrections.last().changes


def test_who_may_correct_a_report(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    police_report = make_report(islington, day=today, location="Police Street", kind="police")
    council_report = make_report(islington, day=today, location="Council Street", kind="council")
    login(client, demo, "is-police")
    assert client.get(f"/reports/{police_report.pk}/correct/").status_code == 200
    assert client.get(f"/reports/{council_report.pk}/correct/").status_code == 404
    login(client, demo, "is-chair")
    assert client.get(f"/reports/{police_report.pk}/correct/").status_code == 404


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
