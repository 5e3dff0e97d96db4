"""The public journey in Chromium, checked with axe-core (WCAG 2.2 AA) on every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casereview.applications.models import Application, IncidentReport
from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick(settings):
    # The minimum time from start to send still applies, at a second: Chromium is fast.
    settings.CASEREVIEW_APPLY_MIN_SECONDS = 1
    return settings


def next_page(page, button: str = "Continue") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def fill_date(scope, day: dt.date) -> None:
    scope.get_by_label("Day").fill(str(day.day))
    scope.get_by_label("Month").fill(str(day.month))
    scope.get_by_label("Year").fill(str(day.year))


def add_incident(page, number, *, occurred, what, reports, hostility="No"):
    """reports: [(agency name, reported on, reference)]; none means "I did not report it"."""
    assert heading(page) == "When did it happen?"
    assert_accessible(page)
    fill_date(page, occurred)
    next_page(page)
    assert heading(page) == "What happened?"
    assert_accessible(page)
    page.get_by_label("What happened?").fill(what)
    page.get_by_label("Where did it happen?").fill("Outside my flat")
    next_page(page)
    assert_accessible(page)
    page.get_by_label(hostility, exact=True).check()
    next_page(page)
    assert heading(page) == "Who did you report it to?"
    assert_accessible(page)
    if not reports:
        page.get_by_label("I did not report it").check()
        next_page(page)
    else:
        for name, _, _ in reports:
            page.get_by_label(name, exact=True).check()
        next_page(page)
        assert heading(page) == "When did you report it?"
        assert_accessible(page)
        for name, reported_on, reference in reports:
            fill_date(page.get_by_role("group", name=f"When did you report it to {name}?"), reported_on)
            page.get_by_label(f"Reference number from {name} (optional)").fill(reference)
        next_page(page)
    assert heading(page) == f"You have told us about {number} incident{'s' if number > 1 else ''}"
    assert_accessible(page)


def test_a_victim_applies_with_three_incidents_and_gets_a_reference(page, areas, quick, smtp_sink):
    today = dt.date.today()
    page.goto("/apply/")
    assert heading(page) == "Ask for an ASB Case Review"
    assert_accessible(page)
    next_page(page, "Start now")

    assert heading(page) == "Is anyone in immediate danger now?"
    assert_accessible(page)
    next_page(page)  # no answer: the error state
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Select yes if you or anyone else is in immediate danger now" in summary.inner_text()
    assert_accessible(page)
    page.get_by_label("No", exact=True).check()
    next_page(page)

    assert heading(page) == "What is the postcode where the behaviour is happening?"
    assert_accessible(page)
    page.get_by_label("What is the postcode where the behaviour is happening?").fill("NN1 1ED")
    next_page(page)

    assert heading(page) == "Do any of these describe what you want looked at?"
    assert_accessible(page)
    page.get_by_label("None of these").check()
    next_page(page)

    assert heading(page) == "Who is the behaviour affecting?"
    assert_accessible(page)
    page.get_by_label("I am – the behaviour is affecting me").check()
    next_page(page)

    assert_accessible(page)
    page.get_by_label("What is your full name?").fill("Jo Bloggs")
    next_page(page)

    assert heading(page) == "What is your address?"
    assert_accessible(page)
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("Town or city").fill("Northampton")
    page.get_by_label("Postcode").fill("NN1 1AA")
    next_page(page)

    assert heading(page) == "How should we contact you?"
    assert_accessible(page)
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("jo@example.com")
    next_page(page)

    assert heading(page) == "Contacting you safely"
    assert_accessible(page)
    page.get_by_label("Do not leave voicemail or answerphone messages").check()
    page.get_by_label("When is it safe to contact you? (optional)").fill("Weekdays after 6pm")
    next_page(page)

    assert heading(page) == "Help with letters and meetings"
    assert_accessible(page)
    page.get_by_label("Large print").check()
    next_page(page)

    day = dt.timedelta(days=1)
    add_incident(
        page,
        1,
        occurred=today - 40 * day,
        what="Music until 3am",
        reports=[
            ("Northamptonshire Police", today - 39 * day, "NP-1"),
            ("West Northamptonshire Council", today - 38 * day, "WNC-7"),
        ],
    )
    page.get_by_label("Yes", exact=True).check()
    next_page(page)
    add_incident(
        page,
        2,
        occurred=today - 20 * day,
        what="Shouted abuse",
        reports=[("Northamptonshire Partnership Homes", today - 19 * day, "")],
        hostility="Race or ethnicity",
    )
    page.get_by_label("Yes", exact=True).check()
    next_page(page)
    add_incident(page, 3, occurred=today - 5 * day, what="Rubbish at my door", reports=[])
    page.get_by_label("No", exact=True).check()
    next_page(page)

    assert heading(page) == "What has happened so far?"
    assert_accessible(page)
    page.get_by_label("What has happened so far?").fill("It has gone on for a year.")
    next_page(page)
    assert heading(page) == "What would you like to happen?"
    assert_accessible(page)
    page.get_by_label("What would you like to happen?").fill("For it to stop.")
    next_page(page)

    assert heading(page) == "Check your answers before sending your application"
    assert_accessible(page)
    assert "Music until 3am" in page.content() and "Incident 3" in page.content()
    page.wait_for_timeout(1000)  # the minimum time between start and send
    next_page(page, "Accept and send")

    assert heading(page) == "Application sent"
    assert_accessible(page)
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    assert re.fullmatch(r"WN-\d{4}-\d{4}", reference)
    application = Application.objects.get(reference=reference)
    assert application.incidents.count() == 3
    reports = IncidentReport.objects.filter(incident__application=application)
    assert sorted(reports.values_list("agency__kind", flat=True)) == ["council", "housing", "police"]
    assert application.incidents.get(ref="I1").reports.count() == 2

    # The acknowledgement email arrived at the mail server (a real one, started by the test).
    (email,) = smtp_sink.messages
    assert email["To"] == "jo@example.com"
    assert reference in email["Subject"]
    assert f"Your reference is {reference}" in email.get_payload(decode=True).decode()
    assert application.victim.refused_contact == {"voicemail"}
    sent = application.events.get(kind="notification_sent")
    assert sent.data == {
        "channel": "email",
        "purpose": "application_received",
        "message": sent.data["message"],
        "staff_task": False,
        "to": "victim",
    }


def test_a_third_party_applies_without_consent_yet_after_the_exit_pages(page, areas, quick):
    today = dt.date.today()
    page.goto("/apply/")
    next_page(page, "Start now")
    page.get_by_label("Yes", exact=True).check()
    next_page(page)
    assert heading(page) == "Call 999 now"
    assert_accessible(page)
    page.get_by_role("button", name="I am safe, continue my application").click()

    page.get_by_label("What is the postcode where the behaviour is happening?").fill("N1 2UD")
    next_page(page)
    page.get_by_label("I want to complain about how I was treated by a service").check()
    next_page(page)
    assert heading(page) == "There may be a better way to deal with this"
    assert_accessible(page)
    page.get_by_role("button", name="Continue my application").click()

    page.get_by_label("Someone else – I am applying on their behalf").check()
    next_page(page)
    assert heading(page) == "Who are you applying for?"
    assert_accessible(page)
    page.get_by_label("A person").check()
    next_page(page)
    assert_accessible(page)
    page.get_by_label("Relative").check()
    next_page(page)
    assert heading(page) == "Your contact details"
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Pat Bloggs")
    page.get_by_label("Telephone number").fill("01632 960 001")
    next_page(page)
    assert_accessible(page)
    page.get_by_label("Not yet – I have not asked them").check()
    next_page(page)

    assert heading(page) == "What is their full name?"
    assert_accessible(page)
    page.get_by_label("What is their full name?").fill("Jo Bloggs")
    next_page(page)
    page.get_by_label("Address line 1").fill("2 Upper Street")
    page.get_by_label("Town or city").fill("London")
    page.get_by_label("Postcode").fill("N1 2UD")
    next_page(page)
    assert heading(page) == "How should we contact them?"
    page.get_by_label("Letter").check()
    next_page(page)
    page.get_by_label("Is there anything we must know to contact them safely? (optional)").fill(
        "The person causing the problem lives with them."
    )
    next_page(page)
    next_page(page)  # no format needs

    add_incident(page, 1, occurred=today - 3 * dt.timedelta(days=1), what="Threats", reports=[])
    page.get_by_label("No", exact=True).check()
    next_page(page)
    page.get_by_label("What has happened so far?").fill("Threats every week.")
    next_page(page)
    page.get_by_label("What would you like to happen?").fill("Help for my relative.")
    next_page(page)
    assert_accessible(page)
    page.wait_for_timeout(1000)
    next_page(page, "Accept and send")

    assert heading(page) == "Application sent"
    assert "ask whether they agree" in page.content()
    assert_accessible(page)
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    application = Application.objects.get(reference=reference)
    assert reference.startswith("IS-")
    assert application.applicant.full_name == "Pat Bloggs"
    assert application.victim_consent is None
    assert application.concerns == ["service_provision_only"]
    assert application.victim.contact_safety_notes == "The person causing the problem lives with them."
