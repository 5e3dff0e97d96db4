"""The data protection officer's pages in Chromium, with axe-core on each."""

import datetime as dt

import pytest

from casereview.privacy import services
from tests.conftest import assert_accessible, sign_in
from tests.factories import make_application


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dpo_answers_who_saw_a_record_and_handles_a_subject_access_request(page, demo):
    wn = demo.partnership()
    case = make_application(wn, victim_name="Morgan Victimson")
    services.sensitive_information_record(
        application=case, person=case.victim, actor=demo.user("wn-csm"), health_and_disability="Asthma"
    )
    from casereview.applications.selectors import application_get_for_user

    application_get_for_user(demo.user("wn-police"), case.reference, purpose="Agency response")
    sign_in(page, "wn-dpo")

    page.goto("/audit/")
    assert_accessible(page)
    page.get_by_label("Person (victim, applicant or person complained about)").fill("Victimson")
    page.get_by_role("button", name="Search").click()
    row = page.locator("tbody tr", has_text="wn-police")
    assert "Agency response" in row.inner_text()
    assert_accessible(page)

    page.goto("/data-protection/")
    assert_accessible(page)
    page.get_by_role("link", name="Record a new request").click()
    page.get_by_label("Find the person by name or postcode").fill("Victimson")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Morgan Victimson, NN1 1AA").check()
    page.get_by_label("Name of the person making the request").fill("Morgan Victimson")
    page.get_by_label("Date received").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Record the request").click()
    assert "Request recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the readable copy (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto("/data-protection/retention/")
    assert page.get_by_role("heading", level=1).inner_text() == "Retention: what is due to be deleted"
    assert_accessible(page)

    page.goto(f"/data-protection/cases/{case.reference}/")
    assert "Asthma" in page.content()
    assert_accessible(page)
    page.get_by_label("Reason for a legal hold").fill("Ombudsman complaint")
    page.get_by_role("button", name="Place a legal hold").click()
    assert "Legal hold placed" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
