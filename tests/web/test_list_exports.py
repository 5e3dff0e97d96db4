"""Every staff list as CSV (issue 20): the case list, the actions, the panel meetings and the ASB
report log, each with the list's filters applied, within the user's scope (never another
partnership's or agency's rows), each export written to the access log."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from casereview.audit.models import AccessEvent
from tests.factories import make_application
from tests.security.world import furnish


def _csv(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _report(partnership, agency, day, location, actor, category="Noise"):
    from casereview.reports.services import report_record

    return report_record(
        partnership=partnership,
        agency=agency,
        reported_at=dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=dt.UTC),
        location=location,
        category=category,
        channel="online",
        actor=actor,
    )


@pytest.fixture
def world(demo):
    wn, isl = demo.partnership("west-northamptonshire"), demo.partnership("islington")
    ours = make_application(wn, victim_name="Una Ourside")
    second = make_application(wn, victim_name="Sid Secondcase", received_on=dt.date(2025, 5, 2))
    theirs = make_application(isl, victim_name="Tia Theirside")
    furnish(ours)
    furnish(theirs)
    csm = demo.user("wn-csm")
    wn_council = demo.agency("west-northamptonshire", "council")
    wn_police = demo.agency("west-northamptonshire", "police")
    _report(wn, wn_council, dt.date(2025, 3, 1), "1 Ours Road", csm)
    _report(wn, wn_police, dt.date(2025, 3, 2), "2 Police Road", csm, category="Vandalism")
    _report(
        isl, demo.agency("islington", "council"), dt.date(2025, 3, 1), "9 Theirs Road", demo.user("is-csm")
    )
    return {"ours": ours, "second": second, "theirs": theirs}


def _exports() -> int:
    return AccessEvent.objects.filter(action="export").count()


@pytest.mark.django_db
def test_each_list_exports_its_filtered_rows_in_scope_and_is_logged(world, client, demo):
    ours, second, theirs = world["ours"], world["second"], world["theirs"]
    client.force_login(demo.user("wn-csm"))
    before = _exports()

    rows = _csv(client.get("/cases/export.csv"))
    references = {r["reference"] for r in rows}
    assert {ours.reference, second.reference} <= references and theirs.reference not in references
    filtered = _csv(client.get("/cases/export.csv", {"q": "Secondcase"}))
    assert [r["reference"] for r in filtered] == [second.reference] and filtered[0][
        "victim"
    ] == "Sid Secondcase"

    actions = _csv(client.get("/actions/export.csv", {"show": "all"}))
    assert {r["case"] for r in actions} == {ours.reference}
    assert actions[0]["action"] == "Fit a door viewer." and actions[0]["status"] == "Open"
    assert _csv(client.get("/actions/export.csv", {"show": "overdue"})) == []

    meetings = _csv(client.get("/panels/export.csv"))
    assert [r["case"] for r in meetings] == [ours.reference] and meetings[0]["where"] == "Room 1"
    assert _csv(client.get("/panels/export.csv", {"q": theirs.reference})) == []

    log = _csv(client.get("/reports/export.csv"))
    assert {r["where"] for r in log} == {"1 Ours Road", "2 Police Road"}
    assert "caller" not in log[0]
    assert [r["where"] for r in _csv(client.get("/reports/export.csv", {"category": "Vandal"}))] == [
        "2 Police Road"
    ]

    assert _exports() == before + 8
    event = AccessEvent.objects.filter(action="export").order_by("-id").first()
    assert event.summary == "ASB report log exported as CSV" and event.actor_username == "wn-csm"


@pytest.mark.django_db
def test_an_agency_officer_exports_only_their_agencys_rows(world, client, demo):
    client.force_login(demo.user("wn-police"))
    log = _csv(client.get("/reports/export.csv"))
    assert [r["where"] for r in log] == ["2 Police Road"]  # the police's report, not the council's
    cases = {r["reference"] for r in _csv(client.get("/cases/export.csv"))}
    assert world["theirs"].reference not in cases
    # A list they may not open is not exported either.
    client.force_login(demo.user("wn-lpb"))
    assert client.get("/reports/export.csv").status_code in (403, 404)
