"""The published figures, derived from the recorded workflow — never typed in.

docs/statistics.md is the counting rulebook; this module is its one implementation, used by the
public page, its CSV and `casereview stats`, so the three cannot disagree.

The rules in one paragraph: the figures for a period are about the applications *received* in
that period (by `Application.received_on`), each counted once, in exactly one of five places
according to what the timeline records as at the date of the figures (`as_at`, default today):

    applications = threshold_not_met + reviews_carried_out
                   + accepted_review_pending + awaiting_decision + withdrawn

* reviews_carried_out — a review panel has been held ("panel_held" event), whatever followed
  (a case withdrawn after its panel still had its review); a panel held without its quorum
  ("inquorate", the chair's reason recorded) counts only where the policy's
  `[panel] inquorate_counts_as_review` is true — otherwise the case stays accepted, review pending;
* withdrawn — withdrawn (or closed as unreachable) before any panel;
* threshold_not_met — the standing decision is that no review will take place: declined as not
  meeting the threshold, or as not eligible (shown separately as "not eligible"); an appeal
  upheld on that decision re-opens the case as accepted, so it leaves this count;
* accepted_review_pending — accepted (threshold met, at discretion, or on appeal), panel not yet held;
* awaiting_decision — received, no decision yet.

Reviews at the manager's discretion are reviews (the Act's s.104(5) discretion *is* a decision that
the threshold is met), shown as "of which at discretion". reviews_with_recommendations counts the
reviews whose panel made at least one recommendation ("recommendation_made" event).
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from casereview.accounts.models import Partnership
from casereview.appeals.selectors import AppealOutcome, appeals_lodged_by
from casereview.applications.selectors import Application, Decision, Status, applications_received
from casereview.lpbreviews.selectors import lpb_review_counts

from .periods import Period

# Where an application stands in the figures (one of these, exactly).
REVIEW = "review"
NOT_MET = "threshold_not_met"
ACCEPTED_PENDING = "accepted_review_pending"
AWAITING_DECISION = "awaiting_decision"
WITHDRAWN = "withdrawn"

#: The contract's keys (contracts §5), in order. The JSON has exactly these.
CONTRACT_KEYS = (
    "partnership",
    "from",
    "to",
    "applications",
    "threshold_not_met",
    "reviews_carried_out",
    "reviews_with_recommendations",
)

#: The CSV's columns: the contract's first, then the breakdown that makes them reconcile.
CSV_COLUMNS = (
    *CONTRACT_KEYS,
    "as_at",
    "not_eligible",
    "accepted_review_pending",
    "awaiting_decision",
    "withdrawn",
    "reviews_at_discretion",
    "accepted_after_appeal",
    "appeals_lodged",
    "appeals_upheld",
    "lpb_reviews_requested",
    "lpb_reviews_decision_stands",
    "lpb_reviews_sent_back",
)

ACCEPTED_STATUSES = frozenset({Status.ACCEPTED, Status.IN_REVIEW})
NOT_MET_STATUSES = frozenset({Status.DECLINED, Status.CLOSED})
GONE_STATUSES = frozenset({Status.WITHDRAWN})


@dataclass(frozen=True)
class ApplicationCount:
    """How one application is counted (for the figures' own tests and for managers' checks)."""

    application_id: int
    reference: str
    place: str
    with_recommendations: bool = False
    not_eligible: bool = False
    at_discretion: bool = False
    after_appeal: bool = False


@dataclass
class Figures:
    partnership: Partnership
    period: Period
    as_at: dt.date
    counts: list[ApplicationCount] = field(default_factory=list)
    appeals_lodged: int = 0
    appeals_upheld: int = 0
    #: The Crime and Policing Act 2026's route: reviews asked of the local policing body (lpbreviews).
    lpb_reviews_requested: int = 0
    lpb_reviews_decision_stands: int = 0
    lpb_reviews_sent_back: int = 0

    def _n(self, place: str) -> int:
        return sum(1 for c in self.counts if c.place == place)

    @property
    def applications(self) -> int:
        return len(self.counts)

    @property
    def threshold_not_met(self) -> int:
        return self._n(NOT_MET)

    @property
    def reviews_carried_out(self) -> int:
        return self._n(REVIEW)

    @property
    def reviews_with_recommendations(self) -> int:
        return sum(1 for c in self.counts if c.place == REVIEW and c.with_recommendations)

    @property
    def accepted_review_pending(self) -> int:
        return self._n(ACCEPTED_PENDING)

    @property
    def awaiting_decision(self) -> int:
        return self._n(AWAITING_DECISION)

    @property
    def withdrawn(self) -> int:
        return self._n(WITHDRAWN)

    @property
    def not_eligible(self) -> int:
        return sum(1 for c in self.counts if c.place == NOT_MET and c.not_eligible)

    @property
    def reviews_at_discretion(self) -> int:
        return sum(1 for c in self.counts if c.place == REVIEW and c.at_discretion)

    @property
    def accepted_after_appeal(self) -> int:
        return sum(1 for c in self.counts if c.after_appeal and c.place in (REVIEW, ACCEPTED_PENDING))

    @property
    def is_final(self) -> bool:
        """Nothing in the period is still to be decided or reviewed: the figures will not change."""
        return self.as_at >= self.period.end and not (self.accepted_review_pending or self.awaiting_decision)

    def as_contract(self) -> dict:
        """Exactly the JSON of contracts §5."""
        return {
            "partnership": self.partnership.slug,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "applications": self.applications,
            "threshold_not_met": self.threshold_not_met,
            "reviews_carried_out": self.reviews_carried_out,
            "reviews_with_recommendations": self.reviews_with_recommendations,
        }

    def as_row(self) -> dict:
        """The CSV row: the contract's figures, then the breakdown."""
        return {
            **self.as_contract(),
            "as_at": self.as_at.isoformat(),
            "not_eligible": self.not_eligible,
            "accepted_review_pending": self.accepted_review_pending,
            "awaiting_decision": self.awaiting_decision,
            "withdrawn": self.withdrawn,
            "reviews_at_discretion": self.reviews_at_discretion,
            "accepted_after_appeal": self.accepted_after_appeal,
            "appeals_lodged": self.appeals_lodged,
            "appeals_upheld": self.appeals_upheld,
            "lpb_reviews_requested": self.lpb_reviews_requested,
            "lpb_reviews_decision_stands": self.lpb_reviews_decision_stands,
            "lpb_reviews_sent_back": self.lpb_reviews_sent_back,
        }


