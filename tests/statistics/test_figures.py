"""The published figures from a generated year of cases: the page, its CSV and `casereview stats`
(JSON and CSV) give exactly the figures the year was built to give. The year is written once for
the module's tests (built_once_per_module); the command's arguments and the figures of other
records are in test_figures_command.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command

from casereview.appeals.services import appeal_decide, appeal_lodge
from casereview.statistics.periods import financial_year
from casereview.statistics.selectors import figures_for
from tests.conftest import built_once_per_module
from tests.factories import DemoWorld
from tests.statistics import workflow as wf

D = dt.date
YEAR_2024 = financial_year(2024)

EXPECTED_2024 = {
    "partnership": "west-northamptonshire",
    "from": "2024-04-01",
    "to": "2025-03-31",
    "applications": 14,
    "threshold_not_met": 4,
    "reviews_carried_out": 5,
    "reviews_with_recommendations": 4,
}
EXPECTED_BREAKDOWN = {
    "not_eligible": 1,
    "accepted_review_pending": 1,
    "awaiting_decision": 2,
    "withdrawn": 2,
    "reviews_at_discretion": 1,
    "accepted_after_appeal": 1,
    "appeals_lodged": 2,
    "appeals_upheld": 1,
}


def _build_the_year():
    """Financial year 2024/25 in West Northamptonshire, built through the workflow once for the
    module's tests (built_once_per_module): the cases' ids are kept to re-read them for each test."""
    _CASES.clear()
    if not wf.letters_available():  # its decided appeals send the appeal decision letter
        return
    from casereview.accounts import demo as accounts_demo

    accounts_demo.load(io.StringIO())  # as the `demo` fixture (tests/conftest.py)
    demo = DemoWorld()
    wn = demo.partnership("west-northamptonshire")
    csm, senior = demo.user("wn-csm"), demo.user("wn-senior")
    other_senior = _second_senior(demo)
    cases = {}
    # Outside the year: the day before it starts and the day after it ends; another partnership.
    wf.decline(wf.received(wn, D(2024, 3, 31)), D(2024, 4, 10), csm)
    wf.received(wn, D(2025, 4, 1))
    wf.received(demo.partnership("islington"), D(2024, 6, 1))
    # Not yet decided.
    cases["A1"] = wf.received(wn, D(2024, 5, 1))
    cases["A2"] = wf.acknowledge(wf.received(wn, D(2025, 3, 25)), D(2025, 3, 26))
    # Threshold not met (one of them not eligible), and one received in this year, decided in the next.
    cases["D1"] = wf.decline(wf.received(wn, D(2024, 4, 1)), D(2024, 4, 15), csm, letter_on=D(2024, 4, 16))
    cases["D2"] = wf.decline(wf.received(wn, D(2024, 7, 2)), D(2024, 7, 16), csm, letter_on=D(2024, 7, 17))
    cases["D3"] = wf.decline(
        wf.received(wn, D(2024, 9, 3)), D(2024, 9, 10), csm, ineligible=True, letter_on=D(2024, 9, 11)
    )
    cases["X1"] = wf.decline(wf.received(wn, D(2025, 3, 20)), D(2025, 4, 10), csm, letter_on=D(2025, 4, 11))
    # Declined, appealed, upheld, then reviewed with a recommendation.
    cases["U1"] = wf.decline(wf.received(wn, D(2024, 10, 1)), D(2024, 10, 8), csm, letter_on=D(2024, 10, 9))
    # Withdrawn: before a decision, and after acceptance but before the panel.
    cases["W1"] = wf.withdraw(wf.acknowledge(wf.received(wn, D(2024, 5, 20)), D(2024, 5, 21)), D(2024, 6, 1))
    cases["W2"] = wf.withdraw(wf.accept(wf.received(wn, D(2024, 6, 3)), D(2024, 6, 10), csm), D(2024, 6, 20))
    # Reviewed: with and without recommendations, one accepted at discretion.
    cases["R1"] = wf.panel(
        wf.accept(wf.received(wn, D(2024, 4, 20)), D(2024, 4, 25), csm), D(2024, 6, 5), csm, recommendations=2
    )
    cases["R2"] = wf.panel(
        wf.accept(wf.received(wn, D(2024, 8, 1)), D(2024, 8, 6), csm), D(2024, 9, 20), csm, recommendations=1
    )
    cases["R3"] = wf.panel(
        wf.accept(wf.received(wn, D(2024, 11, 4)), D(2024, 11, 8), csm), D(2024, 12, 12), csm
    )
    cases["R4"] = wf.panel(
        wf.accept(wf.received(wn, D(2025, 1, 6)), D(2025, 1, 10), senior, discretionary=True),
        D(2025, 2, 20),
        csm,
        recommendations=3,
    )
    # Accepted, panel not yet held.
    cases["P1"] = wf.start_review(
        wf.accept(wf.received(wn, D(2025, 2, 3)), D(2025, 2, 7), csm), D(2025, 2, 10), csm
    )

    # Appeals: D2's not upheld, U1's upheld (the case re-opens as accepted and is then reviewed).
    appeal = appeal_lodge(
        application=cases["D2"],
        decision_appealed="threshold_not_met",
        lodged_on=D(2024, 7, 30),
        channel="phone",
        grounds=["insufficient_reasons"],
        explanation="The letter did not say why.",
        actor=csm,
    )
    appeal_decide(
        appeal=appeal,
        actor=senior,
        decided_on=D(2024, 8, 10),
        outcome="not_upheld",
        reasons="The letter gave each incident's reason.",
    )
    appeal = appeal_lodge(
        application=cases["U1"],
        decision_appealed="threshold_not_met",
        lodged_on=D(2024, 10, 20),
        channel="letter",
        grounds=["insufficient_reasons"],
        explanation="Two reports were missed.",
        actor=csm,
    )
    appeal_decide(
        appeal=appeal,
        actor=other_senior,
        decided_on=D(2024, 11, 1),
        outcome="upheld",
        reasons="Two police reports were not counted.",
    )
    cases["U1"].refresh_from_db()
    wf.panel(cases["U1"], D(2025, 1, 15), csm, recommendations=1)
    _CASES.update({key: case.pk for key, case in cases.items()})


_CASES: dict[str, int] = {}
_the_year = built_once_per_module(_build_the_year)


@pytest.fixture
def year(_the_year, not_transactional, db):
    """The year (`_build_the_year`), read afresh for each test: West Northamptonshire and its cases
    by their names in the build. Each test's own writes are rolled back after it."""
    if not wf.letters_available():
        pytest.skip("the letters app (appeal decision letter) has not landed on main yet")
    from casereview.applications.models import Application

    wn = DemoWorld().partnership("west-northamptonshire")
    return wn, {key: Application.objects.get(pk=pk) for key, pk in _CASES.items()}


