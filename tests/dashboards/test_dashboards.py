"""The dashboards (docs/dashboards.md, ADR 0059): a page per role; each chart an SVG drawn on the
server (role="img", named by its title and description), the same numbers as a table, and a CSV;
no JavaScript; within the user's scope. A Chief Executive or senior manager lands on theirs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from casereview.actions.models import ActionKind
from casereview.actions.services import action_create
from tests.conftest import assert_accessible, sign_in
from tests.factories import make_application
from tests.statistics import workflow as wf


def _report(partnership, agency, day, location, actor, category="Noise", channel="online"):
    from casereview.reports.services import report_record

    return report_record(
        partnership=partnership,
        agency=agency,
        reported_at=dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.UTC),
        location=location,
        category=category,
        channel=channel,
        actor=actor,
    )


def _table(html: str, slug: str) -> dict[str, list[str]]:
    """The chart's table: row label -> its values, as shown."""
    section = html.split(f'id="{slug}-heading"')[1].split("</section>")[0]
    table = section.split("<tbody")[1].split("</tbody>")[0]
    rows = {}
    for row in table.split("</tr>")[:-1]:
        label = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S).group(1).strip()
        rows[label] = re.findall(r'data-chart="[^"]+">([^<]*)<', row)
    return rows


@pytest.fixture
def world(demo):
    today = timezone.localdate()
    wn, isl = demo.partnership("west-northamptonshire"), demo.partnership("islington")
    csm = demo.user("wn-csm")
    # Cases: 2 received, 1 accepted (in West Northamptonshire); 3 received in Islington (not counted).
    make_application(wn, victim_name="Ann One", received_on=today - dt.timedelta(days=2))
    make_application(wn, victim_name="Bob Two", received_on=today - dt.timedelta(days=1))
    accepted = wf.accept(wf.received(wn, today - dt.timedelta(days=30)), today - dt.timedelta(days=20), csm)
    for n in range(3):
        make_application(isl, victim_name=f"Isla {n}", received_on=today - dt.timedelta(days=n + 1))
    # Actions: 2 overdue with the police, 1 with housing, 1 not yet due.
    police, housing = (
        demo.agency("west-northamptonshire", "police"),
        demo.agency("west-northamptonshire", "housing"),
    )
    wf.start_review(accepted, today - dt.timedelta(days=19), csm)
    for agency, days in ((police, -3), (police, -1), (housing, -2), (housing, 5)):
        action_create(
            case=accepted,
            kind=ActionKind.INTERIM,
            description=f"Visit ({agency.name}, {days})",
            owner_agency=agency,
            due_on=today + dt.timedelta(days=days),
            actor=csm,
        )
    # Reports: 3 this week at "1 Hot Street", 12 over the twelve weeks before (1 a week); 2 this
    # week at "2 Warm Road"; Islington's not counted.
    council = demo.agency("west-northamptonshire", "council")
    monday = today - dt.timedelta(days=today.weekday())
    for _ in range(3):
        _report(wn, council, today, "1 Hot Street", csm)
    for week in range(1, 13):
        _report(wn, council, monday - dt.timedelta(weeks=week), "1 Hot Street", csm, channel="asb_line")
    for _ in range(2):
        _report(wn, council, monday, "2 Warm Road", csm, category="Vandalism")
    _report(isl, demo.agency("islington", "council"), today, "9 Elsewhere", demo.user("is-csm"))
    return {"today": today, "accepted": accepted}


