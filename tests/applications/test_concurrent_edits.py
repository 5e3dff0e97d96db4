"""Two officers editing the same record (web.concurrency): the stale form is refused with what the
record holds now, what the officer typed is kept, and nothing is overwritten. On SQLite, through
the pages; the 50-way races on PostgreSQL are in tests/web/test_races.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from casereview.applications import services as s
from casereview.applications.models import AllegedPerpetrator, CaseEvent, Incident
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(demo):
    return make_application(demo.partnership(), received_on=dt.date(2025, 4, 15))


def version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def incident_form(version: str, description: str) -> dict:
    return {
        "version": version,
        "occurred_on_day": "10",
        "occurred_on_month": "1",
        "occurred_on_year": "2025",
        "description": description,
        "location": "Outside number 4",
    }


def test_a_stale_incident_form_is_refused_showing_the_other_change_and_keeping_mine(client, demo, case):
    url = reverse("applications:incident_edit", args=[case.reference, "I1"])
    client.force_login(demo.user("wn-csm"))
    mine = version_in(client.get(url).content.decode())  # I open the form…
    assert mine == "1"
    # …a colleague saves the same incident first, from a form read at the same version.
    client.force_login(demo.user("wn-spoc"))
    assert client.post(url, incident_form("1", "Colleague: music until 3am")).status_code == 302
    before = Incident.objects.values().get(application=case, ref="I1")
    events_before = CaseEvent.objects.filter(application=case).count()

    client.force_login(demo.user("wn-csm"))
    response = client.post(url, incident_form(mine, "Mine: shouting in the street"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this incident after you opened this page" in html
    assert "Saved since you opened this page" in html and "Colleague: music until 3am" in html
    assert ">Mine: shouting in the street</textarea>" in html  # what I typed is kept
    assert version_in(html) == "2"  # saving again is now a choice made having seen both
    assert Incident.objects.values().get(application=case, ref="I1") == before  # nothing overwritten
    assert CaseEvent.objects.filter(application=case).count() == events_before

    assert (
        client.post(url, incident_form(version_in(html), "Mine: shouting in the street")).status_code == 302
    )
    incident = Incident.objects.get(application=case, ref="I1")
    assert (incident.description, incident.version) == ("Mine: shouting in the street", 3)


def test_an_edit_form_without_its_version_is_refused(client, demo, case):
    url = reverse("applications:incident_edit", args=[case.reference, "I1"])
    client.force_login(demo.user("wn-csm"))
    form = incident_form("", "No version")
    response = client.post(url, form)
    assert response.status_code == 200
    assert "This page is out of date: open it again from the case" in response.content.decode()
    assert Incident.objects.get(application=case, ref="I1").version == 1


def test_a_stale_report_form_is_refused(client, demo, case):
    report = case.incidents.get(ref="I1").reports.get()
    url = reverse("applications:report_edit", args=[case.reference, report.pk])
    client.force_login(demo.user("wn-csm"))
    html = client.get(url).content.decode()
    form = {
        "version": version_in(html),
        "agency": str(report.agency_id),
        "reported_on_day": "12",
        "reported_on_month": "1",
        "reported_on_year": "2025",
        "reporter": "victim",
        "agency_reference": "POL-1",
    }
    s.incident_report_update(
        report=report,
        actor=demo.user("wn-spoc"),
        read_version=1,
        data=s.ReportData(agency=report.agency, agency_kind="police", reported_on=dt.date(2025, 1, 11)),
    )
    html = client.post(url, form).content.decode()
    assert "Someone else changed this report" in html and "11 January 2025" in html
    report.refresh_from_db()
    assert (report.reported_on, report.agency_reference, report.version) == (dt.date(2025, 1, 11), "", 2)


def test_a_stale_perpetrator_form_is_refused(client, demo, case):
    person = s.perpetrator_save(
        application=case, actor=demo.user("wn-csm"), data=s.PerpetratorData(name="Ann Other")
    )
    url = reverse("applications:perpetrator_edit", args=[case.reference, person.pk])
    client.force_login(demo.user("wn-csm"))
    version = version_in(client.get(url).content.decode())
    s.perpetrator_save(
        application=case,
        actor=demo.user("wn-spoc"),
        perpetrator=person,
        read_version=int(version),
        data=s.PerpetratorData(name="Ann Other", description="Tall, red coat"),
    )
    html = client.post(url, {"version": version, "name": "Anne Other"}).content.decode()
    assert "Someone else changed this alleged perpetrator" in html and "Tall, red coat" in html
    assert AllegedPerpetrator.objects.get(pk=person.pk).name == "Ann Other"


def test_acknowledging_twice_records_one_event_and_says_so(demo, case, unchanged_rows):
    csm = demo.user("wn-csm")
    s.application_acknowledge(application=case, actor=csm, acknowledged_on=dt.date(2025, 4, 16))
    stale_copy = type(case).objects.get(pk=case.pk)
    stale_copy.status = "received"  # as a second request read it, before the first committed
    with (
        unchanged_rows(),
        pytest.raises(s.ValidationError, match="already “Acknowledged”: someone else has just done this"),
    ):
        s.application_acknowledge(application=stale_copy, actor=csm, acknowledged_on=dt.date(2025, 4, 16))
    assert CaseEvent.objects.filter(application=case, kind="acknowledged").count() == 1