def _sort_key(event) -> tuple:
    return (event.occurred_on, event.at, event.pk or 0)


def status_as_at(events: list) -> str:
    """The case's status after its status-changing events (application_set_status records
    data {"from", "to"}); a case with none is as received."""
    status = Status.RECEIVED
    for event in sorted(events, key=_sort_key):
        data = event.data or {}
        if "from" in data and data.get("to") in Status.values:
            status = data["to"]
    return status


def _counts_as_review(event, *, count_inquorate: bool) -> bool:
    """A "panel_held" event is a review carried out — unless the panel met without its quorum
    (the chair's reason recorded, data "inquorate") and the local policy does not count those
    (`[panel] inquorate_counts_as_review`, off by default)."""
    return count_inquorate or not (event.data or {}).get("inquorate")


def _count_one(
    application: Application,
    *,
    as_at: dt.date,
    upheld_threshold_appeals: set[int],
    count_inquorate: bool = False,
):
    events = [e for e in application.events.all() if e.occurred_on <= as_at]
    kinds = Counter(e.kind for e in events)
    panels = [e for e in events if e.kind == "panel_held"]
    reviewed = any(_counts_as_review(e, count_inquorate=count_inquorate) for e in panels)
    decisions = sorted(
        (d for d in application.decisions.all() if d.decided_on <= as_at),
        key=lambda d: (d.decided_on, d.decided_at, d.pk),
    )
    latest = decisions[-1] if decisions else None
    status = status_as_at(events)
    after_appeal = application.pk in upheld_threshold_appeals
    at_discretion = bool(latest and latest.decision == Decision.ACCEPTED and latest.discretionary)
    if reviewed:
        recommendations = kinds["recommendation_made"] - kinds["recommendation_removed"]
        place = REVIEW
    elif status in GONE_STATUSES:
        recommendations, place = 0, WITHDRAWN
    elif panels:  # only inquorate panels, not counted: the review the Act promises is still owed
        recommendations, place = 0, ACCEPTED_PENDING
    elif status in NOT_MET_STATUSES:
        recommendations, place = 0, NOT_MET
    elif status in ACCEPTED_STATUSES or status == Status.PANEL_HELD:
        recommendations, place = 0, ACCEPTED_PENDING
    else:
        recommendations, place = 0, AWAITING_DECISION
    return ApplicationCount(
        application_id=application.pk,
        reference=application.reference,
        place=place,
        with_recommendations=recommendations > 0,
        not_eligible=place == NOT_MET and bool(latest and latest.decision == Decision.INELIGIBLE),
        at_discretion=at_discretion,
        after_appeal=after_appeal,
    )


def cohort(partnership: Partnership, period: Period, as_at: dt.date):
    """The applications the figures are about: received in the period (and by `as_at`)."""
    last = min(period.end, as_at)
    return applications_received(partnership=partnership, start=period.start, end=last)


