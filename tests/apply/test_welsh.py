"""The online application in Welsh (contracts §9): questions, our own messages and Django's, check
your answers and the confirmation; what is stored stays in English for the staff pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casereview.applications.models import Application

from .conftest import VICTIM_ANSWERS, agency, follow_post, incident_answers, start, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh(client):
    """A person who chose Cymraeg with the page's switch (the language cookie)."""
    client.post("/i18n/setlang/", {"language": "cy", "next": "/apply/"})
    return client


def text(response) -> str:
    return response.content.decode()


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(?:\s*<label[^>]*>)?(.*?)(?:</label>\s*)?</h1>", text(response), re.S)
    assert match, "no h1"
    return re.sub(r"\s+", " ", match.group(1)).strip()


def errors(response) -> list[str]:
    body = text(response)
    return [
        re.sub(r"<[^>]+>", "", e).strip() for e in re.findall(r'<li><a href="#[^"]*">(.*?)</a></li>', body)
    ]


def test_the_first_pages_in_welsh(welsh, areas):
    response = welsh.get("/apply/")
    assert '<html lang="cy"' in text(response)
    assert h1(response) == "Gofyn am Adolygiad Achos Ymddygiad Gwrthgymdeithasol"
    assert "Dechrau nawr" in text(response)
    assert "Before you start" not in text(response)
    start(welsh)
    response = welsh.get("/apply/danger/")
    assert h1(response) == "A oes unrhyw un mewn perygl uniongyrchol nawr?"
    page = text(response)
    assert ">Ie</label>" in page and ">Na</label>" in page
    assert ">Parhau</button>" in page and ">Yn ôl</a>" in page


def test_our_error_messages_are_in_welsh(welsh, areas):
    start(welsh)
    response = welsh.post("/apply/danger/", {})
    page = text(response)
    assert "<title>Gwall: " in page
    assert "Mae problem" in page
    assert errors(response) == [
        "Dewiswch ‘ie’ os ydych chi neu unrhyw un arall mewn perygl uniongyrchol nawr"
    ]
    follow_post(welsh, "/apply/danger/", {"in_danger": "no"})
    response = welsh.post("/apply/area/", {"postcode": "not a postcode"})
    assert errors(response) == ["Rhowch god post llawn yn y DU, fel CF10 1EP"]


def test_the_date_messages_are_in_welsh(welsh, areas):
    start(welsh)
    walk(welsh, VICTIM_ANSWERS)
    response = welsh.post("/apply/incidents/1/when/", {"occurred_day": "31", "occurred_month": "2"})
    assert errors(response) == ["Rhaid i’r dyddiad pan ddigwyddodd y digwyddiad gynnwys blwyddyn"]
    response = welsh.post(
        "/apply/incidents/1/when/", {"occurred_day": "31", "occurred_month": "2", "occurred_year": "2025"}
    )
    assert errors(response) == ["Rhaid i’r dyddiad pan ddigwyddodd y digwyddiad fod yn ddyddiad go iawn"]
    # The date boxes' own labels too.
    assert ">Diwrnod</label>" in text(response) and ">Blwyddyn</label>" in text(response)


def test_a_message_django_writes_comes_in_welsh_too(welsh):
    """A form field's own messages come from Django's Welsh catalogue."""
    from django import forms
    from django.utils import translation

    with translation.override("cy"):
        field = forms.CharField()
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("")
        assert refused.value.messages == ["Mae angen y maes hwn."]


def test_check_answers_and_confirmation_in_welsh_and_the_case_in_english(welsh, areas, no_min_time):
    start(welsh)
    walk(welsh, VICTIM_ANSWERS)
    police = agency("west-northamptonshire", "police")
    occurred = dt.date(2026, 1, 5)
    walk(welsh, incident_answers(1, occurred=occurred, reports={f"agency-{police.pk}": occurred}))
    follow_post(welsh, "/apply/incidents/", {"add_another": "no"})
    walk(
        welsh,
        [
            ("/apply/what-has-happened/", {"summary": "Cerddoriaeth uchel bob nos."}),
            ("/apply/outcome/", {"desired_outcome": "Tawelwch."}),
        ],
    )
    response = welsh.get("/apply/check-your-answers/")
    page = text(response)
    assert h1(response) == "Gwiriwch eich atebion cyn anfon eich cais"
    assert "Amdanoch chi" in page and "Digwyddiad 1" in page
    assert "5 Ionawr 2026" in page  # dates in Welsh
    assert "Print bras" in page
    assert "About you" not in page and "Large print" not in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    follow_post(welsh, "/apply/check-your-answers/", {"token": token}, expect="/apply/confirmation/")
    response = welsh.get("/apply/confirmation/")
    page = text(response)
    assert "Cais wedi’i anfon" in page and "Eich cyfeirnod" in page
    assert re.search(r"yn cydnabod eich cais erbyn <strong>dydd \w+ \d+ \w+ \d{4}</strong>", page, re.I), page
    assert "diwrnod gwaith" in page
    assert "Application sent" not in page
    # The case the staff read is in English, whatever language the person applied in.
    application = Application.objects.get()
    assert application.victim.format_needs == "Large print"


