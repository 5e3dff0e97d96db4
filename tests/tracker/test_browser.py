"""The cuckooing tracker in Chromium, with axe-core (WCAG 2.2 AA) on each page: an address is
added, archived (with its reason and a confirmation), and re-opens by itself when a new report is
recorded at its UPRN; its owner finds the notice (issue 16, "Done when")."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casereview.reports.services import report_record
from casereview.tracker.models import TrackedAddress
from tests.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UPRN = "100023336956"


def test_add_archive_and_reopen_by_a_report_at_the_uprn(page, demo):
    sign_in(page, "is-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)
    page.goto("/tracker/")
    assert "No address is on the tracker yet" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Add an address of concern").click()
    page.get_by_role("button", name="Save").click()  # nothing filled in
    assert "Say what the concern is at this address." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("UPRN").fill(UPRN)
    page.get_by_label("Address").fill("Flat 4\n21 Caledonian Road\nLondon")
    page.get_by_label("Postcode").fill("N1 9DX")
    page.get_by_label("Ward", exact=True).fill("Caledonian")
    page.get_by_label("Or the occupant's full name").fill("Pat Doyle")
    page.get_by_label("Concerns").fill("Young men visiting at night; the occupant seems frightened.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    entry = TrackedAddress.objects.get()
    main = page.locator("main").inner_text()
    assert "Flat 4" in main and "Open" in main and "Pat Doyle" in main
    assert "No closure notice or order is recorded for this address" in main
    assert_accessible(page)

    page.get_by_role("link", name="Change the status").click()
    page.get_by_label("Archived").check()
    page.get_by_label("Reason").fill("The panel agreed the risk was reduced.")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Archive this address?").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Archive the address").click()
    assert "The address is now archived." in page.locator("body").inner_text()
    entry.refresh_from_db()
    assert entry.status == "archived"

    # A police report at the address's UPRN, through the report log's own service.
    report_record(
        partnership=demo.partnership("islington"),
        agency=demo.agency("islington", "police"),
        reported_at=timezone.now(),
        location=f"UPRN {UPRN}",
        category="Drugs",
        actor=demo.user("is-police"),
    )
    page.goto(f"/tracker/{entry.pk}/")
    main = page.locator("main").inner_text()
    assert "Re-opened by a new report" in main and "by itself" in main
    assert page.locator(".govuk-summary-list .govuk-tag").first.inner_text() == "Open"
    assert_accessible(page)

    page.goto("/notices/")
    assert f"Tracked address {entry.pk} has re-opened" in page.locator("main").inner_text()

    page.goto("/tracker/figures/")
    assert "Addresses over time" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/tracker/?status=open")
    assert "Flat 4" in page.locator("main").inner_text()
    assert_accessible(page)
