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


def _counts(queries: list[str]) -> list[str]:
    return [sql for sql in queries if "COUNT(" in sql]


@pytest.mark.django_db
def test_the_list_and_its_deadline_counts_are_counted_in_one_query_and_no_permission_row_is_read(
    client, demo
):
    """Issue 14: the list's count, "due today" and "overdue" in one query (not three), and the
    staff menu's and the page's rule checks read no permission rows (ADR 0092)."""
    wn = demo.partnership("west-northamptonshire")
    _cases(wn, 30)
    client.force_login(demo.user("wn-csm"))
    for url in URLS:
        queries = _queries(client, url)
        # The layout's unread notices are counted in the same query (web.pagination).
        assert len(_counts(queries)) == 1, url
        assert "notifications_notice" in _counts(queries)[0], url
        assert [sql for sql in queries if "auth_permission" in sql] == [], url
        # The roles come with the memberships, not in a query of their own.
        assert [sql for sql in queries if re.match(r'SELECT "accounts_rolegrant"', sql)] == [], url
    # The page: the session, the user, their second factor, their memberships with their roles,
    # the one count, the page of cases, its clocks, its danger events and the session's save (the
    # test's own savepoints aside).
    statements = [sql for sql in _queries(client, "/cases/") if not re.match(r"(RELEASE )?SAVEPOINT", sql)]
    assert len(statements) <= 9


@pytest.mark.django_db
def test_filtered_to_overdue_alone_the_list_count_is_the_overdue_count(client, demo):
    from django.utils import timezone

    wn = demo.partnership("west-northamptonshire")
    _cases(wn, 30)
    today = timezone.localdate()
    first = Application.objects.filter(partnership=wn).order_by("pk").values_list("pk", flat=True)[:1]
    Application.objects.filter(pk__in=list(first)).update(next_due_on=today)  # due, not overdue
    late = list(Application.objects.filter(partnership=wn).order_by("-pk").values_list("pk", flat=True)[:3])
    Application.objects.filter(pk__in=late).update(next_due_on=today - dt.timedelta(days=2))
    overdue = Application.objects.filter(partnership=wn, next_due_on__lt=today).count()
    assert overdue >= 3
    client.force_login(demo.user("wn-csm"))
    unfiltered = client.get("/cases/").content.decode()
    filtered = client.get("/cases/?clock=overdue&sort=due").content.decode()
    assert f"<strong>{overdue}</strong> cases with an overdue deadline" in unfiltered
    assert f"<strong>{overdue}</strong> cases with an overdue deadline" in filtered
    assert f"{overdue} cases match." in filtered
    # With another filter as well, the list's count is its own (none closed) and the overdue one stays.
    both = client.get("/cases/?clock=overdue&status=closed").content.decode()
    assert f"<strong>{overdue}</strong> cases with an overdue deadline" in both
    assert "No cases match" in both