def test_the_question_that_changes_with_who_is_applying_is_whole_in_welsh(welsh, areas):
    start(welsh)
    walk(welsh, VICTIM_ANSWERS[:3])
    follow_post(welsh, "/apply/who/", {"applicant_type": "third_party"})
    follow_post(welsh, "/apply/applying-for/", {"victim_kind": "individual"})
    follow_post(welsh, "/apply/relationship/", {"relationship": "friend"})
    follow_post(welsh, "/apply/your-details/", {"full_name": "Ffion Ffrind", "email": "ffion@example.com"})
    follow_post(welsh, "/apply/consent/", {"victim_consent": "yes"})
    assert h1(welsh.get("/apply/name/")) == "Beth yw eu henw llawn?"
    response = welsh.post("/apply/name/", {"full_name": ""})
    assert errors(response) == ["Rhowch eu henw llawn"]


def test_the_character_count_speaks_welsh_when_javascript_runs(welsh, areas):
    """GOV.UK Frontend writes the count with JavaScript; the page gives it the Welsh words."""
    start(welsh)
    walk(welsh, VICTIM_ANSWERS)
    police = agency("west-northamptonshire", "police")
    occurred = dt.date(2026, 1, 5)
    walk(welsh, incident_answers(1, occurred=occurred, reports={f"agency-{police.pk}": occurred}))
    follow_post(welsh, "/apply/incidents/", {"add_another": "no"})
    page = text(welsh.get("/apply/what-has-happened/"))
    assert 'data-i18n.characters-under-limit.other="Mae gennych %{count} nod ar ôl"' in page
    assert 'data-i18n.characters-over-limit.few="Mae gennych %{count} nod yn ormod"' in page
    assert "Gallwch roi hyd at 5000 nod" in page


def test_an_application_made_in_welsh_is_recorded_as_welsh(welsh, areas, no_min_time):
    start(welsh)
    walk(welsh, VICTIM_ANSWERS)
    police = agency("west-northamptonshire", "police")
    occurred = dt.date(2026, 1, 5)
    walk(welsh, incident_answers(1, occurred=occurred, reports={f"agency-{police.pk}": occurred}))
    follow_post(welsh, "/apply/incidents/", {"add_another": "no"})
    walk(
        welsh,
        [
            ("/apply/what-has-happened/", {"summary": "Sŵn."}),
            ("/apply/outcome/", {"desired_outcome": "Tawelwch."}),
        ],
    )
    token = re.search(r'name="token" value="([^"]+)"', text(welsh.get("/apply/check-your-answers/"))).group(1)
    follow_post(welsh, "/apply/check-your-answers/", {"token": token})
    application = Application.objects.get()
    assert application.language == "cy"
    received = application.events.get(kind="received")
    assert received.summary == "Application received (online form, in Welsh)."
    assert received.data["language"] == "cy"


def test_no_english_sentence_of_the_catalogue_is_left_on_any_page_of_the_journey(welsh, areas):
    """Every page of the journey, fetched in Welsh, holds none of the catalogue's English sentences:
    a sentence marked for translation but shown untranslated (or a copy left unmarked) would."""
    from tests.web.test_welsh import CATALOGUE, catalogue_entries

    sentences = [
        e["msgid"]
        for e in catalogue_entries(CATALOGUE)
        if len(e["msgid"]) >= 25 and "%" not in e["msgid"] and "<" not in e["msgid"]
    ]
    assert len(sentences) > 100
    police = agency("west-northamptonshire", "police")
    occurred = dt.date(2026, 1, 5)
    pages = ["/apply/", "/apply/start-again/", "/", "/statistics/", "/privacy/", "/accessibility/"]
    start(welsh)
    for url, data in [
        *VICTIM_ANSWERS,
        *incident_answers(1, occurred=occurred, reports={f"agency-{police.pk}": occurred}),
        ("/apply/incidents/", {"add_another": "no"}),
        ("/apply/what-has-happened/", {"summary": "Sŵn."}),
        ("/apply/outcome/", {"desired_outcome": "Tawelwch."}),
    ]:
        pages.append(url)
        follow_post(welsh, url, data)
    pages += ["/apply/check-your-answers/", "/apply/incidents/1/remove/", "/apply/not-a-page/"]
    for url in pages:
        page = text(welsh.get(url))
        assert '<html lang="cy"' in page, url
        left = [s for s in sentences if s in page]
        assert left == [], f"{url} still has English: {left}"
