"""Issue 17's "Done when", end to end in Chromium with axe-core (WCAG 2.2 AA) on every page: a
first warning to a person, support offered, escalation to a CPW and a CPN (refused when skipping
the warning), the CPN's document served; a CPN refused on a 15-year-old under the 2014 age rule and,
with a lowered age recorded in the register, on a 12-year-old without youth services; each refusal
naming the rule and its date; a report about the person flagging a possible breach; a cuckooed
address's closure notice (refused without the occupants informed, or beyond 24 hours without a
senior authorisation), its hearing warning and the court's order recorded; and the escalation
figures matching the steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.interventions import selectors, services
from casereview.interventions.models import Step
from casereview.law.services import commencement_record
from casereview.letters.models import LetterDispatch
from casereview.people import services as people
from casereview.reports.services import report_record
from tests.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def _step(page, intervention, kind: str, served_on: dt.date, *, submit=True, **fields) -> str:
    """Fill the step form and submit it; the error summary's text (empty when recorded)."""
    page.goto(f"/interventions/{intervention.pk}/steps/new/")
    page.get_by_label("Step", exact=True).select_option(kind)
    _date(page, "served_on", served_on)
    if "comply_by" in fields:
        _date(page, "comply_by", fields.pop("comply_by"))
    if "served_time" in fields:
        page.get_by_label("Time served").fill(fields.pop("served_time"))
    if "hours" in fields:
        page.get_by_label("Length in hours").fill(str(fields.pop("hours")))
    if "prohibitions" in fields:
        page.get_by_label("Prohibitions (what the person must not do)").fill(fields.pop("prohibitions"))
    for duty in fields.pop("duties", ()):
        page.locator(f"#duties input[value='{duty}']").check()
    page.get_by_label("How it was served").select_option(fields.pop("how", "post"))
    assert not fields, fields
    with page.expect_navigation():
        page.get_by_role("button", name="Check and record the step").click()
    summary = page.locator(".govuk-error-summary")
    return summary.inner_text() if summary.count() else ""


