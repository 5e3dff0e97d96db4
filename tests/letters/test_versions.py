"""Every edit carries the version it was read at (issue 13): a person's contact details for letters
and a letter's wording. Two officers open the same page; the first saves; the second's save is
refused, names what changed and links to open the page again; nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casereview.applications.services import person_contact_update, person_contact_version
from casereview.letters.models import LetterTemplate
from casereview.letters.services import letter_template_save
from casereview.web.concurrency import StaleRecord
from tests.stale import all_but_the_access_log, assert_refused_as_stale, form_version

pytestmark = pytest.mark.django_db


def test_contact_details_saved_since_the_page_was_read_are_not_overwritten(client, csm, case, unchanged_rows):
    client.force_login(csm)
    url = reverse("letters:contact", args=[case.reference, case.victim_id])
    read = form_version(client.get(url))
    other = type(client)()
    other.force_login(csm)
    assert form_version(other.get(url)) == read
    assert (
        other.post(
            url, {"version": read, "address": "2 New Road\nNorthampton", "postcode": "NN1 2AB"}
        ).status_code
        == 302
    )
    with unchanged_rows(*all_but_the_access_log()):
        response = client.post(
            url, {"version": read, "address": "9 Old Lane\nNorthampton", "postcode": "NN3 9ZZ"}
        )
    text = assert_refused_as_stale(
        response, what="person's contact details", differs=("Postal address", "Postcode")
    )
    assert "2 New Road" in text  # the other officer's change, shown
    case.victim.refresh_from_db()
    assert case.victim.postcode == "NN1 2AB"

    # Through the service, a refused save writes nothing (not even the timeline).
    read = person_contact_version(case.victim)
    person_contact_update(
        application=case,
        person=case.victim,
        actor=csm,
        address="3 Park Row",
        postcode="NN1 3CD",
        email="",
        contact_refusals=[],
        read_version=read,
    )
    with unchanged_rows(), pytest.raises(StaleRecord):
        person_contact_update(
            application=case,
            person=case.victim,
            actor=csm,
            address="4 Park Row",
            postcode="NN1 4EF",
            email="",
            contact_refusals=["phone"],
            read_version=read,
        )


def test_a_letters_wording_saved_since_the_editor_was_opened_is_not_replaced(client, csm, unchanged_rows):
    client.force_login(csm)
    url = reverse("letters:template_edit", args=["acknowledgement"])
    read = form_version(client.get(url))
    assert read == "0"  # the product's default wording
    body = "Dear {{ recipient_name }}\n\nWe will decide by {{ decision_by }}."
    first = client.post(url, {"version": read, "subject": "First {{ reference }}", "body": body, "save": "1"})
    assert first.status_code == 302
    with unchanged_rows(*all_but_the_access_log()):
        response = client.post(
            url, {"version": read, "subject": "Second {{ reference }}", "body": body, "save": "1"}
        )
    text = assert_refused_as_stale(response, what="letter's wording", differs=("Subject",))
    assert "First {{ reference }}" in text and 'href="#saved-since"' in text
    assert list(LetterTemplate.objects.values_list("version", "subject")) == [(1, "First {{ reference }}")]
    # Saved again from the refused page: version 2, deliberately.
    again = client.post(
        url,
        {"version": form_version(response), "subject": "Second {{ reference }}", "body": body, "save": "1"},
    )
    assert again.status_code == 302 and LetterTemplate.objects.count() == 2
    with unchanged_rows(), pytest.raises(StaleRecord):
        letter_template_save(
            partnership=csm.partnership,
            kind="acknowledgement",
            subject="Third {{ reference }}",
            body=body,
            actor=csm,
            read_version=1,
        )
