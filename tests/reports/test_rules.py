"""Hotspots and repeat callers computed in SQL, checked against the core's pure reference
functions (casereview.core.hotspots) on the same generated data, and the CLI output (contracts §7)."""

import dataclasses
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casereview.core.hotspots import AsbReport
from casereview.core.hotspots import hotspot_history as reference_hotspot_history
from casereview.core.hotspots import hotspots as reference_hotspots
from casereview.core.hotspots import repeat_callers as reference_repeat_callers
from casereview.reports.models import Report
from casereview.reports.selectors import hotspot_history, hotspots_as_of, repeat_callers_as_of

from .helpers import generate_reports, make_report

pytestmark = pytest.mark.django_db


def as_reference(partnership):
    return [
        AsbReport(
            location=r.location,
            reported_on=r.reported_on,
            month_only=r.month_only,
            caller=r.caller or None,
            channel=r.channel or None,
            agency_kind=r.agency_kind,
        )
        for r in Report.objects.filter(partnership=partnership)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_hotspots_and_repeat_callers_match_the_core_reference(demo, seed):
    islington = demo.partnership("islington")
    start = dt.date(2025, 1, 1)
    generate_reports(islington, seed=seed, n=900, start=start, days=120)
    reports = as_reference(islington)
    policy = islington.policy
    found_any_hotspot = found_any_caller = False
    for offset in range(0, 130, 9):
        as_of = start + dt.timedelta(days=offset)
        expected_hotspots = [h.to_dict() for h in reference_hotspots(policy, reports, as_of)]
        assert hotspots_as_of(islington, as_of) == expected_hotspots, as_of
        expected_callers = [c.to_dict() for c in reference_repeat_callers(policy, reports, as_of)]
        assert repeat_callers_as_of(islington, as_of) == expected_callers, as_of
        found_any_hotspot |= bool(expected_hotspots)
        found_any_caller |= bool(expected_callers)
    # The generated data must exercise the rules, or the comparison proves nothing.
    assert found_any_hotspot and found_any_caller


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("window", ["14 days", "2 weeks", "1 month"])
def test_full_rolling_recompute_matches_the_core_reference(demo, seed, window):
    """The SQL window function over the daily counts (days, weeks) and the stepwise sum over them
    (months) give the core's answer: the rule applied on every day each location had reports."""
    from casereview.core.periods import Duration
    from casereview.core.policy import HotspotRule

    islington = demo.partnership("islington")
    more_than = 12 if window.endswith("month") else 6
    islington.policy = dataclasses.replace(
        islington.policy, hotspots=HotspotRule(window=Duration.parse(window), more_than_reports=more_than)
    )
    generate_reports(islington, seed=seed, n=700, start=dt.date(2025, 1, 20), days=90)
    expected = [h.to_dict() for h in reference_hotspot_history(islington.policy, as_reference(islington))]
    assert expected, "the generated data must make hotspots, or the comparison proves nothing"
    assert hotspot_history(islington) == expected


def test_hotspot_threshold_is_more_than_six_in_fourteen_days(demo):
    islington = demo.partnership("islington")
    as_of = dt.date(2025, 3, 14)
    for i in range(7):  # 7 reports, all inside 1..14 March
        make_report(islington, day=as_of - dt.timedelta(days=i * 2), location="Seven Sisters Road")
    for i in range(6):  # exactly 6: not a hotspot
        make_report(islington, day=as_of - dt.timedelta(days=i), location="Six Street")
    make_report(islington, day=dt.date(2025, 2, 28), location="Six Street")  # outside: 15 days before
    make_report(islington, day=as_of + dt.timedelta(days=1), location="Six Street")  # after the date
    for _ in range(10):  # month-only police.uk reports never count
        make_report(
            islington, day=dt.date(2025, 3, 1), location="Month Place", month_only=True, kind="police"
        )
    assert hotspots_as_of(islington, as_of) == [{"location": "Seven Sisters Road", "reports": 7}]


def test_repeat_caller_rules_and_the_caller_meeting_both(demo):
    islington = demo.partnership("islington")
    as_of = dt.date(2025, 6, 30)
    # Caller A: 10 out-of-hours calls in 3 months, 2 in the last month -> out_of_hours_line.
    for i in range(8):
        make_report(
            islington, day=dt.date(2025, 4, 5) + dt.timedelta(days=i), caller="a", channel="out_of_hours_line"
        )
    for i in range(2):
        make_report(
            islington,
            day=dt.date(2025, 6, 20) + dt.timedelta(days=i),
            caller="a",
            channel="out_of_hours_line",
        )
    # Caller B: 10 out-of-hours calls but only 1 in the last month -> not listed.
    for i in range(9):
        make_report(
            islington,
            day=dt.date(2025, 4, 10) + dt.timedelta(days=i),
            caller="b",
            channel="out_of_hours_line",
        )
    make_report(islington, day=dt.date(2025, 6, 25), caller="b", channel="out_of_hours_line")
    # Caller C: 20 police reports in the month, and 10 out-of-hours with 2 recent -> listed once, OOH.
    for i in range(20):
        make_report(
            islington,
            day=dt.date(2025, 6, 1) + dt.timedelta(days=i),
            caller="c",
            channel="police_101",
            kind="police",
        )
    for i in range(10):
        make_report(
            islington, day=dt.date(2025, 6, 1) + dt.timedelta(days=i), caller="c", channel="out_of_hours_line"
        )
    # Caller D: 20 police reports in the month -> police.
    for i in range(20):
        make_report(
            islington,
            day=dt.date(2025, 6, 2) + dt.timedelta(days=i),
            caller="d",
            channel="police_999",
            kind="police",
        )
    # Caller E: 25 month-only police reports -> never counts.
    for _ in range(25):
        make_report(islington, day=dt.date(2025, 6, 1), caller="e", kind="police", month_only=True)
    assert repeat_callers_as_of(islington, as_of) == [
        {"caller": "d", "rule": "police", "calls": 20},
        {"caller": "a", "rule": "out_of_hours_line", "calls": 10},
        {"caller": "c", "rule": "out_of_hours_line", "calls": 10},
    ]


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_json_shape(demo):
    islington = demo.partnership("islington")
    for i in range(8):
        make_report(islington, day=dt.date(2025, 3, 14) - dt.timedelta(days=i), location="Holloway Road")
    for i in range(20):
        make_report(
            islington,
            day=dt.date(2025, 3, 1) + dt.timedelta(days=i % 14),
            caller="07700900001",
            channel="police_101",
            kind="police",
        )
    hotspots = run("hotspots", "--as-of", "2025-03-14", "--partnership", "islington", "--format", "json")
    assert hotspots == [
        {"location": "Bemerton Estate", "reports": 20},
        {"location": "Holloway Road", "reports": 8},
    ]
    assert all(set(item) == {"location", "reports"} for item in hotspots)
    callers = run("repeat-callers", "--as-of", "2025-03-14", "--partnership", "islington", "--format", "json")
    assert callers == [{"caller": "07700900001", "rule": "police", "calls": 20}]
    assert run("hotspots", "--as-of", "2020-01-01", "--partnership", "islington", "--format", "json") == []
    # JSON is the output without --format too (the contract's only format); text is for reading.
    out = io.StringIO()
    call_command("hotspots", "--as-of", "2025-03-14", "--partnership", "islington", stdout=out)
    assert json.loads(out.getvalue()) == hotspots
    out = io.StringIO()
    call_command("repeat-callers", "--as-of", "2025-03-14", "--partnership", "islington", stdout=out)
    assert json.loads(out.getvalue()) == callers
    out = io.StringIO()
    call_command(
        "hotspots", "--as-of", "2025-03-14", "--partnership", "islington", "--format", "text", stdout=out
    )
    assert out.getvalue().split("\n")[0].split() == ["20", "Bemerton", "Estate"]


def test_cli_gives_each_caller_key_back_exactly_as_the_partner_sent_it(demo):
    """Contracts §7: no change of case, spacing or form. A partner's own reference keeps its
    capitals, and the same phone number sent in two spellings is two keys, each counted on its own
    (the people pages, not the contract's command, join keys into a person)."""
    from casereview.reports.imports import reports_import_text

    islington = demo.partnership("islington")
    rows = []
    for i in range(20):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=i % 14)
        rows.append(f"Bemerton Estate,P-{i},Islington Police,police,{day}T10:00:00,CX-0042,police_101,,,,,")
    for i in range(21):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=i % 14)
        key = "07700 900123" if i % 2 else "07700900123"
        rows.append(f"Bemerton Estate,Q-{i},Islington Police,police,{day}T11:00:00,{key},police_101,,,,,")
    header = (
        "location,agency_reference,agency,agency_kind,reported_at,caller,channel,hate,"
        "occurred_on,category,latitude,longitude\n"
    )
    result = reports_import_text(partnership=islington, fmt="reports", text=header + "\n".join(rows) + "\n")
    assert result.imported == 41
    callers = run("repeat-callers", "--as-of", "2025-03-14", "--partnership", "islington", "--format", "json")
    assert callers == [{"caller": "CX-0042", "rule": "police", "calls": 20}]
    # 11 and 10 under the two spellings: neither reaches the police rule's 20 on its own.
    assert {r.caller for r in Report.objects.filter(agency_reference__startswith="Q-")} == {
        "07700 900123",
        "07700900123",
    }


