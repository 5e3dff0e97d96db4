"""Issue 20's "done when", in Chromium with axe-core (WCAG 2.2 AA): the local policing body's
reviewer finds a "not met" decision flawed and it goes back to the council with the reason; and the
victim's page and form carry the route, in Welsh too."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

from casereview.accounts.models import Partnership, User
from casereview.appeals.services import appeal_decide, appeal_lodge
from casereview.law.services import commencement_record
from casereview.returns import demo as returns_demo
from tests.conftest import assert_accessible, sign_in
from tests.statistics import workflow as wf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def fill_date(page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def choose(page, partnership_name: str) -> None:
    page.goto("/account/partnership/")
    page.get_by_label(partnership_name).check()
    submit(page, "Continue")


@pytest.fixture
def declined_after_appeal(demo):
    """North Northamptonshire declined a case as not met; the council's appeal was not upheld
    (the register's preset: the appeal comes first); the route is in force in England."""
    returns_demo.load(io.StringIO())
    nn = Partnership.objects.get(slug="north-northamptonshire")
    today = dt.date.today()
    commencement_record(
        provision="cpa2026.lpb_review",
        nation="england",
        in_force_on=today - dt.timedelta(days=60),
        source="The Crime and Policing Act 2026 (Commencement No. 2) Regulations",
        actor=None,
    )
    csm = User.objects.get(username="nnc-csm")
    case = wf.decline(
        wf.received(nn, today - dt.timedelta(days=40), name="Nadia Northfield"),
        today - dt.timedelta(days=20),
        csm,
        letter_on=today - dt.timedelta(days=19),
    )
    appeal = appeal_lodge(
        application=case,
        decision_appealed="threshold_not_met",
        lodged_on=today - dt.timedelta(days=15),
        channel="phone",
        grounds=["insufficient_reasons"],
        explanation="The police reports were not counted.",
        actor=csm,
    )
    appeal_decide(
        appeal=appeal,
        actor=User.objects.get(username="nnc-senior"),
        decided_on=today - dt.timedelta(days=10),
        outcome="not_upheld",
        reasons="The letter explained each incident.",
    )
    case.refresh_from_db()
    return case


def test_the_reviewer_sends_a_flawed_not_met_decision_back_to_the_council(page, declined_after_appeal):
    case = declined_after_appeal
    today = dt.date.today()
    reason = "The two police reports in October were made within 30 days and should have counted."

    # The commissioner's office, working in North Northamptonshire, records the victim's phone call.
    sign_in(page, "np-pcc")
    choose(page, "North Northamptonshire Council")
    page.get_by_role("link", name="Policing body reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews asked of the local policing body")
    assert_accessible(page)
    page.get_by_role("link", name="Record a request made by phone, email, letter or in person").click()
    submit(page, "Record the request")  # nothing typed: the error summary names each field
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The case reference").fill(case.reference)
    fill_date(page, "requested_on", today - dt.timedelta(days=5))
    page.get_by_label("Phone call").check()
    page.get_by_label("Why the victim thinks the decision is wrong").fill("My police reports were ignored.")
    submit(page, "Record the request")

    # The review: the application, the incidents and the decision — nothing else of the case.
    expect(page.get_by_role("heading", level=1)).to_have_text("Review of a “threshold not met” decision")
    for heading in ("The application", "The incidents", "The decision", "Your decision"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Nadia" not in body and "Northfield" not in body
    assert_accessible(page)
    page.get_by_label("Sent back to the partnership to decide again").check()
    page.get_by_label("Your reasons").fill(reason)
    fill_date(page, "decided_on", today)
    submit(page, "Record the decision and send the letter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("letter to the victim sent")
    expect(page.locator("#outcome")).to_contain_text(reason)
    assert_accessible(page)

    # Back at the council: the case waits for a threshold decision again, with the reason on it.
    case.refresh_from_db()
    assert case.status == "acknowledged"
    sign_in(page, "nnc-csm")
    page.goto(f"/cases/{case.reference}/")
    main = page.locator("main")
    expect(main).to_contain_text("Acknowledged")
    expect(main).to_contain_text("sent the threshold decision back to the partnership to decide again")
    expect(main).to_contain_text(reason)
    assert_accessible(page)
    # And the council's community safety manager was told (no SPOC before a review is accepted).
    page.goto("/notices/")
    expect(page.locator("main")).to_contain_text(f"{case.reference}: the local policing body sent")


def test_before_commencement_the_victims_page_names_the_date(page, demo, settings):
    """The victim's own page: refused before the route's commencement, naming the date, in Welsh."""
    from django.core import mail

    settings.CASEREVIEW_PORTAL_CODE_SECONDS = 0
    wn = demo.partnership("west-northamptonshire")
    returns_demo.load(io.StringIO())
    today = dt.date.today()
    start = today + dt.timedelta(days=30)
    commencement_record(
        provision="cpa2026.lpb_review", nation="england", in_force_on=start, source="SI", actor=None
    )
    case = wf.decline(
        wf.received(wn, today - dt.timedelta(days=40), name="Sian Jones"),
        today - dt.timedelta(days=20),
        User.objects.get(username="wn-csm"),
        letter_on=today - dt.timedelta(days=19),
    )
    page.set_extra_http_headers({"Accept-Language": "cy"})
    page.goto("/my-review/sign-in/")
    page.locator("#id_reference").fill(case.reference)
    page.locator("#id_contact").fill(case.victim.email)
    submit(page, "Anfon cod ataf")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.locator("#id_code").fill(code)
    submit(page, "Parhau")
    page.goto("/my-review/policing-body-review/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gofyn am adolygu’r penderfyniad")
    closed = page.locator("#route-closed")
    from casereview.core.reasons import Words, _date  # the date as the page writes it in Welsh

    expect(closed).to_contain_text(_date(Words(language="cy"), start))
    assert page.locator("form textarea").count() == 0
    assert_accessible(page)
