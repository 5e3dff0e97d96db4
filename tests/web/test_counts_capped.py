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
