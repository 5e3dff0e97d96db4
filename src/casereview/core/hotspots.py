"""Hotspots and repeat callers (contracts.md §7): the reference implementation.

Seed 003 (Islington): "A hot spot is a location in which there have been more than 6 ASB calls in
the last 2 weeks"; repeat callers "will have made at least: 10 calls to the ASB out of hours line
within the last three months with at least two of those in the last month. Or 20 calls to the
police within the last month." The policy holds both rules (``[hotspots]``,
``[[repeat_callers.rules]]``); these functions apply them.

These are deliberately simple loops over plain records: they are the *reference* that a faster
database query for the Django app is tested against, so they favour being obviously right.

Rules that hold for both:

- "the last 2 weeks" / "the last month" is the period of that length *ending with* the as-of day
  (periods.period_ending_with), counted by the date the report was made; reports after the as-of
  day do not count;
- a report whose date is known only to the month (police.uk data gives "2025-03") never counts:
  it cannot be placed in a 14-day window, and counting it on the 1st would invent a date;
- a report with no caller never makes a repeat caller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from casereview.core.periods import period_ending_with
from casereview.core.policy import Policy


@dataclass(frozen=True)
class AsbReport:
    """One ASB report, as much of it as these rules need."""

    location: str
    reported_on: date
    #: The date is known only to the month (``reported_on`` is then the 1st, and is not used).
    month_only: bool = False
    caller: str | None = None
    channel: str | None = None  # e.g. "out_of_hours_line", "asb_line", "police_101"
    agency_kind: str | None = None  # vocabulary.AGENCY_KINDS


@dataclass(frozen=True)
class Hotspot:
    location: str
    reports: int

    def to_dict(self) -> dict[str, object]:
        return {"location": self.location, "reports": self.reports}


@dataclass(frozen=True)
class RepeatCaller:
    caller: str
    rule: str  # the name of the policy rule met, e.g. "out_of_hours_line" or "police"
    calls: int  # the count in the rule's (main) window

    def to_dict(self) -> dict[str, object]:
        return {"caller": self.caller, "rule": self.rule, "calls": self.calls}


def _within(report: AsbReport, first: date, last: date) -> bool:
    return not report.month_only and first <= report.reported_on <= last


def hotspots(policy: Policy, reports: Iterable[AsbReport], as_of: date) -> list[Hotspot]:
    """Locations with more than the policy's number of reports in its window ending with ``as_of``.

    Largest first, then by location. A policy without ``[hotspots]`` has no hotspots (empty list);
    a caller wanting to say "this partnership has no hotspot rule" checks ``policy.hotspots``.
    """
    rule = policy.hotspots
    if rule is None:
        return []
    first, last = period_ending_with(rule.window, as_of)
    counts = Counter(report.location for report in reports if _within(report, first, last))
    found = [Hotspot(location, count) for location, count in counts.items() if count > rule.more_than_reports]
    return sorted(found, key=lambda hotspot: (-hotspot.reports, hotspot.location))


@dataclass(frozen=True)
class HotspotHistory:
    """A location's hotspot history: on how many of the days it had reports it was a hotspot, the
    first and last of those days, and the most reports in one window."""

    location: str
    days: int
    first: date
    last: date
    peak: int

    def to_dict(self) -> dict[str, object]:
        return {
            "location": self.location,
            "days": self.days,
            "first": self.first,
            "last": self.last,
            "peak": self.peak,
        }


def hotspot_history(policy: Policy, reports: Iterable[AsbReport]) -> list[HotspotHistory]:
    """The hotspot rule applied on every day a location had reports (dated to the day), over all
    history: the "full rolling recompute". Most days first, then by location; empty without a rule.

    Deliberately the slow, obvious way — ``hotspots`` on each day — as the reference for the SQL."""
    if policy.hotspots is None:
        return []
    reports = [report for report in reports if not report.month_only]
    days_by_location: dict[str, set[date]] = {}
    for report in reports:
        days_by_location.setdefault(report.location, set()).add(report.reported_on)
    found = []
    for location, days in days_by_location.items():
        here = [report for report in reports if report.location == location]
        hot = {day: hotspots(policy, here, day) for day in sorted(days)}
        hot_days = [day for day, spots in hot.items() if spots]
        if hot_days:
            peak = max(spots[0].reports for spots in hot.values() if spots)
            found.append(HotspotHistory(location, len(hot_days), hot_days[0], hot_days[-1], peak))
    return sorted(found, key=lambda item: (-item.days, item.location))


def repeat_callers(policy: Policy, reports: Iterable[AsbReport], as_of: date) -> list[RepeatCaller]:
    """Callers meeting one of the policy's repeat-caller rules as of ``as_of``.

    Each caller is listed once, under the first rule (in policy order) they meet, with that rule's
    count. Most calls first, then by caller. Empty if the policy sets no rules.
    """
    reports = [report for report in reports if report.caller and not report.month_only]
    found: dict[str, RepeatCaller] = {}
    for rule in policy.repeat_callers:
        first, last = period_ending_with(rule.window, as_of)
        calls = Counter(
            report.caller
            for report in reports
            if _within(report, first, last) and rule.matches(report.channel, report.agency_kind)
        )
        recent: Counter[str] = Counter()
        if rule.recent_window is not None:
            recent_first, recent_last = period_ending_with(rule.recent_window, as_of)
            recent = Counter(
                report.caller
                for report in reports
                if _within(report, recent_first, recent_last)
                and rule.matches(report.channel, report.agency_kind)
            )
        for caller, count in calls.items():
            if caller in found or count < rule.min_calls:
                continue
            if rule.min_recent_calls is not None and recent[caller] < rule.min_recent_calls:
                continue
            found[caller] = RepeatCaller(caller, rule.name, count)
    return sorted(found.values(), key=lambda repeat: (-repeat.calls, repeat.caller))
