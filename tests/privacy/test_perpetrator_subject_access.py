"""An alleged perpetrator's own subject access export (issue 13): what the case holds about them,
with the victim's and the applicant's details — names and their parts, addresses with or without
the number, postcodes in any spacing, phones, dates of birth, look-alike letters — withheld by the
disclosure control's matching the other way round, never by a list of exact strings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereview.applications.models import AllegedPerpetrator, Person
from casereview.audit.models import AccessEvent
from casereview.core.disclosure import Part, Protected, find_disclosures
from casereview.privacy.subject_access import perpetrator_subject_access_export
from tests.core.test_disclosure import SENTENCES, leak_forms, perpetrators
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _victim_of(case) -> Protected:
    victim = Person.objects.get(pk=case.victim_id)
    return Protected(
        label="the victim",
        name=victim.full_name,
        address=victim.address,
        postcode=victim.postcode,
        date_of_birth=victim.date_of_birth,
        phones=(victim.phone,) if victim.phone else (),
    )


@pytest.fixture
def case(demo):
    return make_application(demo.partnership("west-northamptonshire"), actor=demo.user("wn-csm"))


@pytest.fixture
def served(case):
    return AllegedPerpetrator.objects.create(
        application=case,
        name="Gideon Thistlewaite",
        address="9 Quarry Road\nDaventry\nNN11 9ZZ",
        description="Plays loud music; the victim at 1 High Street says it is nightly.",
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(victim=perpetrators(), sentence=st.sampled_from(SENTENCES), data=st.data())
def test_no_form_of_the_victims_details_reaches_the_perpetrators_export(case, served, victim, sentence, data):
    lines = victim.address.split("\n")
    Person.objects.filter(pk=case.victim_id).update(
        full_name=victim.name,
        address="\n".join(lines[:3]),
        postcode=lines[3],
        date_of_birth=victim.date_of_birth,
        phone=victim.phones[0],
    )
    incident = case.incidents.first()
    for form_name, form in leak_forms(victim, data.draw):
        if form_name == "alias":
            continue  # a victim has no recorded aliases
        incident.description = sentence.format(form)
        incident.save(update_fields=["description"])
        export = perpetrator_subject_access_export(served)
        left = find_disclosures([Part("export", s) for s in _strings(export["case"])], [_victim_of(case)])
        assert left == [], (form_name, incident.description, left)
        assert "[redacted]" in json.dumps(export["case"], ensure_ascii=False), form_name


def test_the_export_keeps_what_is_theirs_and_the_dpo_downloads_it_logged(client, demo, case, served):
    Person.objects.filter(pk=case.victim_id).update(
        full_name="Joanna Ravensworth", date_of_birth=dt.date(1979, 5, 4), phone="07700900456"
    )
    incident = case.incidents.first()
    incident.description = "Mrs Ravensworth (born 04/05/1979, 07700 900 456) heard Gideon shouting."
    incident.save(update_fields=["description"])
    client.force_login(demo.user("wn-dpo"))
    url = reverse("privacy:perpetrator-json", args=[case.reference, served.pk])
    assert url in client.get(reverse("privacy:case", args=[case.reference])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["about"]["name"] == "Gideon Thistlewaite" and "Quarry Road" in data["about"]["address"]
    description = data["case"]["incidents"][0]["description"]
    assert description == "Mrs [redacted] (born [redacted], [redacted]) heard Gideon shouting."
    assert "High Street" not in data["about"]["what_is_recorded_about_you"]
    assert (
        AccessEvent.objects.filter(action="subject_access", summary__contains="alleged perpetrator").count()
        == 1
    )
    # Not for anyone but the data protection officer.
    client.force_login(demo.user("wn-police"))
    assert client.get(url).status_code == 404


# --- The same export as a readable PDF ----------------------------------------------------------


def _laid_out_text(html: str) -> str:
    """The text WeasyPrint lays out on the PDF's pages (as tests/letters/test_welsh_letters.py
    reads a letter's PDF): what a reader of the PDF sees."""
    from weasyprint import HTML

    found: list[str] = []

    def walk(box):
        if getattr(box, "text", None):
            found.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in HTML(string=html).render().pages:
        walk(page._page_box)
    return " ".join(" ".join(found).split())


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(victim=perpetrators(), data=st.data())
def test_no_form_of_the_victims_details_reaches_the_perpetrators_pdf(case, served, victim, data):
    """Every leak form of the victim's name, address, postcode, date of birth and phone, planted in
    the case's summary, location, each incident and the perpetrator's own description at once:
    none is in the PDF's text, and each was withheld (the PDF says "[redacted]" where it was)."""
    from casereview.privacy.views import perpetrator_export_html

    lines = victim.address.split("\n")
    Person.objects.filter(pk=case.victim_id).update(
        full_name=victim.name,
        address="\n".join(lines[:3]),
        postcode=lines[3],
        date_of_birth=victim.date_of_birth,
        phone=victim.phones[0],
    )
    forms = [(name, form) for name, form in leak_forms(victim, data.draw) if name != "alias"]
    sentences = " ".join(f"Reported by {form}." for _name, form in forms)
    case.summary = sentences
    case.location = f"Outside {forms[0][1]}"
    case.save(update_fields=["summary", "location"])
    case.incidents.update(description=sentences)
    served.description = sentences
    served.save(update_fields=["description"])
    text = _laid_out_text(
        perpetrator_export_html(perpetrator_subject_access_export(served), today=dt.date.today())
    )
    assert find_disclosures([Part("the PDF", text)], [_victim_of(case)]) == []
    assert text.count("[redacted]") >= len(forms)
    for _name, form in forms:
        assert form not in text, _name
    assert "Gideon Thistlewaite" in text and "Quarry Road" in text  # their own details are theirs