@pytest.mark.django_db
def test_the_community_safety_dashboard_counts_what_it_was_given(world, client, demo):
    client.force_login(demo.user("wn-csm"))
    response = client.get("/dashboards/community-safety/")
    assert response.status_code == 200
    html = response.content.decode()
    stages = _table(html, "reviews-by-stage")
    assert stages["Received"] == ["2"] and stages["Review in progress"] == [
        "1"
    ]  # Islington's three are not here
    assert _table(html, "actions-overdue-by-agency") == {
        "Northamptonshire Police": ["2"],
        "Northamptonshire Partnership Homes": ["1"],
    }
    hot = _table(html, "hotspots-this-week")
    assert hot["1 Hot Street"] == ["3", "1.0"] and hot["2 Warm Road"] == ["2", "0.0"]
    assert list(hot)[0] == "1 Hot Street" and "9 Elsewhere" not in html
    assert _table(html, "reports-by-week")["This week"] == ["5"]
    # Every chart: an SVG picture named by its title and description, a table and a CSV link.
    main = html.split("<main")[1].split("</main>")[0]  # the page's own GOV.UK script is not the charts'
    assert html.count('role="img"') == 5 and "<script" not in main
    for slug in ("reviews-by-stage", "clocks-this-week", "actions-overdue-by-agency", "hotspots-this-week"):
        assert f'aria-labelledby="{slug}-title {slug}-desc"' in html
        assert f'href="/dashboards/community-safety/{slug}.csv"' in html


@pytest.mark.django_db
def test_each_chart_is_a_csv_with_the_tables_numbers_and_in_the_access_log(world, client, demo):
    from casereview.audit.models import AccessEvent

    client.force_login(demo.user("wn-csm"))
    response = client.get("/dashboards/community-safety/actions-overdue-by-agency.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["Agency", "Overdue actions"],
        ["Northamptonshire Police", "2"],
        ["Northamptonshire Partnership Homes", "1"],
    ]
    assert AccessEvent.objects.filter(action="export", summary__contains="Overdue actions by agency").exists()
    assert client.get("/dashboards/community-safety/no-such-chart.csv").status_code == 404


@pytest.mark.django_db
def test_the_analysts_report_log_by_category_channel_area_and_month(world, client, demo):
    client.force_login(demo.user("wn-analyst"))
    html = client.get("/dashboards/analyst/").content.decode()
    assert _table(html, "reports-by-category") == {"Noise": ["15"], "Vandalism": ["2"]}
    channels = _table(html, "reports-by-channel")
    assert channels == {"Online form": ["5"], "ASB reporting line": ["12"]} or channels == {
        "ASB reporting line": ["12"],
        "Online form": ["5"],
    }
    assert _table(html, "reports-by-area") == {"Not recorded": ["17"]}
    months = _table(html, "reports-by-month")
    assert len(months) in (12, 13) and sum(int(v[0]) for v in months.values()) == 17


@pytest.mark.django_db
def test_a_senior_manager_lands_on_their_dashboard_with_the_trend(world, client, demo):
    client.force_login(demo.user("wn-ceo"))
    assert client.get("/home/")["Location"] == "/dashboards/senior/"
    html = client.get("/dashboards/senior/").content.decode()
    trend = _table(html, "reviews-and-outcomes")
    assert len(trend) == 8 and sum(int(v[0]) for v in trend.values()) == 3  # applications, this partnership
    assert "No overdue action has been escalated to you." in html
    # Others land on the case list; an agency officer has no dashboard.
    client.force_login(demo.user("wn-csm"))
    assert client.get("/home/")["Location"] == "/cases/"
    client.force_login(demo.user("wn-police"))
    assert client.get("/dashboards/").status_code == 404
    assert client.get("/dashboards/senior/").status_code == 404
    client.force_login(demo.user("wn-csm"))
    assert client.get("/dashboards/senior/").status_code == 404


@pytest.mark.browser
@pytest.mark.parametrize(
    "username, slug",
    [("wn-csm", "community-safety"), ("wn-ceo", "senior"), ("wn-analyst", "analyst")],
)
@pytest.mark.django_db(transaction=True)
def test_each_dashboard_in_chromium_has_no_axe_violations(page, world, username, slug):
    sign_in(page, username)
    page.goto(f"/dashboards/{slug}/")
    assert page.locator("svg[role=img]").count() >= 1
    assert page.locator("table.govuk-table").count() >= page.locator("svg[role=img]").count()
    assert_accessible(page)
