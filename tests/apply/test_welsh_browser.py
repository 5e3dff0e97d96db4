"""The online application in Welsh, in Chromium, checked with axe-core (WCAG 2.2 AA: the page's
language and every change of language inside it must be declared)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from casereview.applications.models import Application
from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick(settings):
    settings.CASEREVIEW_APPLY_MIN_SECONDS = 1
    return settings


def next_page(page, button: str = "Parhau") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def test_a_victim_applies_in_welsh_from_the_language_switch_to_the_reference(page, areas, quick):
    page.goto("/apply/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The switch names Welsh in Welsh, marked as Welsh for a screen reader.
    switch = page.get_by_role("navigation", name="Choose a language")
    expect(switch.locator("button[lang=cy]")).to_have_text("Newid yr iaith: Cymraeg")
    assert_accessible(page)
    with page.expect_navigation():
        switch.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url.endswith("/apply/")
    assert heading(page) == "Gofyn am Adolygiad Achos Ymddygiad Gwrthgymdeithasol"
    # Back to English is offered in English, marked as English.
    expect(page.get_by_role("navigation", name="Dewis iaith").locator("button[lang=en]")).to_be_visible()
    assert_accessible(page)
    next_page(page, "Dechrau nawr")

    assert heading(page) == "A oes unrhyw un mewn perygl uniongyrchol nawr?"
    assert_accessible(page)
    next_page(page)  # no answer: the error state, in Welsh
    assert page.title().startswith("Gwall: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Dewiswch ‘ie’ os ydych chi neu unrhyw un arall mewn perygl uniongyrchol nawr"
    )
    assert_accessible(page)
    page.get_by_label("Na", exact=True).check()
    next_page(page)

    assert heading(page) == "Beth yw’r cod post lle mae’r ymddygiad yn digwydd?"
    assert_accessible(page)
    page.get_by_label("Beth yw’r cod post lle mae’r ymddygiad yn digwydd?").fill("NN1 1ED")
    next_page(page)

    assert heading(page) == "A yw unrhyw un o’r rhain yn disgrifio’r hyn rydych am i ni edrych arno?"
    page.get_by_label("Dim un o’r rhain").check()
    next_page(page)

    assert heading(page) == "Ar bwy mae’r ymddygiad yn effeithio?"
    assert_accessible(page)
    page.get_by_label("Fi – mae’r ymddygiad yn effeithio arnaf i").check()
    next_page(page)

    page.get_by_label("Beth yw eich enw llawn?").fill("Siân Jones")
    next_page(page)

    assert heading(page) == "Beth yw eich cyfeiriad?"
    page.get_by_label("Llinell gyntaf y cyfeiriad").fill("1 Stryd Fawr")
    page.get_by_label("Tref neu ddinas").fill("Northampton")
    page.get_by_label("Cod post", exact=True).fill("NN1 1AA")
    next_page(page)

    assert heading(page) == "Sut dylem gysylltu â chi?"
    assert_accessible(page)
    page.get_by_label("E-bost", exact=True).check()
    page.get_by_label("Cyfeiriad e-bost").fill("sian@example.com")
    next_page(page)

    assert heading(page) == "Cysylltu â chi’n ddiogel"
    next_page(page)
    assert heading(page) == "Help gyda llythyrau a chyfarfodydd"
    next_page(page)

    assert heading(page) == "Pryd digwyddodd?"
    assert_accessible(page)
    occurred = dt.date.today() - dt.timedelta(days=10)
    page.get_by_label("Diwrnod").fill(str(occurred.day))
    page.get_by_label("Mis").fill(str(occurred.month))
    page.get_by_label("Blwyddyn").fill(str(occurred.year))
    next_page(page)
    page.get_by_label("Beth ddigwyddodd?").fill("Cerddoriaeth uchel tan 3 y bore")
    page.get_by_label("Ble digwyddodd?").fill("Y tu allan i’m fflat")
    next_page(page)
    page.get_by_label("Na", exact=True).check()
    next_page(page)
    assert heading(page) == "I bwy y rhoesoch wybod amdano?"
    page.get_by_label("Wnes i ddim rhoi gwybod amdano").check()
    next_page(page)
    assert heading(page) == "Rydych wedi dweud wrthym am 1 digwyddiad"
    assert_accessible(page)
    page.get_by_label("Na", exact=True).check()
    next_page(page)

    page.get_by_label("Beth sydd wedi digwydd hyd yma?").fill("Rwyf wedi ffonio’r cyngor sawl gwaith.")
    next_page(page)
    page.get_by_label("Beth yr hoffech iddo ddigwydd?").fill("Tawelwch yn y nos.")
    next_page(page)

    assert heading(page) == "Gwiriwch eich atebion cyn anfon eich cais"
    assert_accessible(page)
    next_page(page, "Derbyn ac anfon")

    expect(page.get_by_role("heading", level=1)).to_have_text("Cais wedi’i anfon")
    assert_accessible(page)
    reference = Application.objects.get().reference
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