def figures_for(*, partnership: Partnership, period: Period, as_at: dt.date | None = None) -> Figures:
    """The published figures for one partnership and period, as the timeline stands on `as_at`."""
    as_at = as_at or timezone.localdate()
    applications = list(cohort(partnership, period, as_at))
    ids = [a.pk for a in applications]
    appeals = list(appeals_lodged_by(application_ids=ids, as_at=as_at))
    upheld = [
        a
        for a in appeals
        if a.outcome == AppealOutcome.UPHELD and a.decided_on is not None and a.decided_on <= as_at
    ]
    upheld_threshold = {a.application_id for a in upheld if a.decision_appealed == "threshold_not_met"}
    figures = Figures(partnership=partnership, period=period, as_at=as_at)
    panel = partnership.policy.panel
    count_inquorate = bool(panel and panel.inquorate_counts_as_review)
    figures.counts = [
        _count_one(a, as_at=as_at, upheld_threshold_appeals=upheld_threshold, count_inquorate=count_inquorate)
        for a in applications
    ]
    figures.appeals_lodged = len(appeals)
    figures.appeals_upheld = len(upheld)
    lpb = lpb_review_counts(application_ids=ids, as_at=as_at)
    figures.lpb_reviews_requested = lpb["requested"]
    figures.lpb_reviews_decision_stands = lpb["stands"]
    figures.lpb_reviews_sent_back = lpb["sent_back"]
    return figures


# --- For managers: the clocks and the time each stage takes ------------------------------------


@dataclass(frozen=True)
class DeadlineRecord:
    name: str
    label: str
    within: str
    on_time: int
    late: int
    overdue: int
    not_yet_due: int

    @property
    def measured(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def percent_on_time(self) -> int | None:
        return round(100 * self.on_time / self.measured) if self.measured else None


@dataclass(frozen=True)
class StageTime:
    label: str
    cases: int
    median_working_days: float | None


#: (label, the event that starts the stage, the events any of which ends it)
STAGES = (
    ("Receipt to acknowledgement", ("received",), ("acknowledged",)),
    ("Acknowledgement to threshold decision", ("acknowledged",), ("accepted", "declined")),
    ("Acceptance to panel", ("accepted",), ("panel_held",)),
    ("Panel to outcome letter", ("panel_held",), ("outcome_letter_issued",)),
    ("Receipt to panel (the whole review)", ("received",), ("panel_held",)),
    ("Appeal lodged to appeal decided", ("appeal_lodged",), ("appeal_decided",)),
)


def deadline_records(*, partnership: Partnership, period: Period, as_at: dt.date | None = None):
    """How often each of the policy's deadlines was met, for the applications in the period."""
    from casereview.applications import clocks as clock_rules

    as_at = as_at or timezone.localdate()
    policy = partnership.policy
    calendar = policy.working_calendar()
    tallies: dict[str, Counter] = {}
    meta: dict[str, tuple[str, str]] = {}
    for application in cohort(partnership, period, as_at):
        events = [e for e in application.events.all() if e.occurred_on <= as_at]
        for clock in clock_rules.clocks_compute(
            policy=policy, calendar=calendar, status=status_as_at(events), events=events, today=as_at
        ):
            if clock.is_window:
                continue
            meta[clock.name] = (clock.label, clock.within)
            tally = tallies.setdefault(clock.name, Counter())
            if clock.is_done:
                tally["on_time" if clock.on_time else "late"] += 1
            elif clock.is_overdue:
                tally["overdue"] += 1
            else:
                tally["not_yet_due"] += 1
    order = [d.name for d in policy.deadlines]
    return [
        DeadlineRecord(
            name=name,
            label=meta[name][0],
            within=meta[name][1],
            on_time=tallies[name]["on_time"],
            late=tallies[name]["late"],
            overdue=tallies[name]["overdue"],
            not_yet_due=tallies[name]["not_yet_due"],
        )
        for name in order
        if name in tallies
    ]


def stage_times(*, partnership: Partnership, period: Period, as_at: dt.date | None = None) -> list[StageTime]:
    """The median working days each stage took, over the applications in the period that finished it."""
    as_at = as_at or timezone.localdate()
    calendar = partnership.policy.working_calendar()
    durations: dict[str, list[int]] = {label: [] for label, _, _ in STAGES}
    for application in cohort(partnership, period, as_at):
        events = sorted((e for e in application.events.all() if e.occurred_on <= as_at), key=_sort_key)
        for label, starts, ends in STAGES:
            start = next((e for e in events if e.kind in starts), None)
            if start is None:
                continue
            end = next((e for e in events if e.kind in ends and _sort_key(e) >= _sort_key(start)), None)
            if end is None:
                continue
            durations[label].append(calendar.working_days_between(start.occurred_on, end.occurred_on))
    return [
        StageTime(
            label=label,
            cases=len(values),
            median_working_days=float(pystats.median(values)) if values else None,
        )
        for label, values in durations.items()
    ]


def partnerships_published():
    return Partnership.objects.order_by("name")
