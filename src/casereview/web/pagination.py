"""The one paginator of the staff lists: it pages in the database and counts at most a cap.

Django's Paginator runs ``COUNT(*)`` over every matching row on every page; at a force area's ten
years (100,000 cases) that count alone costs more than the page. This one counts at most
``cap + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``): past the cap the page says "more
than 1,000" and offers the pages up to the cap, and the filters narrow the rest (ADR 0020).
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 1000


def count_capped(queryset, cap: int = COUNT_CAP) -> int:
    """The number of rows, or ``cap + 1`` when there are more than ``cap`` (reads at most cap + 1)."""
    return queryset.order_by()[: cap + 1].count()


class CappedPaginator(Paginator):
    """A Paginator over a QuerySet whose count stops at ``cap``; ``capped`` says it stopped."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

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
