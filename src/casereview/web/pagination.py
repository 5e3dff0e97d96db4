"""The one paginator of the staff lists: it pages in the database and counts at most a cap.

Django's Paginator runs ``COUNT(*)`` over every matching row on every page; at a force area's ten
years (100,000 cases) that count alone costs more than the page. This one counts at most
``cap + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``): past the cap the page says "more
than 1,000" and offers the pages up to the cap, and the filters narrow the rest (ADR 0020).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections

COUNT_CAP = 1000


def count_capped(queryset, cap: int = COUNT_CAP) -> int:
    """The number of rows, or ``cap + 1`` when there are more than ``cap`` (reads at most cap + 1)."""
    return queryset.order_by()[: cap + 1].count()


# The counts the layout shows on every staff page (the unread notices beside "Notices"), by name:
# each a function of the request giving the query to count, whole, or None. The app that owns one
# registers it at ready() (notifications); web imports no app. A list that counts its rows with
# `counts_capped(..., request=request)` counts these in the same query, and the layout's context
# processor reads them with `layout_count` instead of asking the database again.
_layout_counts: dict[str, Callable] = {}


def register_layout_count(name: str, query_for: Callable) -> None:
    _layout_counts[name] = query_for


def layout_count(request, name: str) -> int | None:
    """The layout's count ``name`` if this request's list counted it already, else None."""
    return getattr(request, "_layout_counts", {}).get(name)


def counts_capped(querysets: dict, cap: int = COUNT_CAP, *, request=None) -> dict:
    """`count_capped` of each queryset, by the same names, in one query (a page with a list and its
    counts asks the database once, not once a count): ``SELECT (SELECT COUNT(*) FROM (… LIMIT
    cap + 1)), …``. Querysets read from different databases are counted one by one.

    With ``request``, the layout's counts (`register_layout_count`) are counted in the same query,
    whole (not capped), and kept on the request for `layout_count`."""
    databases = {queryset.db for queryset in querysets.values()}
    if len(databases) > 1:
        return {name: count_capped(queryset, cap) for name, queryset in querysets.items()}
    layout = {}
    if request is not None and not hasattr(request, "_layout_counts"):
        for name, query_for in _layout_counts.items():
            queryset = query_for(request)
            if queryset is not None and queryset.db in databases:
                layout[name] = queryset
    parts, params, empty = [], [], set()
    for name, queryset, limit in [
        *((name, queryset, cap + 1) for name, queryset in querysets.items()),
        *((("layout", name), queryset, None) for name, queryset in layout.items()),
    ]:
        queryset = queryset.order_by()
        if not queryset.query.distinct:  # as Django's count(): no joins the count does not need
            queryset = queryset.values("pk")
        if limit is not None:
            queryset = queryset[:limit]
        try:
            sql, part_params = queryset.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # `.none()`, or a filter no row can match (`pk__in=[]`): 0, no SQL
            empty.add(name)
            continue
        # The compiled SQL of our own querysets, its values as parameters: nothing typed is spliced in.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(parts)})")  # noqa: S608
        params.extend(part_params)
    counted = iter(())
    if parts:
        with connections[next(iter(querysets.values())).db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counted = iter(cursor.fetchone())
    counts = {name: 0 if name in empty else next(counted) for name in querysets}
    if layout:
        request._layout_counts = {name: 0 if ("layout", name) in empty else next(counted) for name in layout}
    return counts


class CappedPaginator(Paginator):
    """A Paginator over a QuerySet whose count stops at ``cap``; ``capped`` says it stopped."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, counted: int | None = None, **kwargs):
        """``counted``: the list's `count_capped`, when the caller counted it already (with the
        page's other counts, `counts_capped`)."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        if counted is not None:
            self.true_count_up_to_cap = counted

    @cached_property
    def true_count_up_to_cap(self) -> int:
        return count_capped(self.object_list, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self.true_count_up_to_cap > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.true_count_up_to_cap, self.cap)


def page_of(queryset, request, per_page: int, *, cap: int = COUNT_CAP):
    """The requested page (``?page=``) of ``queryset``, with a capped count."""
    return CappedPaginator(queryset, per_page, cap=cap).get_page(request.GET.get("page"))