def test_the_dpo_downloads_the_pdf_logged_with_the_victim_withheld(client, demo, case, served):
    from casereview.privacy.views import perpetrator_export_html
    from tests.letters.test_services import pdf_objects

    Person.objects.filter(pk=case.victim_id).update(
        full_name="Joanna Ravensworth",
        address="Flat 2, Ivy House\n1 Wexley Lane\nDaventry",
        postcode="NN12 4QT",
        date_of_birth=dt.date(1979, 5, 4),
        phone="07700900456",
    )
    incident = case.incidents.first()
    incident.description = (
        "Mrs RAVENSWORTH of Ivy House, Wexley Ln (nn124qt), born 4 May 1979, tel 07700 900456, "
        "says J. Ravensworth heard Gideon shouting."
    )
    incident.save(update_fields=["description"])
    client.force_login(demo.user("wn-dpo"))
    url = reverse("privacy:perpetrator-pdf", args=[case.reference, served.pk])
    assert url in client.get(reverse("privacy:case", args=[case.reference])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(action="subject_access", summary__contains="(PDF)").count() == 1
    # Nothing of the victim anywhere in the file's own bytes (its title and metadata are plain text) …
    raw = pdf_objects(response.content).lower()
    for detail in (b"ravensworth", b"wexley", b"ivy house", b"nn12", b"nn124qt", b"07700", b"1979"):
        assert detail not in raw, detail
    # … nor in the text the PDF lays out from the same export, which keeps the perpetrator's own.
    text = _laid_out_text(
        perpetrator_export_html(perpetrator_subject_access_export(served), today=dt.date.today())
    )
    assert "heard Gideon shouting" in text and "Gideon Thistlewaite" in text
    for detail in ("ravensworth", "wexley", "ivy house", "nn12", "4qt", "07700", "1979", "joanna"):
        assert detail not in text.lower(), detail
    # Not for anyone but the data protection officer.
    client.force_login(demo.user("wn-police"))
    assert client.get(url).status_code == 404