def test_the_ladder_from_a_first_warning_to_closure_with_the_laws_rules(page, demo, admin_user):
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    council = demo.agency("west-northamptonshire", "council")
    adult = people.person_create(
        partnership=wn,
        data=people.PersonData(full_name="Lee Adult", date_of_birth=dt.date(1990, 1, 1)),
        actor=csm,
    )
    teen = people.person_create(
        partnership=wn,
        data=people.PersonData(full_name="Sam Young", date_of_birth=dt.date(2011, 5, 1)),
        actor=csm,
    )
    child = people.person_create(
        partnership=wn,
        data=people.PersonData(full_name="Alex Child", date_of_birth=dt.date(2014, 3, 1)),
        actor=csm,
    )
    flat = people.place_create(
        partnership=wn, data=people.PlaceData(address="Flat 3, 9 Mill Lane"), actor=csm
    )

    def opened(**subject):
        return services.intervention_open(
            partnership=wn,
            lead_agency=council,
            officer=csm,
            opened_on=dt.date(2026, 1, 5),
            summary="Intimidating neighbours",
            actor=csm,
            **subject,
        )

    lee = opened(person=adult)
    sign_in(page, "wn-csm")
    page.wait_for_url(lambda url: "sign-in" not in url)

    # A first warning, and support offered alongside.
    assert _step(page, lee, "warning_letter", dt.date(2026, 1, 10)) == ""
    assert_accessible(page)
    page.get_by_role("link", name="Record support offered").click()
    page.get_by_label("Drug and alcohol service").check()
    _date(page, "offered_on", dt.date(2026, 1, 10))
    with page.expect_navigation():
        page.get_by_role("button", name="Record the offer").click()
    assert "Drug and alcohol service, offered 10 Jan 2026" in page.locator("#support ~ ul").first.inner_text()

    # Skipping the warning (the CPW) to a CPN is refused, naming the rule and its date.
    summary = _step(page, lee, "cpn", dt.date(2026, 1, 12), prohibitions="No amplified music after 11pm")
    assert "s.43(5)(a), in force from 20 October 2014" in summary
    assert_accessible(page)
    assert not Step.objects.filter(intervention=lee, kind="cpn").exists()

    # The CPW with time to comply, then the CPN.
    assert (
        _step(
            page,
            lee,
            "cpw",
            dt.date(2026, 1, 20),
            comply_by=dt.date(2026, 1, 27),
            prohibitions="No amplified music after 11pm",
        )
        == ""
    )
    assert _step(page, lee, "cpn", dt.date(2026, 2, 2), prohibitions="No amplified music after 11pm") == ""
    assert_accessible(page)

    # The CPN's document: its terms and appeal route, checked, issued, queued to the print queue.
    page.get_by_role("link", name="Write the document for the Community Protection Notice").click()
    assert_accessible(page)
    page.get_by_label("What the document says about the behaviour").fill(
        "Amplified music from your flat after 11pm on most nights since January."
    )
    page.get_by_label("Their address, for the letter").fill("Flat 1, 2 Canal Street\nNN11 4AA")
    with page.expect_navigation():
        page.get_by_role("button", name="Check the document").click()
    letter_text = page.locator("#the-letter").inner_text()
    assert "magistrates" in letter_text and "22 February 2026" in letter_text
    assert_accessible(page)
    page.get_by_label("Post: printed and posted by staff from the print queue").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Issue the document").click()
    assert "Community Protection Notice issued" in page.locator("main").inner_text()
    cpn = Step.objects.get(intervention=lee, kind="cpn")
    assert LetterDispatch.objects.filter(letter_id=cpn.letter_id, via="print_queue").count() == 1

    # A CPN on a 15-year-old under the 2014 Act's age rule.
    sam = opened(person=teen)
    summary = _step(page, sam, "cpn", dt.date(2026, 6, 1), prohibitions="No gathering on the stairwell")
    assert "16" in summary and "s.43(1), in force from 20 October 2014" in summary
    assert_accessible(page)

    # A lowered age recorded in the register: a 12-year-old without youth services engaged.
    commencement_record(
        provision="reform.cpn_age_10",
        nation="england",
        in_force_on=dt.date(2026, 9, 1),
        source="Commencement regulations (test)",
        actor=admin_user,
    )
    alex = opened(person=child)
    summary = _step(page, alex, "cpn", dt.date(2026, 10, 1), prohibitions="No gathering on the stairwell")
    assert "youth services" in summary and "in force from 1 September 2026" in summary
    assert_accessible(page)
    assert not Step.objects.filter(intervention__in=[sam, alex]).exists()

    # A report about Lee while the CPN is in force flags a possible breach to the officer.
    report = report_record(
        partnership=wn,
        agency=council,
        reported_at=dt.datetime(2026, 3, 1, 23, 0, tzinfo=dt.UTC),
        location="2 Canal Street",
        caller="lee-key",
        actor=csm,
    )
    people.report_link_confirm(report=report, person=adult, actor=csm)
    page.goto("/interventions/")
    assert_accessible(page)
    page.goto(f"/interventions/{lee.pk}/")
    assert (
        "while the Community Protection Notice was in force"
        in page.locator("#breaches ~ ul").first.inner_text()
    )

    # A cuckooed address: the closure notice refused without the occupants informed, or beyond 24
    # hours without a senior authorisation; then served, its hearing warned of as it nears.
    closure = opened(premises=flat)
    served = timezone.localtime(timezone.now() - dt.timedelta(hours=40)).replace(second=0, microsecond=0)
    hhmm = f"{served:%H:%M}"
    summary = _step(page, closure, "closure_notice", served.date(), served_time=hhmm, hours=24, how="affixed")
    assert "reasonable efforts must be made to inform the people who live at" in summary
    assert "s.76(6), in force from 20 October 2014" in summary
    summary = _step(
        page,
        closure,
        "closure_notice",
        served.date(),
        served_time=hhmm,
        hours=36,
        how="affixed",
        duties=["occupants_informed", "appropriate_consulted"],
    )
    assert "48" in summary or "24" in summary
    assert "s.77" in summary
    assert_accessible(page)
    assert (
        _step(
            page,
            closure,
            "closure_notice",
            served.date(),
            served_time=hhmm,
            hours=24,
            how="affixed",
            duties=["occupants_informed", "appropriate_consulted"],
        )
        == ""
    )
    assert "Due soon" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Record the hearing").click()
    heard = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    _date(page, "heard_on", heard.date())
    page.get_by_label("Time of the hearing").fill(f"{heard:%H:%M}")
    page.get_by_label("What the court decided").fill("Closure order made for three months.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the hearing").click()
    main = page.locator("main").inner_text()
    assert "Closure order made for three months." in main and "Due soon" not in main

    # The escalation figures match the steps: one first warning, escalated within 12 months.
    page.goto("/interventions/figures/")
    assert_accessible(page)
    [row] = [r for r in selectors.figures(wn.pk) if r.year == 2026 and r.warnings]
    assert (row.warnings, row.escalated, row.escalated_share) == (1, 1, "100%")
    assert "100%" in page.locator("table").first.inner_text()
