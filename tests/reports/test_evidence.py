"""The link to the review: the victim's reports offered as incident evidence, confirmed into
incidents (the same incident to several agencies recognised), and the case section's access."""

import datetime as dt

import pytest

from casereview.applications.models import CaseEvent, Person
from casereview.applications.services import application_create
from casereview.reports.models import ReportEvidence
from casereview.reports.selectors import evidence_candidates
from casereview.reports.services import evidence_confirm

from .helpers import make_report

pytestmark = pytest.mark.django_db


def make_case(partnership, received_on=dt.date(2025, 4, 15)):
    victim = Person(
        full_name="Ada Jones",
        email="Ada.Jones@example.com",
        phone="07700 900123",
        address="12 Bemerton Street\nLondon",
        postcode="n1 0aa",
    )
    return application_create(
        partnership=partnership, channel="online", received_on=received_on, victim=victim
    )


def test_victim_reports_offered_by_caller_and_address(demo):
    islington = demo.partnership("islington")
    by_phone = make_report(
        islington, day=dt.date(2025, 3, 1), caller="07700900123", location="Caledonian Road"
    )
    by_email = make_report(islington, day=dt.date(2025, 3, 5), caller="ada.jones@example.com", kind="police")
    by_address = make_report(
        islington, day=dt.date(2025, 3, 9), location="12 Bemerton St.".replace("St.", "Street")
    )
    make_report(islington, day=dt.date(2025, 3, 9), location="12 Bemerton Street", caller="someone-else")
    make_report(islington, day=dt.date(2025, 4, 16), caller="07700900123")  # after the application
    make_report(islington, day=dt.date(2024, 9, 1), caller="07700900123")  # outside 6 months
    make_report(islington, day=dt.date(2025, 3, 1), caller="07700900123", month_only=True, kind="police")
    make_report(demo.partnership("west-northamptonshire"), day=dt.date(2025, 3, 1), caller="07700900123")
    application = make_case(islington)
    offered = evidence_candidates(application)
    assert [(c.report, c.matched_by) for c in offered] == [
        (by_phone, "caller"),
        (by_email, "caller"),
        (by_address, "address"),
    ]


def test_confirming_creates_incidents_and_recognises_one_incident_told_to_several_agencies(demo):
    islington = demo.partnership("islington")
    council = make_report(
        islington, day=dt.date(2025, 3, 1), caller="07700900123", location="Bemerton Estate"
    )
    police = make_report(
        islington,
        day=dt.date(2025, 3, 1),
        caller="07700900123",
        location="bemerton estate",
        kind="police",
        hour=22,
    )
    other_day = make_report(
        islington, day=dt.date(2025, 3, 20), caller="07700900123", location="Bemerton Estate"
    )
    application = make_case(islington)
    officer = demo.user("is-csm")
    incidents = evidence_confirm(application=application, reports=[other_day, police, council], actor=officer)
    assert [i.ref for i in incidents] == ["I1", "I2"]
    first, second = incidents
    assert first.occurred_on == dt.date(2025, 3, 1)
    assert sorted(r.agency_kind for r in first.reports.all()) == ["council", "police"]
    assert [r.agency_kind for r in second.reports.all()] == ["council"]
    assert set(application.agencies.values_list("agency__kind", flat=True)) == {"council", "police"}
    assert ReportEvidence.objects.filter(application=application).count() == 3
    assert CaseEvent.objects.filter(application=application, kind="incident_added").count() == 2
    assert CaseEvent.objects.filter(application=application, kind="log_reports_confirmed").count() == 1
    assert evidence_candidates(application) == []  # nothing offered twice


def test_confirm_is_all_or_nothing(demo, unchanged_rows):
    islington = demo.partnership("islington")
    good = make_report(islington, day=dt.date(2025, 3, 1), caller="07700900123")
    month_only = make_report(islington, day=dt.date(2025, 3, 1), caller="07700900123", month_only=True)
    application = make_case(islington)
    with unchanged_rows(), pytest.raises(Exception, match="month"):
        evidence_confirm(application=application, reports=[good, month_only], actor=demo.user("is-csm"))
    assert not application.incidents.exists() and not ReportEvidence.objects.exists()


def test_case_section_offers_and_confirms_through_the_case_page(client, demo):
    islington = demo.partnership("islington")
    report = make_report(islington, day=dt.date(2025, 3, 1), caller="07700900123")
    application = make_case(islington)
    from casereview.reports.views import case_section_context

    class Request:
        def __init__(self, user):
            self.user = user

    assert case_section_context(Request(demo.user("is-police")), application) is None
    context = case_section_context(Request(demo.user("is-csm")), application)
    assert [c.report for c in context["candidates"]] == [report]

    client.force_login(demo.user("is-police"))  # cannot see the case: 404
    assert (
        client.post(f"/reports/case/{application.reference}/evidence/", {"reports": [report.pk]}).status_code
        == 404
    )
    client.force_login(demo.user("wn-csm"))  # another partnership: 404
    assert (
        client.post(f"/reports/case/{application.reference}/evidence/", {"reports": [report.pk]}).status_code
        == 404
    )
    client.force_login(demo.user("is-csm"))
    response = client.post(f"/reports/case/{application.reference}/evidence/", {"reports": [report.pk]})
    assert response.status_code == 302
    assert application.incidents.count() == 1
    assert application.incidents.get().reports.get().agency_reference == report.agency_reference


def test_case_page_shows_the_offered_reports(client, demo):
    islington = demo.partnership("islington")
    report = make_report(islington, day=dt.date(2025, 3, 1), caller="07700900123", location="Bemerton Estate")
    application = make_case(islington)
    client.force_login(demo.user("is-csm"))
    page = client.get(f"/cases/{application.reference}/reports/")  # its section's page (ADR 0093)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Reports in the ASB report log" in body
    assert f'value="{report.pk}"' in body and "Matched by the victim's contact details" in body
