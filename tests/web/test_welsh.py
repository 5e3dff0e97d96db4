"""Welsh on the public pages (contracts §9): the catalogue is complete, and the pages honour
`Accept-Language: cy` and the page's own language switch. Staff pages stay English."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from casereview import settings as project_settings

SOURCE = Path(project_settings.BASE_DIR)
CATALOGUE = SOURCE / "locale" / "cy" / "LC_MESSAGES" / "django.po"
WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}

#: Entries whose Welsh is rightly the same as the English: names and words Welsh borrows as they are.
SAME_IN_WELSH = {"Beta", "English", "Cymraeg", "Braille", "CSV"}


def catalogue_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid (with msgctxt), msgstr forms, flags. Enough of the format
    for what makemessages writes (no previous-msgid lines are kept: --no-obsolete)."""
    entries, entry, field = [], None, None

    def text(line: str) -> str:
        return json.loads(line)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += text(line)
            else:
                entry[field[0]] += text(line)
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                field = ("msgstr", int(match.group(1)))
                entry["msgstr"][field[1]] = text(value)
            elif keyword == "msgstr":
                field = ("msgstr", 0)
                entry["msgstr"][0] = text(value)
            else:
                field = (keyword, None)
                entry[keyword] = text(value)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|%%\{\w+\}", text))


def test_every_welsh_entry_is_written_and_not_fuzzy():
    entries = catalogue_entries(CATALOGUE)
    assert len(entries) > 300
    problems = []
    for entry in entries:
        msgid = entry["msgid"]
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy (Django ignores it): {msgid!r}")
        forms = entry["msgstr"]
        if not forms or any(not form.strip() for form in forms.values()):
            problems.append(f"no Welsh: {msgid!r}")
        elif forms[0] == msgid and msgid not in SAME_IN_WELSH:
            problems.append(f"Welsh identical to the English: {msgid!r}")
        # The same placeholders in both languages, or the page breaks (or loses a name).
        # (%{count} is GOV.UK Frontend's own placeholder, in the character count's messages.)
        for form in forms.values():
            if placeholders(form) != placeholders(msgid):
                problems.append(f"placeholders differ: {msgid!r}")
    assert problems == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is needed (apt-get install gettext)"
)
def test_every_text_marked_for_translation_is_in_the_welsh_catalogue(tmp_path, settings, monkeypatch):
    """makemessages, run afresh into an empty folder, finds no text the committed catalogue lacks:
    a string marked in a template or in Python but never given its Welsh would show in English."""
    # A copy of the source, so makemessages cannot touch the committed catalogue.
    copy = tmp_path / "src"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("locale", "static", "migrations", "__pycache__")
    )
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["cy"], verbosity=0, no_location=True)
    extracted = {
        (e.get("msgctxt"), e["msgid"])
        for e in catalogue_entries(tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po")
    }
    committed = {(e.get("msgctxt"), e["msgid"]) for e in catalogue_entries(CATALOGUE)}
    assert extracted, "makemessages found nothing: is the source folder right?"
    assert sorted(extracted - committed, key=str) == [], "run `make messages` and write the Welsh"


# -- The pages -----------------------------------------------------------------------------------

START_PAGE_SENTENCES = [
    "Ask for an ASB Case Review",
    "If you have reported anti-social behaviour and feel nothing effective has been done",
    "Start now",
    "Other ways to apply",
    "Call 999 if you are in immediate danger",
    "Skip to main content",
    "This is a new service.",
]


@pytest.mark.django_db
def test_the_start_page_in_english_by_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page
    assert '<h1 class="govuk-heading-xl">Ask for an ASB Case Review</h1>' in page
    # The switch offers Welsh, named in Welsh.
    assert 'value="cy"' in page and "Cymraeg" in page


@pytest.mark.django_db
def test_accept_language_cy_gets_the_start_page_in_welsh(client):
    response = client.get("/", **WELSH)
    page = response.content.decode()
    assert '<html lang="cy"' in page
    assert "Gofyn am Adolygiad Achos Ymddygiad Gwrthgymdeithasol</h1>" in page
    assert "Sbardun Cymunedol" in page
    for sentence in START_PAGE_SENTENCES:
        assert sentence not in page, sentence
    assert response["Content-Language"] == "cy"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_language_switch_changes_the_page_and_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    # No answer, no personal data: the address is the page's own.
    page = client.get("/").content.decode()
    assert '<html lang="cy"' in page
    assert "Gofyn am Adolygiad Achos Ymddygiad Gwrthgymdeithasol</h1>" in page
    # The choice outweighs the browser's, both ways.
    assert '<html lang="cy"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/i18n/setlang/", {"language": "en-gb", "next": "/"})
    assert '<html lang="en"' in client.get("/", **WELSH).content.decode()


@pytest.mark.django_db
def test_the_switch_is_a_form_that_works_without_javascript(client):
    page = client.get("/apply/", **WELSH).content.decode()
    switch = page[page.index('<nav class="app-language-select"') :]
    switch = switch[: switch.index("</nav>")]
    assert 'method="post" action="/i18n/setlang/"' in switch
    assert 'name="next" value="/apply/"' in switch
    assert '<button type="submit" name="language" value="en-gb"' in switch
    assert '<span aria-current="true">Cymraeg</span>' in switch


@pytest.mark.django_db
def test_staff_pages_stay_english_whatever_the_browser_asks(client, demo):
    client.force_login(demo.user("wn-csm"))
    page = client.get("/cases/", **WELSH).content.decode()
    assert '<html lang="en"' in page
    assert "app-language-select" not in page
    assert "Skip to main content" in page
    # The sign-in page is staff's too.
    page = Client().get("/account/sign-in/", **WELSH).content.decode()
    assert '<html lang="en"' in page


@pytest.mark.django_db
def test_a_page_not_found_is_in_welsh_on_a_public_address(client):
    response = client.get("/apply/no-such-page/", **WELSH)
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="cy"' in page
    assert "Heb ddod o hyd i’r dudalen" in page


@pytest.mark.django_db
def test_the_published_statistics_in_welsh(client, demo):
    response = client.get("/statistics/", **WELSH)
    page = response.content.decode()
    assert '<html lang="cy"' in page
    assert "Ystadegau’r Adolygiad Achos Ymddygiad Gwrthgymdeithasol</h1>" in page
    assert "Blwyddyn ariannol" in page and "Chwarter 1 (Ebrill i Mehefin)" in page
    assert "ceisiadau a ddaeth i law – blwyddyn ariannol" in page
    assert "ASB Case Review statistics" not in page and "Financial year" not in page
