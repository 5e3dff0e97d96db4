"""Chromium: a community safety manager previews, issues and downloads a letter; a letter naming
the alleged perpetrator is refused on the preview. axe-core (WCAG 2.2 AA) on each page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casereview.applications.models import AllegedPerpetrator
from casereview.letters.models import Letter
from tests.conftest import assert_accessible
from tests.conftest import sign_in as sign_in_with_second_factor
from tests.factories import make_application

from .conftest import record_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str, next_url: str) -> None:
    """Sign in through the real sign-in page (password and second factor), then go to `next_url`."""
    sign_in_with_second_factor(page, username)
    page.goto(next_url)


def test_preview_issue_download_and_the_letter_is_on_the_case(page, demo):
    partnership = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    case = make_application(partnership, actor=csm)
    record_decision(case, csm, decision="declined")

    sign_in(page, "wn-csm", f"/cases/{case.reference}/")
    section = page.locator("#section-letters")
    expect(section.get_by_text("No letters have been issued for this case yet.")).to_be_visible()
    section.get_by_role("link", name=re.compile("Write a letter")).click()
    expect(page.get_by_role("heading", name="Letters", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Threshold not met").check()
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_role("heading", name="Preview: Threshold not met letter")).to_be_visible()
    letter = page.get_by_role("region", name="The letter")
    expect(letter).to_contain_text("Incident I1")
    expect(letter).to_contain_text("You must appeal by")
    assert_accessible(page)

    page.get_by_role("button", name="Issue letter").click()
    expect(page.get_by_role("heading", name="Issue the threshold not met letter?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Issue letter").click()

    expect(page.get_by_text("Threshold not met letter issued")).to_be_visible()
    expect(page.get_by_role("heading", name="Threshold not met letter", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the PDF").click()
    download = download_info.value
    assert re.fullmatch(r"WN-2025-0001-threshold-not-met-\d+\.pdf", download.suggested_filename)
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    page.goto(f"/cases/{case.reference}/")  # the case page: the letter is in its Letters section
    section = page.locator("#section-letters")
    expect(section.get_by_role("link", name=re.compile(r"^Threshold not met\s+letter of"))).to_be_visible()
    expect(page.get_by_text("“Threshold not met” letter issued to the victim.")).to_be_visible()  # timeline
    assert_accessible(page)
    assert Letter.objects.filter(application=case, kind="threshold_not_met").count() == 1


def test_the_preview_refuses_a_letter_naming_the_alleged_perpetrator(page, demo):
    partnership = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    case = make_application(partnership, actor=csm)
    AllegedPerpetrator.objects.create(application=case, name="Darren Kirkbride", address="27 Acacia Avenue")
    record_decision(case, csm, decision="declined", reasons="We spoke to DARREN kirkbride at 27 Acacia Ave.")

    sign_in(page, "wn-csm", f"/letters/case/{case.reference}/")
    page.goto(f"/letters/case/{case.reference}/preview/?kind=threshold_not_met")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This letter cannot be issued")
    expect(summary).to_contain_text("The name of alleged perpetrator 1 appears in paragraph")
    expect(summary).to_contain_text("The address of alleged perpetrator 1 appears in paragraph")
    expect(page.get_by_role("button", name="Issue letter")).to_have_count(0)
    assert_accessible(page)
    assert Letter.objects.count() == 0
