"""The page that issues a warning letter to an alleged perpetrator (issue 13): reached from the
case page's alleged perpetrators by those who may issue letters; the wording is checked the other
way round (never the victim's or the applicant's details); confirmed before issuing; issued once
per submission and dispatched by post to the perpetrator's address like every letter."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from casereview.applications.models import AllegedPerpetrator, CaseEvent, Person
from casereview.letters.models import Audience, Letter, LetterDispatch
from tests.stale import all_but_the_access_log

pytestmark = pytest.mark.django_db

QUARRY = "9 Quarry Road\nDaventry\nNN11 9ZZ"


@pytest.fixture
def served(case):
    return AllegedPerpetrator.objects.create(application=case, name="Gideon Thistlewaite", address=QUARRY)


def _hidden(response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert found, name
    return found.group(1)


def test_the_case_page_offers_the_warning_to_those_who_may_issue_it(client, demo, case, served):
    url = reverse("letters:warning", args=[case.reference, served.pk])
    client.force_login(demo.user("wn-csm"))
    assert url in client.get(f"/cases/{case.reference}/").content.decode()
    assert client.get(url).status_code == 200
    client.force_login(demo.user("wn-police"))  # an agency officer: no letters
    page = client.get(f"/cases/{case.reference}/")
    if page.status_code == 200:
        assert url not in page.content.decode()
    assert client.get(url).status_code == 404
    # Another case's perpetrator id under this case's reference: no such page.
    client.force_login(demo.user("wn-csm"))
    other = AllegedPerpetrator.objects.create(application=_other_case(demo), name="Someone Else")
    assert client.get(reverse("letters:warning", args=[case.reference, other.pk])).status_code == 404


def _other_case(demo):
    from tests.factories import make_application

    return make_application(demo.partnership("west-northamptonshire"), victim_name="Ann Other")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Mrs Bloggs has complained about you.", "name"),
        ("Bloggs says it goes on every night.", "name"),
        ("Your neighbour at 1 High Street reported it.", "address"),
        ("It was reported from NN11AA.", "postcode"),
        ("The reporter, born 04/05/1979, is frightened.", "date of birth"),
        ("Call the person who reported it on +44 7700 900456.", "phone number"),
    ],
)
def test_wording_that_gives_away_the_victim_is_refused_naming_what_and_nothing_is_written(
    client, demo, case, served, unchanged_rows, text, field
):
    Person.objects.filter(pk=case.victim_id).update(date_of_birth=dt.date(1979, 5, 4), phone="07700900456")
    client.force_login(demo.user("wn-csm"))
    url = reverse("letters:warning", args=[case.reference, served.pk])
    with unchanged_rows(*all_but_the_access_log()):
        response = client.post(url, {"warning_text": text, "check": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This letter cannot be issued" in page and "must never say who reported them" in page
    assert f"The {field} of the victim appears in paragraph" in page
    assert text.replace("'", "&#x27;") in page  # what they typed is kept to change


def test_a_warning_is_checked_confirmed_issued_once_and_posted_to_the_perpetrator(
    client, demo, case, served, unchanged_rows
):
    client.force_login(demo.user("wn-csm"))
    url = reverse("letters:warning", args=[case.reference, served.pk])
    text = "Loud music late at night has been reported from your home."
    with unchanged_rows(*all_but_the_access_log()):
        confirm = client.post(url, {"warning_text": text, "check": "1"})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Issue the warning letter?" in page and text in page and "Gideon Thistlewaite" in page
    assert "9 Quarry Road" in page
    form = {
        "warning_text": text,
        "fingerprint": _hidden(confirm, "fingerprint"),
        "submission_token": _hidden(confirm, "submission_token"),
        "channel": "post",
        "issue": "1",
    }
    issued = client.post(url, form)
    letter = Letter.objects.get(case=case, kind="warning")
    assert issued.status_code == 302 and issued["Location"] == reverse("letters:detail", args=[letter.pk])
    assert (letter.audience, letter.is_held, letter.recipient_name) == (
        Audience.PERPETRATOR,
        False,
        "Gideon Thistlewaite",
    )
    [dispatch] = LetterDispatch.objects.filter(letter=letter)
    assert dispatch.channel == "post" and "NN11 9ZZ" in dispatch.to
    [event] = CaseEvent.objects.filter(application=case, kind="letter_issued")
    assert "Thistlewaite" not in event.summary
    # The same submission again (a double click): the same letter, nothing more.
    with unchanged_rows(*all_but_the_access_log()):
        again = client.post(url, form)
    assert again["Location"] == issued["Location"]
    # A changed wording after the check is not issued unseen: back to the check.
    changed = client.post(
        url, {**form, "warning_text": text + " And shouting.", "submission_token": "x" * 32}
    )
    assert changed.status_code == 200 and Letter.objects.filter(kind="warning").count() == 1


def test_a_perpetrator_with_no_address_is_told_where_to_record_it(client, demo, case, unchanged_rows):
    nowhere = AllegedPerpetrator.objects.create(application=case, name="Gideon Thistlewaite")
    client.force_login(demo.user("wn-csm"))
    url = reverse("letters:warning", args=[case.reference, nowhere.pk])
    edit = reverse("applications:perpetrator_edit", args=[case.reference, nowhere.pk])
    assert f'href="{edit}"' in client.get(url).content.decode()
    confirm = client.post(url, {"warning_text": "Noise at night.", "check": "1"})
    with unchanged_rows(*all_but_the_access_log()):
        refused = client.post(
            url,
            {
                "warning_text": "Noise at night.",
                "fingerprint": _hidden(confirm, "fingerprint"),
                "submission_token": _hidden(confirm, "submission_token"),
                "channel": "post",
                "issue": "1",
            },
        )
    assert refused.status_code == 400 and f'href="{edit}"' in refused.content.decode()
    assert not Letter.objects.filter(kind="warning").exists()