def _second_senior(demo):
    from casereview.accounts.models import Role, RoleGrant, User

    user = User.objects.create_user(
        username="wn-senior-2",
        password="demo-password-2026",
        partnership=demo.partnership(),
        agency=demo.user("wn-senior").agency,
    )
    RoleGrant.objects.create(user=user, partnership=demo.partnership(), role=Role.SENIOR_MANAGER)
    return user


def _page_figures(client, query: str) -> dict:
    html = client.get(f"/statistics/?{query}").content.decode()
    return {k: int(v) for k, v in re.findall(r'data-figure="(\w+)">(\d+)<', html)}


@pytest.mark.django_db
def test_a_generated_year_gives_exactly_the_figures_it_was_built_to_give(year):
    wn, cases = year
    figures = figures_for(partnership=wn, period=YEAR_2024)
    assert figures.as_contract() == EXPECTED_2024
    row = figures.as_row()
    assert {k: row[k] for k in EXPECTED_BREAKDOWN} == EXPECTED_BREAKDOWN
    # Every application is in exactly one place, so the published figures add up.
    assert (
        figures.threshold_not_met
        + figures.reviews_carried_out
        + figures.accepted_review_pending
        + figures.awaiting_decision
        + figures.withdrawn
        == figures.applications
    )
    places = {c.reference: c.place for c in figures.counts}
    assert places[cases["X1"].reference] == "threshold_not_met"  # received in the year, decided in the next
    assert places[cases["U1"].reference] == "review"  # upheld on appeal, then reviewed
    assert places[cases["W2"].reference] == "withdrawn"  # accepted, withdrawn before the panel
    assert places[cases["R4"].reference] == "review"  # at discretion: a review, not "not met"


