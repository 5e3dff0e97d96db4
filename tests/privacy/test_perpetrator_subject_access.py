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
