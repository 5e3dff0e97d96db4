"""The whole journey of issue 19 in Welsh, in Chromium with axe-core (WCAG 2.2 AA): apply in Welsh,
sign in with the code from the email, add a diary entry, give a written view for the panel, read
the outcome and the agreed actions, and appeal — and the page at 320 pixels wide."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from casereview.applications.models import Application, CaseEvent, Status
from casereview.applications.services import application_set_status
from casereview.panels import services as panel_services
from casereview.reviews import services as review_services
from tests.apply import test_welsh_browser as welsh_application
from tests.conftest import assert_accessible
from tests.panels.helpers import full_panel, hold, schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick(settings):
    settings.CASEREVIEW_APPLY_MIN_SECONDS = 1
    settings.CASEREVIEW_PORTAL_CODE_SECONDS = 0
    return settings


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def into_review(demo, application) -> Application:
    """What staff do meanwhile: acknowledge, accept, appoint the SPOC."""
    csm, today = demo.user("wn-csm"), dt.date.today()
    for status in (Status.ACKNOWLEDGED, Status.ACCEPTED):
        application_set_status(
            application=application, to=status, actor=csm, summary="Done.", occurred_on=today
        )
    review_services.spoc_appoint(
        application=application,
        spoc=demo.user("wn-spoc"),
        actor=csm,
        appointed_on=today,
        override_reason="Works in community safety, not the ASB team that took the report.",
    )
    application.refresh_from_db()
    return application


def outcome(demo, meeting) -> None:
    """The panel meets, agrees two actions shared with the victim, and the outcome letter goes."""
    spoc = demo.user("wn-spoc")
    hold(demo, full_panel(demo, meeting))
    for description, agency in (
        ("Ymweliad ar y cyd â’r bloc.", "police"),
        ("Gosod goleuadau newydd.", "council"),
    ):
        panel_services.panel_action_add(
            meeting=meeting,
            description=description,
            owner_agency=demo.agency("west-northamptonshire", agency),
            owner=demo.user(f"wn-{'police' if agency == 'police' else 'csm'}"),
            due_on=dt.date.today() + dt.timedelta(days=14),
            share_with_victim=True,
            actor=spoc,
        )
    panel_services.victim_consultation_record(
        meeting=meeting, consulted_on=dt.date.today(), method="phone", view="agrees", actor=spoc
    )
    panel_services.action_plan_finalise(meeting=meeting, actor=spoc)
    meeting.refresh_from_db()
    panel_services.outcome_letter_issue(
        meeting=meeting,
        actor=spoc,
        outcome_summary="Cytunodd y panel ar gynllun. Bydd eich SPOC yn cysylltu.",
    )


def test_apply_sign_in_diary_view_and_appeal_in_welsh(page, demo, quick):
    # The application in Welsh, as tests/apply walks it (with the demo's partnerships and staff).
    welsh_application.test_a_victim_applies_in_welsh_from_the_language_switch_to_the_reference(
        page, demo, quick
    )
    application = Application.objects.get()
    reference = application.reference
    assert application.language == "cy"

    page.goto("/my-review/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    submit(page, "Anfon cod ataf")  # nothing typed: the error summary, in Welsh
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Gwall: ")
    assert_accessible(page)
    page.locator("#id_reference").fill(reference)
    page.locator("#id_contact").fill("sian@example.com")
    submit(page, "Anfon cod ataf")
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.locator("#id_code").fill(code)
    submit(page, "Parhau")
    assert page.url.endswith("/my-review/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Eich Adolygiad Achos Ymddygiad Gwrthgymdeithasol"
    )
    assert_accessible(page)

    # A diary entry.
    page.get_by_role("link", name="Ychwanegu cofnod dyddiadur").click()
    assert_accessible(page)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page.locator("#id_occurred_on_day").fill(str(yesterday.day))
    page.locator("#id_occurred_on_month").fill(str(yesterday.month))
    page.locator("#id_occurred_on_year").fill(str(yesterday.year))
    page.locator("#id_what_happened").fill("Gweiddi ar y landin tan 2 y bore.")
    submit(page, "Ychwanegu’r cofnod")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page)

    # The panel is scheduled; the victim gives a written view.
    application = into_review(demo, application)
    meeting = schedule(demo, application)
    page.reload()
    page.get_by_role("link", name="Dweud eich barn wrth y panel").click()
    assert_accessible(page)
    page.locator("input[name=how][value=statement]").check()
    page.locator("#id_statement").fill("Dydw i ddim wedi cysgu’n iawn ers blwyddyn.")
    submit(page, "Anfon")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    # Later: the outcome, two agreed actions, and the appeal.
    outcome(demo, meeting)
    page.reload()
    expect(page.get_by_text("Cytunodd y panel ar gynllun.")).to_be_visible()
    expect(page.locator("table.govuk-table tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name="Apelio yn erbyn y penderfyniad").click()
    assert_accessible(page)
    page.locator("input[name=grounds]").first.check()
    page.locator("#id_explanation").fill("Nid yw’r cynllun yn atal y sŵn yn y nos.")
    submit(page, "Anfon eich apêl")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page)

    kinds = set(CaseEvent.objects.filter(application=application).values_list("kind", flat=True))
    assert {"portal_diary_entry", "victim_view_given", "appeal_lodged", "portal_appeal"} <= kinds

    # 320 pixels wide: nothing wider than the screen.
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