@pytest.mark.django_db
def test_page_csv_and_command_reconcile_exactly(year, client):
    query = "partnership=west-northamptonshire&year=2024"
    page = _page_figures(client, query)
    assert {k: page[k] for k in EXPECTED_2024 if k in page} == {
        k: v for k, v in EXPECTED_2024.items() if isinstance(v, int)
    }
    assert {k: page[k] for k in EXPECTED_BREAKDOWN} == EXPECTED_BREAKDOWN

    response = client.get(f"/statistics/figures.csv?{query}")
    assert response["Content-Type"].startswith("text/csv")
    (page_csv,) = list(csv.DictReader(io.StringIO(response.content.decode())))

    out = io.StringIO()
    call_command("stats", "--partnership", "west-northamptonshire", "--year", "2024", stdout=out)
    assert json.loads(out.getvalue()) == EXPECTED_2024  # exactly the contract's keys and figures

    out = io.StringIO()
    call_command(
        "stats", "--partnership", "west-northamptonshire", "--year", "2024", "--format", "csv", stdout=out
    )
    (command_csv,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert command_csv == page_csv
    expected = {k: str(v) for k, v in {**EXPECTED_2024, **EXPECTED_BREAKDOWN}.items()}
    assert {k: page_csv[k] for k in expected} == expected


@pytest.mark.django_db
def test_from_and_to_give_the_same_figures_as_the_year(year):
    out = io.StringIO()
    call_command(
        "stats",
        "--partnership",
        "west-northamptonshire",
        "--from",
        "2024-04-01",
        "--to",
        "2025-03-31",
        stdout=out,
    )
    assert json.loads(out.getvalue()) == EXPECTED_2024


@pytest.mark.django_db
def test_quarters_split_the_year_by_date_received(year, client):
    totals = {"applications": 0, "threshold_not_met": 0, "reviews_carried_out": 0}
    for number in (1, 2, 3, 4):
        page = _page_figures(client, f"partnership=west-northamptonshire&year=2024&quarter={number}")
        for key in totals:
            totals[key] += page[key]
    assert totals == {"applications": 14, "threshold_not_met": 4, "reviews_carried_out": 5}
    # Quarter 1 (April to June 2024): D1, R1, A1, W1, W2.
    assert _page_figures(client, "partnership=west-northamptonshire&year=2024&quarter=1")["applications"] == 5


@pytest.mark.django_db
def test_figures_as_at_a_date_count_the_timeline_as_it_stood(year):
    wn, cases = year
    # On 31 March 2025 X1 was not yet decided (declined on 10 April 2025).
    figures = figures_for(partnership=wn, period=YEAR_2024, as_at=D(2025, 3, 31))
    places = {c.reference: c.place for c in figures.counts}
    assert places[cases["X1"].reference] == "awaiting_decision"
    assert figures.threshold_not_met == 3
    assert not figures.is_final
    # On 1 November 2024, before the upheld appeal was decided... it was decided that day; the day before:
    earlier = figures_for(partnership=wn, period=YEAR_2024, as_at=D(2024, 10, 31))
    places = {c.reference: c.place for c in earlier.counts}
    assert places[cases["U1"].reference] == "threshold_not_met"
    assert earlier.appeals_upheld == 0
