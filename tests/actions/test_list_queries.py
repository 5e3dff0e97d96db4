"""The actions list pages in the database: 200 actions cost the queries of 20, and no query reads
every action (ADR 0020)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.actions.helpers import action_for
from tests.actions.test_views import travel, world  # noqa: F401 - fixtures

URLS = ["/actions/", "/actions/?show=overdue", "/actions/?sort=escalation", "/actions/?show=all&page=2"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _reads_actions_unbounded(sql: str) -> bool:
    reads = re.search(r'FROM "actions_action"', sql)
    bounded = "LIMIT" in sql or re.search(r'"action_id" IN \(', sql)
    return bool(reads) and not bounded


@pytest.mark.django_db
def test_a_page_of_200_actions_costs_the_queries_of_a_page_of_20(client, demo, world):  # noqa: F811
    def grow(to):
        for n in range(to - len(_all())):
            action_for(
                world["application"], demo.user("wn-police"), due_on=dt.date(2026, 3, 1), description=f"A{n}"
            )

    def _all():
        from casereview.actions.models import Action

        return list(Action.objects.values_list("pk", flat=True))

    client.force_login(demo.user("wn-spoc"))
    grow(20)
    small = {url: _queries(client, url) for url in URLS}
    grow(200)
    large = {url: _queries(client, url) for url in URLS}
    for url in URLS:
        assert len(large[url]) == len(small[url]), url
        assert [sql for sql in large[url] if _reads_actions_unbounded(sql)] == [], url


@pytest.mark.django_db
def test_the_list_and_its_open_and_overdue_counts_are_counted_in_one_query(client, demo, world):  # noqa: F811
    """Issue 14: the list's count with the open and overdue counts, one query (not three)."""
    client.force_login(demo.user("wn-spoc"))
    for url in URLS:
        counted = [sql for sql in _queries(client, url) if "COUNT(" in sql]
        assert len(counted) == 1, url
        # With the layout's unread notices (web.pagination.register_layout_count).
        assert "actions_action" in counted[0] and "notifications_notice" in counted[0], url