def test_cli_asks_which_partnership(demo):
    with pytest.raises(CommandError, match="Which partnership"):
        call_command("hotspots", "--as-of", "2025-03-14", "--format", "json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no partnership with the ID"):
        call_command("hotspots", "--as-of", "2025-03-14", "--partnership", "nowhere", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--as-of"):
        call_command(
            "repeat-callers", "--as-of", "14/03/2025", "--partnership", "islington", stdout=io.StringIO()
        )
    # A year the window could not reach back from is refused with a message, not a traceback.
    with pytest.raises(CommandError, match="--as-of: 0001-01-01 is outside 1900 to 2999"):
        call_command("hotspots", "--as-of", "0001-01-01", "--partnership", "islington", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_recompute_split_across_connections_gives_the_same_answer(demo, settings):
    """On PostgreSQL the full recompute runs in ranges of location on several connections at once
    (docs/performance.md); together they must give exactly the one-connection answer."""
    from django.db import connection

    from casereview.reports import selectors

    if connection.vendor != "postgresql":
        pytest.skip("the split is PostgreSQL's; SQLite runs the recompute on its one connection")
    islington = demo.partnership("islington")
    generate_reports(islington, seed=5, n=900, start=dt.date(2025, 2, 1), days=60)
    expected = [h.to_dict() for h in reference_hotspot_history(islington.policy, as_reference(islington))]
    assert expected
    settings.REPORTS_RECOMPUTE_PARTS = 1
    assert selectors._recompute_boundaries() == []
    assert hotspot_history(islington) == expected
    settings.REPORTS_RECOMPUTE_PARTS = 3
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_reportdailycount")
    boundaries = selectors._recompute_boundaries()
    assert len(boundaries) == 2
    with connection.cursor() as cursor:  # every range holds some locations, so every part has work
        for low, high in [("", boundaries[0]), (boundaries[0], boundaries[1])]:
            cursor.execute(
                "SELECT COUNT(*) FROM reports_reportdailycount WHERE location >= %s AND location < %s",
                [low, high],
            )
            assert cursor.fetchone()[0] > 0
        cursor.execute("SELECT COUNT(*) FROM reports_reportdailycount WHERE location >= %s", [boundaries[1]])
        assert cursor.fetchone()[0] > 0
    assert hotspot_history(islington) == expected


def test_inside_a_transaction_the_recompute_stays_on_its_own_connection(demo, settings):
    """Other connections cannot see a transaction's uncommitted rows, so the split is not used."""
    from casereview.reports import selectors

    settings.REPORTS_RECOMPUTE_PARTS = 2
    assert selectors._recompute_boundaries() == []
