"""The published figures from a generated year of cases: the page, its CSV and `casereview stats`
(JSON and CSV) give exactly the figures the year was built to give."""

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


@pytest.fixture
def year(demo):
    """Financial year 2024/25 in West Northamptonshire, built through the workflow."""
    if not wf.letters_available():  # its decided appeals send the appeal decision letter
        pytest.skip("the letters app (appeal decision letter) has not landed on main yet")
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
    return wn, cases


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


@pytest.mark.django_db
def test_the_command_needs_a_partnership_when_there_are_several(demo, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("stats", "--year", "2024")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "islington" in err[0] and "west-northamptonshire" in err[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "24x"], "--year"),
        (["--from", "2024-04-01"], "--from and --to"),
        (["--from", "2024-04-31", "--to", "2025-03-31"], "--from"),
        (["--from", "2025-04-01", "--to", "2024-03-31"], "before"),
        (["--year", "2024", "--from", "2024-04-01", "--to", "2025-03-31"], "not both"),
        (["--partnership", "nowhere", "--year", "2024"], "nowhere"),
    ],
)
def test_bad_arguments_exit_non_zero_with_one_clear_line(demo, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        call_command("stats", *(["--partnership", "islington"] if "--partnership" not in args else []), *args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


@pytest.mark.django_db
def test_the_only_partnership_is_the_default(db, capsys):
    from casereview.accounts.models import Partnership

    Partnership.objects.create(
        slug="solo", name="Solo Council", policy_ref="statutory", reference_prefix="SO"
    )
    out = io.StringIO()
    call_command("stats", "--year", "2024", stdout=out)
    assert json.loads(out.getvalue()) == {
        "partnership": "solo",
        "from": "2024-04-01",
        "to": "2025-03-31",
        "applications": 0,
        "threshold_not_met": 0,
        "reviews_carried_out": 0,
        "reviews_with_recommendations": 0,
    }


def test_an_inquorate_panel_is_a_review_only_where_the_policy_says_so(demo):
    from pathlib import Path

    from casereview.core import policy as core_policy

    wn = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    quorate = wf.panel(wf.accept(wf.received(wn, D(2024, 5, 1)), D(2024, 5, 6), csm), D(2024, 6, 5), csm)
    inquorate = wf.panel(
        wf.accept(wf.received(wn, D(2024, 5, 2)), D(2024, 5, 7), csm),
        D(2024, 6, 6),
        csm,
        recommendations=1,
        inquorate_reason="Only the SPOC could attend before the victim moved away.",
    )
    figures = figures_for(partnership=wn, period=YEAR_2024)
    places = {c.reference: c.place for c in figures.counts}
    assert places[quorate.reference] == "review"
    assert places[inquorate.reference] == "accepted_review_pending"
    assert figures.as_contract()["reviews_carried_out"] == 1
    assert figures.as_contract()["reviews_with_recommendations"] == 0

    preset = Path(core_policy.__file__).parent / "presets" / "west-northamptonshire.toml"
    wn.policy_text = preset.read_text().replace(
        "inquorate_counts_as_review = false", "inquorate_counts_as_review = true"
    )
    wn.save(update_fields=["policy_text"])
    wn = type(wn).objects.get(pk=wn.pk)  # Partnership.policy is cached on the instance
    figures = figures_for(partnership=wn, period=YEAR_2024)
    assert {c.reference: c.place for c in figures.counts}[inquorate.reference] == "review"
    assert figures.as_contract()["reviews_carried_out"] == 2
    assert figures.as_contract()["reviews_with_recommendations"] == 1
