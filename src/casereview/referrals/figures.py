"""The figures the seeds publish about the standing panels (seed 003: "81 cases in a year, 56
closed"; "90 addresses down to 38"), derived from the records, never typed: per panel kind and per
financial year (1 April to 31 March, as `casereview stats --year`), for one partnership.

- heard: cases discussed at a held meeting in the year;
- actions: actions the panel set at its meetings in the year;
- closed_risk_reduced / closed: cases closed in the year with the reason "risk reduced" / any;
- open: cases referred by the year's end and not closed by then (a case re-opened since counts by
  its latest closing, the one kept on the referral);
- referred: referrals made in the year, and of them by how they arrived (`ReferralSource`): a
  partner's referral on the referral form or through the partner API (the same service, source
  ""), a repeat caller from the report log's triage, a hotspot as an Enhanced Partnership Response.
The address tracker's counts (now and a year ago) are the tracker's own (`tracker_figures`).
The case review panel (ADR 0088) counts the reviews heard at its sittings; its actions, closings,
open reviews and arrivals are the review statistics' (`casereview stats`), so here they are None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from casereview.core.panel_kinds import CASE_REVIEW
from casereview.tracker.selectors import tracker_figures

from .models import MeetingItem, MeetingStatus, Referral, ReferralSource


@dataclass(frozen=True)
class PanelFigures:
    code: str
    name: str
    heard: int
    actions: int | None
    closed_risk_reduced: int | None
    closed: int | None
    open: int | None
    referred: int | None = 0
    referred_by_partner: int | None = 0  # the referral form or the partner API
    referred_from_triage: int | None = 0  # a repeat caller's triage
    referred_from_hotspot: int | None = 0  # a hotspot, as an Enhanced Partnership Response


def financial_year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def panel_figures(partnership, *, year: int) -> list[PanelFigures]:
    start, end = financial_year(year)
    out = []
    for kind in partnership.policy.standing_panel_kinds:
        referrals = Referral.objects.filter(partnership=partnership, panel_kind=kind.code, case__isnull=False)
        items = MeetingItem.objects.filter(
            meeting__partnership=partnership,
            meeting__panel_kind=kind.code,
            meeting__status=MeetingStatus.HELD,
            meeting__meeting_on__range=(start, end),
            heard=True,
        )
        closed = referrals.filter(closed_on__range=(start, end))
        by_source = dict(
            referrals.filter(referred_on__range=(start, end))
            .order_by()
            .values("source")
            .annotate(n=Count("pk"))
            .values_list("source", "n")
        )
        out.append(
            PanelFigures(
                code=kind.code,
                name=kind.name,
                heard=items.values("case").distinct().count(),
                actions=items.values("actions").exclude(actions=None).distinct().count(),
                closed_risk_reduced=closed.filter(closed_reason="risk_reduced").count(),
                closed=closed.count(),
                open=referrals.filter(referred_on__lte=end)
                .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
                .count(),
                referred=sum(by_source.values()),
                referred_by_partner=by_source.get(ReferralSource.FORM, 0),
                referred_from_triage=by_source.get(ReferralSource.REPEAT_CALLER_TRIAGE, 0),
                referred_from_hotspot=by_source.get(ReferralSource.HOTSPOT, 0),
            )
        )
    return [_review_only(f) if f.code == CASE_REVIEW else f for f in out]


def _review_only(row: PanelFigures) -> PanelFigures:
    return PanelFigures(row.code, row.name, row.heard, None, None, None, None, None, None, None, None)


def tracker_counts(partnership, *, today: dt.date) -> dict | None:
    """Addresses on the tracker now and a year ago, where a panel keeps the tracker."""
    if partnership.policy.address_tracker_panel is None:
        return None
    figures = tracker_figures(partnership.pk, today)
    return {
        "today": figures["today"],
        "year_ago": figures["year_ago"],
        "now": figures["now_on_tracker"],
        "then": figures["then_on_tracker"],
    }
