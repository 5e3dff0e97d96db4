"""The data return (issue 20, ADR 0060, docs/returns.md): the figures the Home Office asks for, for
any period, per partnership and per force area, as counts only, with small numbers suppressed.

Every figure comes from the apps that own it — the published statistics and their breakdown and
deadlines from `statistics.selectors` (so the return cannot disagree with the published page), the
report log's counts from `reports.selectors` — summed over a force area's partnerships *before*
suppression. No personal data: no names, addresses, references, free text of a case; the report
log's categories are staff's own words, so a category used fewer than N times is not named (it is
counted in "other categories").

Suppression (docs/returns.md, "Small numbers"): a count from 1 to N-1 is shown as "fewer than N"
(N = CASEREVIEW_SMALL_NUMBER_THRESHOLD, 5 by default); 0 is shown. Where a total and its parts are
both shown and exactly one part is hidden, the part could be found by subtraction: the smallest
other non-zero part is "withheld" too (or, with none, the total). This is done for the applications
and the five places they stand in, and for a force area's figure and its partnerships' figures,
repeated until nothing more is hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from casereview.accounts.models import Partnership
from casereview.lpbreviews.registry import PolicingBody
from casereview.reports.selectors import NOT_RECORDED, report_counts_by
from casereview.statistics.periods import Period
from casereview.statistics.selectors import deadline_records, figures_for

from .models import ForceArea

SCHEMA = "casereview-data-return"
SCHEMA_VERSION = "1.1"

PUBLISHED = ("applications", "threshold_not_met", "reviews_carried_out", "reviews_with_recommendations")
OUTCOMES = (
    "not_eligible",
    "accepted_review_pending",
    "awaiting_decision",
    "withdrawn",
    "reviews_at_discretion",
    "accepted_after_appeal",
    "appeals_lodged",
    "appeals_upheld",
)
#: Schema 1.1: the Crime and Policing Act 2026's local policing body reviews, from the published
#: statistics' own counts (statistics.selectors.Figures), so the two reconcile by construction.
LPB_REVIEWS = ("lpb_reviews_requested", "lpb_reviews_decision_stands", "lpb_reviews_sent_back")
#: applications = threshold_not_met + reviews_carried_out + accepted_review_pending
#:                + awaiting_decision + withdrawn (docs/statistics.md)
PLACES = (
    "threshold_not_met",
    "reviews_carried_out",
    "accepted_review_pending",
    "awaiting_decision",
    "withdrawn",
)
DEADLINE_STATES = ("on_time", "late", "overdue", "not_yet_due")
OTHER_CATEGORIES = "other_categories"
WITHHELD = "withheld"


def small_number_threshold() -> int:
    return max(1, int(getattr(settings, "CASEREVIEW_SMALL_NUMBER_THRESHOLD", 5)))


@dataclass
class Cell:
    section: str  # published, outcomes, timeliness, reports
    measure: str
    breakdown: str  # "" or the deadline, category or channel counted
    count: int
    suppressed: bool = False  # a small number: "fewer than N"
    withheld: bool = False  # not small, hidden so that a small one cannot be found by subtraction
    folded: bool = False  # a rare category, counted in OTHER_CATEGORIES and not listed

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.section, self.measure, self.breakdown)

    @property
    def hidden(self) -> bool:
        return self.suppressed or self.withheld or self.folded

    def shown(self, threshold: int) -> int | str:
        if self.withheld:
            return WITHHELD
        return f"fewer than {threshold}" if self.suppressed else self.count


@dataclass
class Area:
    kind: str  # "partnership" or "force_area"
    id: str
    name: str
    partnerships: list[Partnership]
    cells: list[Cell] = field(default_factory=list)

    def cell(self, section: str, measure: str, breakdown: str = "") -> Cell | None:
        return next((c for c in self.cells if c.key == (section, measure, breakdown)), None)


@dataclass
class DataReturn:
    period: Period
    as_at: dt.date
    threshold: int
    areas: list[Area]


class ReturnError(ValueError):
    pass


def areas_for(*, partnership: Partnership | None = None, force_area: ForceArea | None = None) -> list[Area]:
    """One partnership; or a force area followed by each of its partnerships; or, with neither,
    every partnership then every force area."""

    def of(p: Partnership) -> Area:
        return Area("partnership", p.slug, p.name, [p])

    def of_force(f: ForceArea) -> Area:
        return Area("force_area", f.slug, f.name, list(f.partnerships.order_by("name")))

    if partnership is not None:
        return [of(partnership)]
    if force_area is not None:
        return [of_force(force_area), *(of(p) for p in force_area.partnerships.order_by("name"))]
    return [
        *(of(p) for p in Partnership.objects.order_by("name")),
        *(of_force(f) for f in ForceArea.objects.order_by("name")),
    ]


def force_area_by_name(text: str) -> ForceArea:
    found = ForceArea.objects.filter(slug=text).first() or ForceArea.objects.filter(name__iexact=text).first()
    if found is None:
        known = ", ".join(ForceArea.objects.values_list("name", flat=True)) or "none"
        raise ReturnError(f"--force-area: no force area {text!r} (known: {known})")
    return found


def _raw_cells(partnerships: list[Partnership], period: Period, as_at: dt.date) -> list[Cell]:
    totals: dict[tuple[str, str, str], int] = {}

    def add(section, measure, breakdown, n):
        totals[(section, measure, breakdown)] = totals.get((section, measure, breakdown), 0) + n

    for measure in PUBLISHED:
        add("published", measure, "", 0)
    for measure in OUTCOMES:
        add("outcomes", measure, "", 0)
    for measure in LPB_REVIEWS:
        add("lpb_reviews", measure, "", 0)
    for partnership in partnerships:
        row = figures_for(partnership=partnership, period=period, as_at=as_at).as_row()
        for measure in PUBLISHED:
            add("published", measure, "", row[measure])
        for measure in OUTCOMES:
            add("outcomes", measure, "", row[measure])
        for measure in LPB_REVIEWS:
            add("lpb_reviews", measure, "", row[measure])
        for record in deadline_records(partnership=partnership, period=period, as_at=as_at):
            for state in DEADLINE_STATES:
                add("timeliness", state, record.name, getattr(record, state))
    ids = [p.pk for p in partnerships]
    categories = report_counts_by(ids, period.start, min(period.end, as_at), field="category")
    channels = report_counts_by(ids, period.start, min(period.end, as_at), field="channel")
    add("reports", "reports", "", sum(channels.values()))
    for channel, n in channels.items():
        add("reports", "by_channel", channel, n)
    for category, n in categories.items():
        add("reports", "by_category", category, n)
    return [Cell(*key, count=n) for key, n in totals.items()]


def _fold_rare_categories(cells: list[Cell], threshold: int) -> list[Cell]:
    """Staff's own words name a category: one used fewer than N times is not named (counted in
    OTHER_CATEGORIES instead)."""
    other = 0
    for cell in cells:
        if cell.section == "reports" and cell.measure == "by_category" and 0 < cell.count < threshold:
            other += cell.count
            cell.folded = True
    if other:
        cells.append(Cell("reports", "by_category", OTHER_CATEGORIES, other))
    return cells


def _hidden(cell: Cell, threshold: int) -> bool:
    return 0 < cell.count < threshold


def _protect(total: Cell | None, parts: list[Cell]) -> bool:
    """Secondary suppression for one total and its parts (see the module's docstring). True if it
    hid anything."""
    if total is None or total.hidden:
        return False
    hidden = [p for p in parts if p.hidden]
    if len(hidden) != 1:
        return False
    others = sorted((p for p in parts if not p.hidden and p.count > 0), key=lambda p: (p.count, p.key))
    (others[0] if others else total).withheld = True
    return True


def data_return(
    *,
    period: Period,
    as_at: dt.date,
    partnership: Partnership | None = None,
    force_area: ForceArea | None = None,
) -> DataReturn:
    threshold = small_number_threshold()
    areas = areas_for(partnership=partnership, force_area=force_area)
    for area in areas:
        area.cells = _fold_rare_categories(_raw_cells(area.partnerships, period, as_at), threshold)
        for cell in area.cells:
            cell.suppressed = _hidden(cell, threshold)
    # Each pass only hides more, so this ends; usually after one or two passes.
    while _protect_pass(areas):
        pass
    return DataReturn(period=period, as_at=as_at, threshold=threshold, areas=areas)


def _protect_pass(areas: list[Area]) -> bool:
    changed = False
    by_id = {(a.kind, a.id): a for a in areas}
    for area in areas:
        changed |= _protect(area.cell("published", "applications"), [_place(area, m) for m in PLACES])
        if area.kind != "force_area":
            continue
        # A force area's figure and its partnerships' figures, listed together.
        members = [by_id.get(("partnership", p.slug)) for p in area.partnerships]
        if not all(members):
            continue
        for cell in area.cells:
            if not cell.folded:
                parts = [m.cell(*cell.key) or Cell(*cell.key, count=0) for m in members]
                changed |= _protect(cell, parts)
    return changed


def _place(area: Area, measure: str) -> Cell:
    section = "published" if measure in PUBLISHED else "outcomes"
    return area.cell(section, measure) or Cell(section, measure, "", 0)


def partnerships_not_in_a_force_area() -> list[Partnership]:
    return list(Partnership.objects.filter(force_areas__isnull=True).order_by("name"))


def policing_body_of_partnership(partnership) -> PolicingBody | None:
    """The local policing body of the partnership's force area, and its nation (for the review
    route's commencement date); None for a partnership in no force area."""
    area = ForceArea.objects.filter(partnerships=partnership).order_by("name").first()
    if area is None:
        return None
    return PolicingBody(name=area.local_policing_body, nation=area.nation, force_area=area.name)


def force_areas_of(partnership_id) -> list[ForceArea]:
    return list(ForceArea.objects.filter(partnerships__id=partnership_id).order_by("name"))


__all__ = ["NOT_RECORDED", "SCHEMA", "SCHEMA_VERSION", "DataReturn", "data_return"]
