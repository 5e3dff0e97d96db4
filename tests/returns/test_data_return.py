"""The data return (docs/returns.md), tested against a hand-built year whose right answers are
written here, by hand — never computed by the code under test — and reconciled with the published
statistics (the /statistics/ page and `casereview stats`) for both councils and the force area.

The fixture, financial year 2024/25 (1 April 2024 to 31 March 2025), as at today (recommendations
are recorded on the day they are added):

West Northamptonshire: 10 applications — 6 did not meet the threshold; 2 reviewed (one with 1
recommendation); 1 withdrawn; 1 awaiting a decision. Outside the year: one received on 30 March
2024 and one on 2 April 2025. Report log: 6 "Noise" by the ASB line, 2 "Vandalism" online, 1 with
no category or channel; and one "Noise" on 5 April 2025 (outside).
Islington: 5 applications — 3 did not meet the threshold (1 of them not eligible); 1 reviewed (2
recommendations); 1 awaiting a decision. Report log: 3 "Noise" online, 1 "Drug dealing" by 101.
The force area "Test force" is the two.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from casereview.returns.models import ForceArea
from casereview.statistics.periods import Period
from casereview.statistics.selectors import figures_for
from tests.statistics import workflow as wf

D = dt.date
YEAR = Period(D(2024, 4, 1), D(2025, 3, 31))
VICTIMS = ["Wilma Declined", "Ira Reviewed", "Tess Withdrawn"]


def _report(partnership, agency, day, category, channel, actor):
    from casereview.reports.services import report_record

    report_record(
        partnership=partnership,
        agency=agency,
        reported_at=dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC),
        location="1 Example Street",
        category=category,
        channel=channel,
        actor=actor,
    )


@pytest.fixture
def year(demo):
    wn, isl = demo.partnership("west-northamptonshire"), demo.partnership("islington")
    wn_csm, is_csm = demo.user("wn-csm"), demo.user("is-csm")
    for day in (D(2024, 4, 3), D(2024, 5, 6), D(2024, 6, 7), D(2024, 8, 8), D(2024, 11, 11), D(2025, 2, 12)):
        wf.decline(wf.received(wn, day, name=VICTIMS[0]), day + dt.timedelta(days=7), wn_csm)
    wf.panel(
        wf.accept(wf.received(wn, D(2024, 5, 1), name=VICTIMS[1]), D(2024, 5, 8), wn_csm),
        D(2024, 6, 20),
        wn_csm,
        recommendations=1,
    )
    wf.panel(wf.accept(wf.received(wn, D(2024, 9, 2)), D(2024, 9, 9), wn_csm), D(2024, 10, 20), wn_csm)
    wf.withdraw(
        wf.acknowledge(wf.received(wn, D(2024, 7, 1), name=VICTIMS[2]), D(2024, 7, 2)), D(2024, 7, 10)
    )
    wf.received(wn, D(2025, 3, 28))
    wf.decline(wf.received(wn, D(2024, 3, 30)), D(2024, 4, 9), wn_csm)  # outside: before the year
    wf.received(wn, D(2025, 4, 2))  # outside: after it

    wf.decline(wf.received(isl, D(2024, 4, 10)), D(2024, 4, 17), is_csm)
    wf.decline(wf.received(isl, D(2024, 10, 10)), D(2024, 10, 17), is_csm)
    wf.decline(wf.received(isl, D(2024, 12, 2)), D(2024, 12, 9), is_csm, ineligible=True)
    wf.panel(
        wf.accept(wf.received(isl, D(2024, 6, 3)), D(2024, 6, 10), is_csm),
        D(2024, 7, 25),
        is_csm,
        recommendations=2,
    )
    wf.received(isl, D(2025, 1, 20))

    wn_police, is_police = demo.agency("west-northamptonshire", "police"), demo.agency("islington", "police")
    for n in range(6):
        _report(wn, wn_police, D(2024, 5, 1 + n), "Noise", "asb_line", wn_csm)
    for n in range(2):
        _report(wn, wn_police, D(2024, 9, 1 + n), "Vandalism", "online", wn_csm)
    _report(wn, wn_police, D(2025, 1, 15), "", "", wn_csm)
    _report(wn, wn_police, D(2025, 4, 5), "Noise", "asb_line", wn_csm)  # outside
    for n in range(3):
        _report(isl, is_police, D(2024, 7, 1 + n), "Noise", "online", is_csm)
    _report(isl, is_police, D(2024, 8, 1), "Drug dealing", "police_101", is_csm)

    force = ForceArea.objects.create(name="Test force", slug="test-force", local_policing_body="Test PCC")
    force.partnerships.add(wn, isl)
    return wn, isl, force


def _area(data: dict, area_id: str) -> dict:
    return next(a for a in data["areas"] if a["id"] == area_id)


def _json(*args) -> dict:
    out = io.StringIO()
    call_command("data-return", "--period", "2024-04-01:2025-03-31", *args, stdout=out)
    return json.loads(out.getvalue())


ZERO_OUTCOMES = {"accepted_review_pending": 0, "reviews_at_discretion": 0, "accepted_after_appeal": 0}
ZERO_APPEALS = {"appeals_lodged": 0, "appeals_upheld": 0}


@pytest.mark.django_db
def test_without_suppression_the_figures_are_the_hand_counted_ones(year, settings):
    settings.CASEREVIEW_SMALL_NUMBER_THRESHOLD = 1
    data = _json("--force-area", "Test force")
    assert [a["id"] for a in data["areas"]] == ["test-force", "islington", "west-northamptonshire"]
    wn, isl, force = (_area(data, i) for i in ("west-northamptonshire", "islington", "test-force"))
    assert wn["published"] == {
        "applications": 10,
        "threshold_not_met": 6,
        "reviews_carried_out": 2,
        "reviews_with_recommendations": 1,
    }
    assert wn["outcomes"] == {
        "not_eligible": 0,
        "awaiting_decision": 1,
        "withdrawn": 1,
        **ZERO_OUTCOMES,
        **ZERO_APPEALS,
    }
    assert isl["published"] == {
        "applications": 5,
        "threshold_not_met": 3,
        "reviews_carried_out": 1,
        "reviews_with_recommendations": 1,
    }
    assert isl["outcomes"] == {
        "not_eligible": 1,
        "awaiting_decision": 1,
        "withdrawn": 0,
        **ZERO_OUTCOMES,
        **ZERO_APPEALS,
    }
    assert force["published"] == {
        "applications": 15,
        "threshold_not_met": 9,
        "reviews_carried_out": 3,
        "reviews_with_recommendations": 2,
    }
    assert force["outcomes"] == {
        "not_eligible": 1,
        "awaiting_decision": 2,
        "withdrawn": 1,
        **ZERO_OUTCOMES,
        **ZERO_APPEALS,
    }
    # With a threshold of 1 nothing is small, so no category is folded away.
    assert wn["reports"] == {
        "reports": 9,
        "by_category": {"Noise": 6, "Vandalism": 2, "not_recorded": 1},
        "by_channel": {"asb_line": 6, "online": 2, "not_recorded": 1},
    }
    assert isl["reports"] == {
        "reports": 4,
        "by_category": {"Noise": 3, "Drug dealing": 1},
        "by_channel": {"online": 3, "police_101": 1},
    }
    assert force["reports"] == {
        "reports": 13,
        "by_category": {"Noise": 9, "Vandalism": 2, "Drug dealing": 1, "not_recorded": 1},
        "by_channel": {"asb_line": 6, "online": 5, "police_101": 1, "not_recorded": 1},
    }
    # Timeliness: every deadline of each council, each case counted once per deadline.
    for area in (wn, isl, force):
        assert area["timeliness"], area["id"]


F = "fewer than 5"
W = "withheld"


@pytest.mark.django_db
def test_small_numbers_are_fewer_than_5_and_none_can_be_found_by_subtraction(year):
    data = _json("--force-area", "test-force")
    assert data["small_number_threshold"] == 5 and data["suppressed_as"] == F
    wn, isl, force = (_area(data, i) for i in ("west-northamptonshire", "islington", "test-force"))
    assert force["published"] == {
        "applications": 15,
        "threshold_not_met": 9,
        "reviews_carried_out": F,
        "reviews_with_recommendations": F,
    }
    assert force["outcomes"] == {
        "not_eligible": F,
        "awaiting_decision": F,
        "withdrawn": F,
        **ZERO_OUTCOMES,
        **ZERO_APPEALS,
    }
    # Islington's 3 "not met" is small, so West Northamptonshire's 6 is withheld: 9 - 6 would give it.
    assert wn["published"] == {
        "applications": 10,
        "threshold_not_met": W,
        "reviews_carried_out": F,
        "reviews_with_recommendations": F,
    }
    assert wn["outcomes"] == {
        "not_eligible": 0,
        "awaiting_decision": F,
        "withdrawn": F,
        **ZERO_OUTCOMES,
        **ZERO_APPEALS,
    }
    assert isl["published"] == {
        "applications": 5,
        "threshold_not_met": F,
        "reviews_carried_out": F,
        "reviews_with_recommendations": F,
    }
    assert isl["outcomes"] == {
        "not_eligible": F,
        "awaiting_decision": F,
        "withdrawn": 0,
        **ZERO_OUTCOMES,
        **ZERO_APPEALS,
    }
    # A category used fewer than 5 times is not named: it is counted in "other categories".
    assert force["reports"] == {
        "reports": 13,
        "by_category": {"Noise": 9, "other_categories": F},
        "by_channel": {"asb_line": 6, "online": 5, "police_101": F, "not_recorded": F},
    }
    assert wn["reports"] == {
        "reports": W,  # 13 - 4 would give Islington's
        "by_category": {"Noise": W, "other_categories": F},  # Islington's 3 "Noise" are folded
        "by_channel": {"asb_line": 6, "online": F, "not_recorded": F},
    }
    assert isl["reports"] == {
        "reports": F,
        "by_category": {"other_categories": F},
        "by_channel": {"online": F, "police_101": F},
    }


@pytest.mark.django_db
def test_the_return_reconciles_with_the_published_statistics(year, client, settings):
    settings.CASEREVIEW_SMALL_NUMBER_THRESHOLD = 1
    wn, isl, force = year
    data = _json()  # every partnership and every force area
    summed = dict.fromkeys(
        ("applications", "threshold_not_met", "reviews_carried_out", "reviews_with_recommendations"), 0
    )
    for partnership in (wn, isl):
        published = figures_for(partnership=partnership, period=YEAR).as_contract()
        out = io.StringIO()
        call_command(
            "stats",
            "--partnership",
            partnership.slug,
            "--from",
            "2024-04-01",
            "--to",
            "2025-03-31",
            stdout=out,
        )
        assert json.loads(out.getvalue()) == published
        area = _area(data, partnership.slug)
        assert area["published"] == {k: published[k] for k in area["published"]}
        for key in summed:
            summed[key] += published[key]
    assert _area(data, "test-force")["published"] == summed
    # And the one number the return adds to the public page: the same applications in both.
    page = client.get(
        "/statistics/", {"partnership": "west-northamptonshire", "year": "2024"}
    ).content.decode()
    for key in summed:
        wn_value = _area(data, "west-northamptonshire")["published"][key]
        assert f'data-figure="{key}">{wn_value}<' in page


@pytest.mark.django_db
def test_csv_and_json_carry_the_same_figures_and_the_schema_version(year):
    out = io.StringIO()
    call_command(
        "data-return",
        "--period",
        "2024-04-01:2025-03-31",
        "--partnership",
        "islington",
        "--format",
        "csv",
        stdout=out,
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0].keys() == {
        "schema_version",
        "area_type",
        "area_id",
        "area_name",
        "period_start",
        "period_end",
        "as_at",
        "section",
        "measure",
        "breakdown",
        "value",
    }
    assert {r["schema_version"] for r in rows} == {"1.1"} and {r["area_id"] for r in rows} == {"islington"}
    as_csv = {(r["section"], r["measure"], r["breakdown"]): r["value"] for r in rows}
    assert as_csv[("published", "applications", "")] == "5"
    assert as_csv[("published", "threshold_not_met", "")] == F
    assert as_csv[("reports", "by_category", "other_categories")] == F
    data = _json("--partnership", "islington")
    assert data["schema"] == "casereview-data-return" and data["schema_version"] == "1.1"
    assert (
        data["period"] == {"from": "2024-04-01", "to": "2025-03-31"}
        and data["as_at"] == dt.date.today().isoformat()
    )
    # No personal data: no victim's name, no case reference, no location.
    text = out.getvalue() + json.dumps(data)
    for word in [*VICTIMS, "Jo Bloggs", "1 Example Street", "IS-20"]:
        assert word not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--period", "2024-04-01"], "--period"),
        (["--period", "2025-04-01:2024-03-31"], "before the first"),
        (["--period", "2024-04-01:2025-03-31", "--partnership", "nowhere"], "no partnership 'nowhere'"),
        (["--period", "2024-04-01:2025-03-31", "--force-area", "Atlantis"], "no force area 'Atlantis'"),
    ],
)
def test_bad_arguments_are_one_clear_line(demo, capsys, args, message):
    from casereview.cli import main

    assert main(["casereview", "data-return", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casereview data-return:") and message in err and err.count("\n") == 1


@pytest.mark.django_db
def test_the_page_and_its_downloads_for_a_manager_in_the_access_log(year, client, demo):
    from casereview.audit.models import AccessEvent

    client.force_login(demo.user("wn-analyst"))
    query = {"date_from": "2024-04-01", "date_to": "2025-03-31", "area": "test-force"}
    page = client.get("/returns/", query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Test force" in html and 'data-figure="applications">15<' in html
    assert client.get("/returns/", {**query, "date_to": "31/03/2025"}).status_code == 200
    assert (
        "Enter the last day as a date"
        in client.get("/returns/", {**query, "date_to": "31/03/2025"}).content.decode()
    )
    before = AccessEvent.objects.filter(action="export").count()
    response = client.get("/returns/data-return.csv", query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert (
        json.loads(client.get("/returns/data-return.json", query).content)["areas"][0]["id"] == "test-force"
    )
    assert AccessEvent.objects.filter(action="export").count() == before + 2
    # An agency officer takes no return; a force area the partnership is not in cannot be chosen.
    client.force_login(demo.user("wn-housing"))
    assert client.get("/returns/", query).status_code == 404
    assert client.get("/returns/data-return.csv", query).status_code == 404
    client.force_login(demo.user("wn-analyst"))
    other = ForceArea.objects.create(name="Elsewhere", slug="elsewhere")
    other.partnerships.add(demo.partnership("cardiff"))
    assert client.get("/returns/data-return.json", {**query, "area": "elsewhere"}).status_code == 400
    refused = client.get("/returns/", {**query, "area": "elsewhere"}).content.decode()
    assert "Select an area from the list" in refused and "Elsewhere" not in refused


@pytest.mark.django_db
def test_the_local_policing_bodys_reviews_by_hand_in_the_return_and_on_the_published_page(
    year, client, settings, monkeypatch
):
    """Schema 1.1: the hand-built year with three requests to the local policing body — in West
    Northamptonshire one decided "stands" and one waiting; in Islington one sent back, which puts
    that application back among those awaiting a decision."""
    from dataclasses import replace
    from types import MappingProxyType

    from casereview.accounts.models import User
    from casereview.applications.models import Application
    from casereview.law.services import commencement_record
    from casereview.lpbreviews import selectors as lpb_selectors
    from casereview.lpbreviews.services import lpb_review_decide, lpb_review_request

    settings.CASEREVIEW_SMALL_NUMBER_THRESHOLD = 1
    wn, isl, _force = year
    commencement_record(
        provision="cpa2026.lpb_review", nation="england", in_force_on=D(2024, 1, 1), source="test", actor=None
    )
    real = lpb_selectors.commencement_register

    def without_appeal_first():
        base = real()
        provision = base.provision("cpa2026.lpb_review")
        settings_ = MappingProxyType({**provision.settings, "appeal_first": False})
        return type(base)({**base.provisions, provision.key: replace(provision, settings=settings_)})

    monkeypatch.setattr(lpb_selectors, "commencement_register", without_appeal_first)

    def ask(partnership, received_on):
        case = Application.objects.get(partnership=partnership, received_on=received_on)
        wf.letter(case, "threshold_not_met", received_on + dt.timedelta(days=8))
        return lpb_review_request(
            application=case, requested_on=received_on + dt.timedelta(days=10), channel="online", why="Wrong."
        )

    def office(username, partnership):
        user = User.objects.get(username=username)
        user.work_in(partnership.pk)
        return user

    stands = ask(wn, D(2024, 4, 3))
    lpb_review_decide(
        review=stands,
        actor=office("wn-lpb", wn),
        outcome="stands",
        reasons="Assessed.",
        decided_on=D(2024, 4, 15),
    )
    ask(wn, D(2024, 5, 6))  # waiting
    sent_back = ask(isl, D(2024, 4, 10))
    lpb_review_decide(
        review=sent_back,
        actor=office("is-lpb", isl),
        outcome="sent_back",
        reasons="A report was missed.",
        decided_on=D(2024, 4, 22),
    )

    data = _json("--force-area", "test-force")
    wn_area, isl_area, force = (_area(data, i) for i in ("west-northamptonshire", "islington", "test-force"))
    assert data["schema_version"] == "1.1"
    assert wn_area["lpb_reviews"] == {
        "lpb_reviews_requested": 2,
        "lpb_reviews_decision_stands": 1,
        "lpb_reviews_sent_back": 0,
    }
    assert isl_area["lpb_reviews"] == {
        "lpb_reviews_requested": 1,
        "lpb_reviews_decision_stands": 0,
        "lpb_reviews_sent_back": 1,
    }
    assert force["lpb_reviews"] == {
        "lpb_reviews_requested": 3,
        "lpb_reviews_decision_stands": 1,
        "lpb_reviews_sent_back": 1,
    }
    # Sent back: Islington's not-met decisions 3 → 2, awaiting a decision 1 → 2; the force's 9 → 8.
    assert isl_area["published"]["threshold_not_met"] == 2 and isl_area["outcomes"]["awaiting_decision"] == 2
    assert wn_area["published"]["threshold_not_met"] == 6 and force["published"]["threshold_not_met"] == 8
    # The published page shows the same.
    for slug, expected in (("west-northamptonshire", (2, 1, 0)), ("islington", (1, 0, 1))):
        page = client.get("/statistics/", {"partnership": slug, "year": "2024"}).content.decode()
        for key, value in zip(
            ("lpb_reviews_requested", "lpb_reviews_decision_stands", "lpb_reviews_sent_back"),
            expected,
            strict=True,
        ):
            assert f'data-figure="{key}">{value}<' in page, (slug, key)
