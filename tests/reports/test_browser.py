"""The report log in Chromium, with axe-core (WCAG 2.2 AA) on each page: import a partner CSV, see
the hotspots table and the map page, record a second report from a resident and see the prompt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casereview.reports.models import Report, ReviewExplanation
from tests.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def partner_csv(today: dt.date) -> str:
    lines = [
        "agency_reference,agency,agency_kind,channel,reported_at,location,latitude,longitude,caller,category"
    ]
    for n in range(8):
        day = today - dt.timedelta(days=n)
        lines.append(
            f"B-{n},Islington Council,council,asb_line,{day:%Y-%m-%d}T20:00:00,"
            "Bemerton Estate,51.5405,-0.1175,,noise"
        )
    lines.append(
        f"R-1,Islington Council,council,online,{today - dt.timedelta(days=30):%Y-%m-%d}T09:00:00,"
        "12 Bemerton Street,,,ada.jones@example.com,noise"
    )
    lines.append("bad,Islington Council,council,online,not-a-date,Somewhere,,,,noise")
    return "\n".join(lines) + "\n"


def test_import_hotspots_map_and_second_report_prompt(page, demo, tmp_path):
    today = timezone.localdate()
    csv_path = tmp_path / "partner.csv"
    csv_path.write_text(partner_csv(today))
    sign_in(page, "is-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)

    page.goto("/reports/import/")
    assert_accessible(page)
    page.get_by_label("Partner CSV").check()
    page.get_by_label("CSV file").set_input_files(str(csv_path))
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    assert "9 reports imported" in page.get_by_role("heading", level=2).first.inner_text()
    assert "reported_at: not an ISO 8601 date-time: 1" in page.content()
    assert_accessible(page)

    page.goto("/reports/")
    assert page.get_by_role("heading", level=1).inner_text() == "ASB report log"
    assert_accessible(page)

    page.goto("/reports/hotspots/")
    table = page.get_by_role("table").first
    assert "Bemerton Estate" in table.inner_text()
    assert "8" in table.get_by_role("cell").first.inner_text()
    # The map is an enhancement: Leaflet drew the marker from the json_script data.
    page.wait_for_selector("#hotspot-map.leaflet-container")
    assert page.locator("#hotspot-map path.leaflet-interactive").count() == 1
    assert_accessible(page)

    page.goto("/reports/hotspots/weekly/")
    assert "New hotspots" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Hotspot history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hotspot history")
    assert "Bemerton Estate" in page.get_by_role("table").inner_text()
    assert_accessible(page)

    page.goto("/reports/new/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the report").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Agency the report was made to").select_option(label="Islington Council")
    page.get_by_label("How it was reported").select_option(label="ASB reporting line")
    page.get_by_label("Category").fill("Noise")
    page.get_by_label("Where it happened").fill("12 Bemerton Street")
    page.get_by_label("Caller's phone number or email address (optional)").fill("Ada.Jones@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the report").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Explain the ASB Case Review to this caller"
    assert "made 2 reports in the last six months" in page.content()
    assert_accessible(page)
    page.get_by_label("On the phone").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the explanation").click()
    assert "has been recorded" in page.content()
    explanation = ReviewExplanation.objects.get()
    assert explanation.caller == "ada.jones@example.com" and explanation.method == "phone"
    # Two reports of one caller: one sent in lower case, this one as typed (kept as given,
    # contracts §7), both matched by the normalised form.
    assert Report.objects.filter(caller_match="ada.jones@example.com").count() == 2
    assert Report.objects.filter(caller="Ada.Jones@example.com").count() == 1

    # The report just recorded had its street mistyped: correct it, with a reason.
    page.goto(f"/reports/{explanation.report_id}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Correct this report").click()
    assert_accessible(page)
    page.get_by_label("Where it happened").fill("12 Bemerton Street North")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the correction").click()
    assert "Enter why you are correcting the report" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Why are you correcting it?").fill("The caller rang back: it was the north block")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the correction").click()
    assert "Where it happened: was 12 Bemerton Street, now 12 Bemerton Street North" in page.content()
    assert_accessible(page)
