"""The case list pages in the database: a page of 200 cases costs what a page of 20 does, and no
query reads every case (ADR 0020)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casereview.applications.models import Application
from casereview.web.pagination import COUNT_CAP
from tests.factories import make_application

URLS = ["/cases/", "/cases/?sort=due", "/cases/?clock=overdue&sort=due", "/cases/?status=received&page=2"]


def _cases(partnership, count: int) -> None:
    start = dt.date(2025, 1, 6)
    for n in range(count - Application.objects.filter(partnership=partnership).count()):
        make_application(
            partnership, received_on=start + dt.timedelta(days=n % 90), victim_name=f"Victim {n}"
        )


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def _reads_cases_unbounded(sql: str) -> bool:
    """A query that reads the cases or their clocks without a LIMIT or a list of ids (a page's)."""
    reads = re.search(r'FROM "applications_(application|caseclock|caseevent)"', sql)
    bounded = "LIMIT" in sql or re.search(r'"application_id" IN \(', sql) or re.search(r'"id" IN \(', sql)
    return bool(reads) and not bounded


@pytest.mark.django_db
def test_a_page_of_200_cases_costs_the_queries_of_a_page_of_20(client, demo):
    wn = demo.partnership("west-northamptonshire")
    client.force_login(demo.user("wn-csm"))
    _cases(wn, 20)
    small = {url: _queries(client, url) for url in URLS}
    _cases(wn, 200)
    large = {url: _queries(client, url) for url in URLS}
    for url in URLS:
        assert len(large[url]) == len(small[url]), url
        unbounded = [sql for sql in large[url] if _reads_cases_unbounded(sql)]
        assert unbounded == [], url


@pytest.mark.django_db
def test_the_count_stops_at_the_cap_and_says_so(client, demo, monkeypatch):
    import casereview.applications.views as views

    wn = demo.partnership("west-northamptonshire")
    _cases(wn, 30)
    client.force_login(demo.user("wn-csm"))
    page = client.get("/cases/").content.decode()
    assert "30 cases" in page

    monkeypatch.setattr(views, "COUNT_CAP", 26)
    page = client.get("/cases/").content.decode()
    assert "More than 26 cases: the first 26 are listed" in page
    assert COUNT_CAP == 1000
    assert "Page 2" in page and "Page 3" not in page  # 26 cases: two pages of 25
