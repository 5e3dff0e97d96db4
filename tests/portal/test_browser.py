"""The whole journey of issue 19's "Done when", in Welsh, in Chromium with axe-core (WCAG 2.2 AA, and
the landmark rules: nothing outside a landmark, axe's `region`), every page of the own view on a
320-pixel-wide screen with nothing wider than it: apply in Welsh, receive the Welsh acknowledgement
at a real mail server, sign in with the code from the email, add a diary entry and a photo, see the
panel date and give a written view, later read the outcome and two agreed actions with their
progress, and appeal — all without staff help; then the SPOC sees each of these on the case."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from casereview.actions.selectors import actions_for_letter
from casereview.actions.services import action_complete
from casereview.applications.models import Application, CaseEvent, Status
from casereview.applications.services import application_set_status
from casereview.panels import services as panel_services
from casereview.reviews import services as review_services
from tests.apply import test_welsh_browser as welsh_application
from tests.conftest import AXE_JS, assert_accessible, sign_in
from tests.panels.helpers import full_panel, hold, schedule
from tests.portal.clamd_standin import ClamdStandIn
from tests.portal.test_evidence import photo_with_location

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick(settings, tmp_path):
    settings.CASEREVIEW_APPLY_MIN_SECONDS = 1
    settings.CASEREVIEW_PORTAL_CODE_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings


@pytest.fixture
def scanner(settings):
    standin = ClamdStandIn().start()
    settings.CASEREVIEW_CLAMD = standin.address
    yield standin
    standin.stop()


NARROW = {"width": 320, "height": 640}
LANDMARK_RULES = ["region", "landmark-one-main", "landmark-no-duplicate-banner", "landmark-unique", "bypass"]


def assert_landmarks(page) -> None:
    """axe-core's landmark rules, which its WCAG tags leave out: every piece of content inside a
    landmark (`region`: the banner and the back links included), one main, one banner."""
    if page.evaluate("typeof axe") == "undefined":
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "(rules) => axe.run(document, {runOnly: {type: 'rule', values: rules}})", LANDMARK_RULES
    )
    found = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    assert found == [], f"axe-core's landmark rules failed on {page.url}: {found}"


def assert_fits_320(page) -> None:
    assert page.viewport_size == NARROW
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} pixels wide on a 320-pixel screen"


def check(page) -> None:
    """Every page of the own view: WCAG 2.2 AA, the landmarks, and 320 pixels wide."""
    assert_accessible(page)
    assert_landmarks(page)
    assert_fits_320(page)


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


def text_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return " ".join(part.get_payload(decode=True).decode().split())


def test_apply_sign_in_diary_photo_view_outcome_and_appeal_in_welsh_then_the_spoc_sees_each(
    page, demo, quick, smtp_sink, scanner
):
    # The application in Welsh, as tests/apply walks it (with the demo's partnerships and staff).
    welsh_application.test_a_victim_applies_in_welsh_from_the_language_switch_to_the_reference(
        page, demo, quick
    )
    application = Application.objects.get()
    reference = application.reference
    assert application.language == "cy"
    assert_landmarks(page)  # the apply pages' banner and back links too

    # The Welsh acknowledgement, at a real mail server.
    (acknowledgement,) = smtp_sink.messages
    assert acknowledgement["To"] == "sian@example.com"
    assert f"Eich cyfeirnod yw {reference}" in text_of(acknowledgement)

    # From here on, a phone's screen: 320 pixels wide.
    page.set_viewport_size(NARROW)
    page.goto("/my-review/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    check(page)
    submit(page, "Anfon cod ataf")  # nothing typed: the error summary, in Welsh
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Gwall: ")
    check(page)
    page.locator("#id_reference").fill(reference)
    page.locator("#id_contact").fill("sian@example.com")
    submit(page, "Anfon cod ataf")
    check(page)
    code_email = smtp_sink.messages[-1]
    assert code_email is not acknowledgement
    code = re.search(r"\b(\d{6})\b", text_of(code_email)).group(1)
    page.locator("#id_code").fill(code)
    submit(page, "Parhau")
    assert page.url.endswith("/my-review/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Eich Adolygiad Achos Ymddygiad Gwrthgymdeithasol"
    )
    check(page)

    # A diary entry.
    page.get_by_role("link", name="Ychwanegu cofnod dyddiadur").click()
    check(page)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page.locator("#id_occurred_on_day").fill(str(yesterday.day))
    page.locator("#id_occurred_on_month").fill(str(yesterday.month))
    page.locator("#id_occurred_on_year").fill(str(yesterday.year))
    page.locator("#id_what_happened").fill("Gweiddi ar y landin tan 2 y bore.")
    submit(page, "Ychwanegu’r cofnod")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check(page)

    # A photo, with the phone's location in it; cleared by the virus scanner (a stand-in).
    page.get_by_role("link", name="Anfon llun, recordiad neu ddogfen").click()
    check(page)
    page.locator("#id_file").set_input_files(
        {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": photo_with_location()}
    )
    page.locator("#id_description").fill("Y biniau ar dân")
    submit(page, "Anfon y ffeil")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.reload()
    expect(page.get_by_text("IMG_0001.jpg: wedi’i dderbyn")).to_be_visible()
    check(page)

    # The panel is scheduled; the victim sees its date and gives a written view.
    application = into_review(demo, application)
    meeting = schedule(demo, application)
    page.reload()
    expect(page.get_by_text("Bydd y panel yn cyfarfod ar")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Dweud eich barn wrth y panel").click()
    check(page)
    page.locator("input[name=how][value=statement]").check()
    page.locator("#id_statement").fill("Dydw i ddim wedi cysgu’n iawn ers blwyddyn.")
    submit(page, "Anfon")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check(page)

    # Later: the outcome, two agreed actions (one done), and the appeal.
    outcome(demo, meeting)
    first = actions_for_letter(application, shared_only=True).first()
    action_complete(
        action=first,
        actor=demo.user("wn-spoc"),
        what_happened="Ymwelwyd â’r bloc.",
        completed_on=dt.date.today(),
    )
    page.reload()
    expect(page.get_by_text("Cytunodd y panel ar gynllun.")).to_be_visible()
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Ymweliad ar y cyd")).to_contain_text("Wedi’i wneud")
    expect(rows.filter(has_text="Gosod goleuadau")).to_contain_text("Ar y gweill")
    check(page)
    page.get_by_role("link", name="Apelio yn erbyn y penderfyniad").click()
    check(page)
    page.locator("input[name=grounds]").first.check()
    page.locator("#id_explanation").fill("Nid yw’r cynllun yn atal y sŵn yn y nos.")
    submit(page, "Anfon eich apêl")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check(page)
    # The withdrawal page (not used: the appeal stands), and the letters in the list.
    page.goto("/my-review/withdraw/")
    if page.url.endswith("/my-review/withdraw/"):
        check(page)

    kinds = set(CaseEvent.objects.filter(application=application).values_list("kind", flat=True))
    assert {
        "portal_diary_entry",
        "portal_upload",
        "victim_view_given",
        "appeal_lodged",
        "portal_appeal",
    } <= kinds

    # The SPOC sees each of these on the case, and opens the photo (its location gone).
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "wn-spoc")
    page.goto(f"/cases/{reference}/appeals/")  # the case's own pages (ADR 0093)
    expect(page.locator("#section-appeals")).to_contain_text("Review outcome")
    page.goto(f"/cases/{reference}/own_view/")
    section = page.locator("#section-own_view")
    expect(section).to_contain_text("Gweiddi ar y landin tan 2 y bore.")
    expect(section).to_contain_text("1 to review")
    expect(section).to_contain_text("Dydw i ddim wedi cysgu’n iawn ers blwyddyn.")
    expect(section).to_contain_text("Cleared")
    assert_landmarks(page)
    with page.expect_download() as download:
        section.get_by_role("link", name="IMG_0001.jpg").click()
    photo = Path(download.value.path()).read_bytes()
    assert not Image.open(BytesIO(photo)).getexif().get_ifd(0x8825)
    # The diary entry becomes an incident on the case.
    section.get_by_role("link", name=re.compile("Gweiddi ar y landin")).click()
    assert_accessible(page)
    assert_landmarks(page)
    page.get_by_label("What happened, as it should read on the case").fill(
        "Shouting on the landing until 2am."
    )
    submit(page, "Add the incident")
    assert page.url.endswith("/reports/new/")
    incident = application.incidents.get(diary_sheet=True)
    assert incident.description == "Shouting on the landing until 2am."
    page.goto(f"/cases/{reference}/own_view/")
    expect(page.locator("#section-own_view")).to_contain_text(f"Incident {incident.ref}")
