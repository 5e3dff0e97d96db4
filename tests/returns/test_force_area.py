"""The force-area view (/returns/force-area/) and the demo force area (issue 20): the local policing
body's office and the force see every partnership of the force area side by side, counts only,
small numbers suppressed; the Northamptonshire Police officer who works in both councils reaches
one council's cases only while working in it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from casereview.accounts import demo as accounts_demo
from casereview.accounts.models import Partnership, Role, User
from casereview.returns import demo as returns_demo
from casereview.returns.models import ForceArea
from tests.conftest import built_once_per_module
from tests.factories import make_application
from tests.statistics import workflow as wf

D = dt.date


def _load_the_force_area():
    accounts_demo.load(io.StringIO())
    returns_demo.load(io.StringIO())


# The demo force area (the accounts demo, North Northamptonshire's users and its spread of cases for
# the figures) takes seconds to write: it is written once for the module's tests, each of which
# starts from exactly it and has its own writes rolled back (tests/conftest.py).
_force_area = built_once_per_module(_load_the_force_area)


@pytest.fixture
def northamptonshire(_force_area, not_transactional, db):
    wn = Partnership.objects.get(slug="west-northamptonshire")
    nn = Partnership.objects.get(slug="north-northamptonshire")
    return wn, nn, ForceArea.objects.get(slug="northamptonshire")


def _choose(client, partnership):
    client.post(reverse("accounts:choose_partnership"), {"partnership": partnership.pk, "next": "/cases/"})


@pytest.mark.django_db
def test_the_demo_force_area_and_its_two_councils(northamptonshire):
    wn, nn, area = northamptonshire
    assert set(area.partnerships.all()) == {wn, nn}
    officer, pcc = User.objects.get(username="np-officer"), User.objects.get(username="np-pcc")
    assert {m.partnership for m in officer.memberships.all()} == {wn, nn}
    # One force: the same organisation is the police agency of both councils.
    assert len({m.agency.organisation_id for m in officer.memberships.all()}) == 1
    assert officer.work_in(nn.pk) and officer.roles == {Role.AGENCY_OFFICER}
    assert pcc.work_in(wn.pk) and pcc.roles == {Role.LOCAL_POLICING_BODY}
    # Idempotent.
    returns_demo.load(io.StringIO())
    assert ForceArea.objects.count() == 1 and Partnership.objects.filter(slug=nn.slug).count() == 1


@pytest.mark.django_db
def test_the_officer_of_both_councils_reaches_one_councils_case_only_while_working_in_it(
    northamptonshire, client
):
    wn, nn, _area = northamptonshire
    wn_case = make_application(wn, victim_name="Wendy Westside")  # party: the police, among others
    nn_case = make_application(nn, victim_name="Nora Northside")
    client.force_login(User.objects.get(username="np-officer"))
    _choose(client, nn)
    assert client.get(f"/cases/{nn_case.reference}/").status_code == 200
    assert client.get(f"/cases/{wn_case.reference}/").status_code == 404
    listed = client.get("/cases/", {"q": "Westside"}).content.decode()
    assert wn_case.reference not in listed and "Wendy" not in listed
    _choose(client, wn)
    assert client.get(f"/cases/{wn_case.reference}/").status_code == 200
    assert client.get(f"/cases/{nn_case.reference}/").status_code == 404


@pytest.mark.django_db
def test_the_force_area_side_by_side_suppressed_and_only_for_its_people(northamptonshire, client):
    wn, nn, area = northamptonshire
    csm = User.objects.get(username="wn-csm")
    for day in (D(2023, 4, 5), D(2023, 5, 5), D(2023, 6, 5), D(2023, 7, 5), D(2023, 8, 5), D(2023, 9, 5)):
        wf.decline(wf.received(wn, day, name="Vera Victimname"), day + dt.timedelta(days=5), csm)
    wf.received(nn, D(2023, 6, 1), name="Nina Victimname")
    query = {"date_from": "2023-04-01", "date_to": "2024-03-31"}

    client.force_login(User.objects.get(username="np-pcc"))
    _choose(client, nn)
    page = client.get("/returns/force-area/", query)
    assert page.status_code == 200
    html = page.content.decode()
    table = html.split('id="force-area-northamptonshire"')[1].split("</table>")[0]
    headers = [h.strip() for h in table.split("<thead")[1].split("</thead>")[0].split("</th>")][1:-1]
    assert [h.rsplit(">", 1)[-1] for h in headers] == [
        "The force area",
        "North Northamptonshire Council",
        "West Northamptonshire Council",
    ]
    row = table.split('data-figure="applications">')
    # The force area 7, North Northamptonshire 1 (fewer than 5), West Northamptonshire 6 withheld
    # (7 - 6 would give North Northamptonshire's).
    assert [cell.split("<")[0] for cell in row[1:]] == ["7", "fewer than 5", "withheld"]
    assert "Victimname" not in html and "Vera" not in html

    # The force's officer sees it too; a housing officer and the SPOC do not.
    client.force_login(User.objects.get(username="np-officer"))
    _choose(client, wn)
    assert client.get("/returns/force-area/", query).status_code == 200
    for username in ("wn-housing", "wn-spoc"):
        client.force_login(User.objects.get(username=username))
        assert client.get("/returns/force-area/", query).status_code == 404
    # A partnership in no force area: the page says so and where to go instead.
    client.force_login(User.objects.get(username="is-lpb"))
    empty = client.get("/returns/force-area/", query).content.decode()
    assert "not in a force area yet" in empty and 'href="/returns/"' in empty


@pytest.mark.django_db
def test_the_officer_of_both_councils_exports_one_councils_cases_and_the_forces_api_client_likewise(
    northamptonshire, client
):
    """The rest of "cannot reach one council's cases from the other": the exports and the API."""
    from casereview.api.services import api_client_create
    from tests.api.conftest import ALL_SCOPES, Api, token_for

    wn, nn, _area = northamptonshire
    wn_case = make_application(wn, victim_name="Wendy Westside")
    nn_case = make_application(nn, victim_name="Nora Northside")
    client.force_login(User.objects.get(username="np-officer"))
    _choose(client, nn)
    export = client.get(reverse("applications:export"))
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert nn_case.reference in body and wn_case.reference not in body and "Westside" not in body
    _choose(client, wn)
    export = client.get(reverse("applications:export"))
    body = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert wn_case.reference in body and nn_case.reference not in body and "Northside" not in body

    # The force's system, as North Northamptonshire's police agency: the other council's case is
    # answered exactly as an unknown reference.
    police = nn.agencies.filter(kind="police").order_by("id").first()
    credentials = api_client_create(partnership=nn, agency_name=police.name, scopes=ALL_SCOPES)
    api = Api(token_for(credentials))
    assert api.get(f"/api/v1/cases/{nn_case.reference}").status_code == 200
    unknown = api.get("/api/v1/cases/NN-1999-9999")
    other = api.get(f"/api/v1/cases/{wn_case.reference}")
    assert other.status_code == unknown.status_code == 404
    assert other.json()["detail"] == unknown.json()["detail"]
