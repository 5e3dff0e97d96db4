"""web.pagination.counts_capped: a page's counts in one query, and a list that can match nothing
(a user who may see no cases: ``.none()``, or ``pk__in=[]``) counted as 0 rather than a crash."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casereview.web.pagination import counts_capped

pytestmark = pytest.mark.django_db


def _users(n: int) -> None:
    User = get_user_model()
    for i in range(n):
        User.objects.create(username=f"counted-{i}")


def test_counts_in_one_query_and_stops_past_the_cap():
    _users(5)
    users = get_user_model().objects.filter(username__startswith="counted-")
    with CaptureQueriesContext(connection) as queries:
        counts = counts_capped(
            {"all": users, "two": users.filter(username__in=["counted-1", "counted-2"])}, cap=3
        )
    assert counts == {"all": 4, "two": 2}  # 5 rows, cap 3: counted up to cap + 1
    assert len(queries) == 1


def test_a_list_that_can_match_nothing_counts_zero_beside_the_others():
    _users(2)
    users = get_user_model().objects.filter(username__startswith="counted-")
    with CaptureQueriesContext(connection) as queries:
        counts = counts_capped({"none": users.none(), "all": users, "empty_in": users.filter(pk__in=[])})
    assert counts == {"none": 0, "all": 2, "empty_in": 0}
    assert len(queries) == 1


def test_only_lists_that_match_nothing_ask_the_database_nothing():
    users = get_user_model().objects.all()
    with CaptureQueriesContext(connection) as queries:
        assert counts_capped({"list": users.none()}) == {"list": 0}
    assert len(queries) == 0


def test_the_layouts_counts_are_counted_whole_in_the_same_query_and_kept_on_the_request(monkeypatch):
    """A list counting with ``request`` counts the layout's registered counts (the unread notices)
    in its own query, not capped, and keeps them for the layout (`layout_count`); a second count in
    the same request does not count them again."""
    from types import SimpleNamespace

    from casereview.web import pagination

    _users(5)
    users = get_user_model().objects.filter(username__startswith="counted-")
    monkeypatch.setattr(pagination, "_layout_counts", {"people": lambda request: users})
    request = SimpleNamespace()
    assert pagination.layout_count(request, "people") is None
    with CaptureQueriesContext(connection) as queries:
        counts = counts_capped(
            {"two": users.filter(username__in=["counted-1", "counted-2"])}, cap=1, request=request
        )
        again = counts_capped({"all": users}, cap=10, request=request)
    assert counts == {"two": 2} and again == {"all": 5}  # the layout's count is not among the list's
    assert pagination.layout_count(request, "people") == 5  # whole: not stopped at the cap of 1
    assert len(queries) == 2
    assert queries[0]["sql"].count("COUNT(*)") == 2  # the list's and the layout's, in one query
    assert queries[1]["sql"].count("COUNT(*)") == 1  # counted once a request
