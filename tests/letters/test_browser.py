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

    sign_in(page, "wn-csm", f"/cases/{case.reference}/letters/")  # the case's Letters page (ADR 0093)
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

    page.goto(f"/cases/{case.reference}/letters/")  # the case's Letters page (ADR 0093)
    section = page.locator("#section-letters")
    expect(section.get_by_role("link", name=re.compile(r"^Threshold not met\s+letter of"))).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{case.reference}/")  # the summary's latest timeline entries
    expect(page.get_by_text("“Threshold not met” letter issued to the victim.")).to_be_visible()
    assert_accessible(page)
    assert Letter.objects.filter(case=case, kind="threshold_not_met").count() == 1


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


def test_a_large_print_postal_decision_letter_meets_its_clock_only_when_marked_posted(page, demo):
    import datetime as dt

    from django.utils import timezone

    from casereview.applications.services import application_acknowledge
    from casereview.letters.models import LetterDispatch

    partnership = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    today = timezone.localdate()
    case = make_application(partnership, actor=csm, received_on=today - dt.timedelta(days=2))
    victim = case.victim
    victim.preferred_contact = "letter"
    victim.format_needs = "Large print"
    victim.save()
    application_acknowledge(application=case, actor=csm, acknowledged_on=today)
    record_decision(case, csm, decision="declined")

    sign_in(page, "wn-csm", f"/letters/case/{case.reference}/preview/?kind=threshold_not_met")
    expect(page.get_by_role("heading", name="Preview: Threshold not met letter")).to_be_visible()
    page.get_by_role("button", name="Issue letter").click()
    expect(page.get_by_role("heading", name="Issue the threshold not met letter?")).to_be_visible()
    # The person's own way is chosen: by post, printed in large print.
    expect(page.get_by_label(re.compile("Post: printed in large print"))).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Issue letter").click()
    expect(page.get_by_text("Threshold not met letter issued")).to_be_visible()
    expect(page.get_by_text("Waiting to be sent")).to_be_visible()
    assert_accessible(page)

    # Issued is not sent: the case's clock is still to do.
    page.goto(f"/cases/{case.reference}/")
    row = page.locator("#deadlines + table tr", has_text="Send the threshold decision")
    expect(row).to_contain_text("To do")
    expect(row).not_to_contain_text("Done")

    page.goto("/letters/dispatch/")
    expect(page.get_by_role("heading", name="Letters to send")).to_be_visible()
    queue = page.locator("table[aria-labelledby=print-queue]")
    expect(queue).to_contain_text(case.reference)
    expect(queue).to_contain_text("Large print")
    assert_accessible(page)
    queue.get_by_role("link", name=re.compile("Threshold not met")).click()
    expect(page.get_by_role("heading", name="Threshold not met letter post")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark printed").click()
    expect(page.get_by_text("Printed, not yet posted")).to_be_visible()
    page.goto(f"/cases/{case.reference}/")
    expect(row).to_contain_text("To do")  # printed is not posted

    dispatch = LetterDispatch.objects.get(letter__case=case)
    page.goto(f"/letters/dispatch/{dispatch.pk}/")
    page.get_by_role("button", name="Mark posted").click()
    expect(page.get_by_text("Recorded as posted.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{case.reference}/")
    expect(row).to_contain_text("Done on time")
    expect(page.get_by_text("“Threshold not met” letter sent to the victim by post.")).to_be_visible()
    assert_accessible(page)


def test_a_warning_letter_to_an_alleged_perpetrator_from_the_case_page(page, demo):
    """From the case's alleged perpetrators: the wording refused while it names the victim, then
    checked, confirmed and issued; axe-core on each page."""
    partnership = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    case = make_application(partnership, actor=csm)
    AllegedPerpetrator.objects.create(
        application=case, name="Gideon Thistlewaite", address="9 Quarry Road\nDaventry\nNN11 9ZZ"
    )

    sign_in(page, "wn-csm", f"/cases/{case.reference}/")
    page.get_by_role("link", name="Warning letter to Gideon Thistlewaite").click()
    expect(page.get_by_role("heading", name="Warning letter to an alleged perpetrator")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What the letter says about the behaviour").fill(
        "Jo Bloggs says there is loud music at night."
    )
    page.get_by_role("button", name="Check the letter").click()
    expect(page.get_by_role("heading", name="This letter cannot be issued")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("The name of the victim appears in paragraph"))
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What the letter says about the behaviour").fill(
        "Loud music at night has been reported."
    )
    page.get_by_role("button", name="Check the letter").click()
    expect(page.get_by_role("heading", name="Issue the warning letter?")).to_be_visible()
    expect(page.get_by_role("region", name="The letter")).to_contain_text("Loud music at night")
    assert_accessible(page)
    page.get_by_role("button", name="Issue letter").click()

    expect(page.get_by_text("Warning letter issued")).to_be_visible()
    assert_accessible(page)
    letter = Letter.objects.get(case=case, kind="warning")
    assert letter.recipient_name == "Gideon Thistlewaite"
