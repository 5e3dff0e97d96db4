"""The partnership's standing panels, as the local policy declares them, and their rules.

Seed 003 describes the panels a community safety partnership runs beside the ASB Case Review:
the **Community MARAC** (vulnerable victims or perpetrators of ASB that meet three criteria —
vulnerability, risk and ASB — get an action plan reviewed at each meeting), the **Cuckooing
Panel** (addresses of concern monitored on a tracker, archived, re-opened if concern resurfaces),
**Repeat Callers**, the **Street Users Outreach Meeting** and the **Enhanced Partnership
Response**. Each is a *panel kind* in the policy (``[[panel_kinds]]``, parsed by core/policy.py):
its name in English and Welsh, its referral criteria, who sits on it, how often it meets, its risk
tool and its close rule. This module holds the declarations and the pure decisions on them:

- ``referral_criteria_check``: does a referral meet the kind's criteria? Each criterion is
  explained by a reason code (core/reasons.py renders it in English or Welsh).
- ``RiskTool.assess``: the declared matrix — questions with weights, thresholds for high and
  medium — turned into a score, a level and the reasons.
- ``close_check``: may a case close? The kind's close rule (a reason, the panel's agreement,
  and optionally a risk no longer high).
- ``build_agenda``: new referrals and open cases whose next review falls on or before the meeting.

No Django, no clock: "today" and the meeting date are passed in (style.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from casereview.core.periods import Duration

Reason = tuple[str, dict[str, Any]]

#: What a panel kind may require of a referral (seed 003: CMARAC's "3 key criteria around
#: Vulnerability, Risk and ASB"; Repeat Callers: "where vulnerability and risk is identified"; the
#: Enhanced Partnership Response: "a persistent location", a current hotspot of the report log).
REFERRAL_CRITERIA = ("vulnerability", "risk", "asb", "hotspot")

#: Who or what a referral is about (ADR 0076): one person, a household (several people at one
#: place) or an address.
SUBJECT_KINDS = ("person", "household", "address")

#: The routes a referral may arrive by besides the form (issue 16): a repeat caller from the
#: report log's triage, and a hotspot location from the hotspots page. A panel kind names the
#: routes it takes (``referred_from`` in the policy); each page offers the kinds that take it.
ARRIVAL_ROUTES = ("repeat_caller_triage", "hotspot", "review_accepted")

#: The ASB Case Review panel as a panel kind (ADR 0088): its reviews arrive by the statutory route
#: (the threshold met or the review accepted: ``review_accepted``), never by a referral, and sit at
#: its meetings ("sittings") beside the other panels' meetings. Its own rules — quorum, independent
#: chair, the victim's voice, the outcome letter — stay the review's (core/panels.py).
CASE_REVIEW = "case_review"

#: Kinds of vulnerability a referrer may record (any one meets the vulnerability criterion).
VULNERABILITY_FACTORS = (
    "mental_health",
    "physical_health_or_disability",
    "learning_disability",
    "age",
    "substance_use",
    "social_isolation",
    "financial_exploitation",
    "other",
)

#: Risk levels, lowest first.
RISK_LEVELS = ("low", "medium", "high")

#: What closing a case on a panel may require (seed 003: cases "successfully closed as the risk
#: was reduced"; the issue: "a case closes only with the reason and the panel's agreement").
CLOSE_REQUIREMENTS = ("reason", "panel_agreement", "risk_not_high")

#: Reasons a panel case may close for.
CLOSE_REASONS = ("risk_reduced", "moved_away", "referred_elsewhere", "no_engagement", "died", "other")

#: Who may sit on a panel, besides the agencies (by kind): the people who run it.
PANEL_KIND_ROLES = ("community_safety_manager", "panel_chair", "agency_officer", "spoc")


@dataclass(frozen=True)
class RiskQuestion:
    """One question of a risk tool: answered yes or no; a yes adds ``weight`` to the score."""

    code: str
    label: str
    label_cy: str
    weight: int


@dataclass(frozen=True)
class RiskAssessment:
    """A scored risk: the total, the level (one of RISK_LEVELS) and why, as reason codes."""

    score: int
    level: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class RiskTool:
    """A declared scoring matrix: a score of ``high_from`` or more is high, ``medium_from`` or more
    medium, anything less low. The policy names the questions and the thresholds."""

    name: str
    questions: tuple[RiskQuestion, ...]
    high_from: int
    medium_from: int

    def question(self, code: str) -> RiskQuestion:
        for question in self.questions:
            if question.code == code:
                return question
        raise ValueError(
            f"unknown risk question {code!r} (known: {', '.join(q.code for q in self.questions)})"
        )

    def assess(self, answers: Mapping[str, bool]) -> RiskAssessment:
        """Score ``answers`` (question code → yes/no; a question not answered counts as no).

        An answer to a question the tool does not ask is an error, never ignored: a form sending a
        stale question code must not quietly lower someone's risk.
        """
        for code in answers:
            self.question(code)
        yes = [q for q in self.questions if answers.get(q.code) is True]
        score = sum(q.weight for q in yes)
        if score >= self.high_from:
            level = "high"
        elif score >= self.medium_from:
            level = "medium"
        else:
            level = "low"
        reasons: list[Reason] = [
            (
                "risk_scored",
                {
                    "tool": self.name,
                    "score": score,
                    "level": level,
                    "high_from": self.high_from,
                    "medium_from": self.medium_from,
                },
            )
        ]
        reasons += [
            (
                "risk_factor",
                {"question": q.code, "label": q.label, "label_cy": q.label_cy, "weight": q.weight},
            )
            for q in yes
        ]
        return RiskAssessment(score=score, level=level, reasons=tuple(reasons))


@dataclass(frozen=True)
class PanelKind:
    """One standing panel as the policy declares it (``[[panel_kinds]]``)."""

    code: str
    name: str
    name_cy: str
    referral_criteria: tuple[str, ...]
    member_agency_kinds: tuple[str, ...]
    member_roles: tuple[str, ...]
    meets_every: Duration
    close_requires: tuple[str, ...]
    risk_tool: RiskTool | None = None
    #: The risk level a referral needs to meet the "risk" criterion (default: medium or above).
    min_risk: str = "medium"
    #: The ASB reports a referral needs to meet the "asb" criterion.
    min_asb_reports: int = 1
    #: Whether this panel keeps the address tracker (the Cuckooing Panel: seed 003).
    keeps_address_tracker: bool = False
    #: The routes (ARRIVAL_ROUTES) that offer a referral to this panel: the repeat-caller triage
    #: for Repeat Callers, the hotspots page for the Enhanced Partnership Response.
    referred_from: tuple[str, ...] = ()

    def display_name(self, language: str = "en") -> str:
        return self.name_cy if language == "cy" else self.name

    def is_member(self, *, agency_kind: str | None, roles: Iterable[str] = ()) -> bool:
        """Whether someone from an agency of ``agency_kind`` or holding one of ``roles`` sits on it."""
        if agency_kind is not None and agency_kind in self.member_agency_kinds:
            return True
        return any(role in self.member_roles for role in roles)


#: The case review panel when the policy declares none by the code ``case_review`` (ADR 0088):
#: every partnership has one (the 2014 Act), so core supplies it rather than each preset copying it.
CASE_REVIEW_KIND = PanelKind(
    code=CASE_REVIEW,
    name="ASB Case Review panel",
    name_cy="Panel yr Adolygiad Achos Ymddygiad Gwrthgymdeithasol",
    referral_criteria=(),
    member_agency_kinds=("council", "police", "housing", "health", "other"),
    member_roles=("community_safety_manager", "spoc"),
    meets_every=Duration(1, "months"),
    close_requires=("reason",),
    referred_from=("review_accepted",),
)


# --- Referral criteria -------------------------------------------------------------------------


@dataclass(frozen=True)
class HotspotFact:
    """A location's reports in the hotspot window ending on the day asked (the report log's rule:
    a hotspot has more than ``more_than`` reports in the window ``first`` to ``last``)."""

    location: str
    reports: int
    more_than: int
    first: date
    last: date

    @property
    def is_hotspot(self) -> bool:
        return self.reports > self.more_than


@dataclass(frozen=True)
class ReferralFacts:
    """What a referrer says about the person (or household, or address) referred.

    ``subject`` is one of SUBJECT_KINDS: the criteria about a person (vulnerability) read the
    household's members or the people living at an address, and say so; the hotspot criterion is
    about a place, so only an address meets it. ``hotspot`` is the location's count in the report
    log's hotspot window (None: no location, or no hotspot rule)."""

    vulnerabilities: tuple[str, ...] = ()
    risk_level: str | None = None
    asb_reports: int = 0
    subject: str = "person"
    hotspot: HotspotFact | None = None

    def __post_init__(self) -> None:
        if self.subject not in SUBJECT_KINDS:
            raise ValueError(f"unknown subject {self.subject!r} (known: {', '.join(SUBJECT_KINDS)})")
        for factor in self.vulnerabilities:
            if factor not in VULNERABILITY_FACTORS:
                raise ValueError(
                    f"unknown vulnerability {factor!r} (known: {', '.join(VULNERABILITY_FACTORS)})"
                )
        if self.risk_level is not None and self.risk_level not in RISK_LEVELS:
            raise ValueError(f"unknown risk level {self.risk_level!r} (known: {', '.join(RISK_LEVELS)})")
        if self.asb_reports < 0:
            raise ValueError("asb_reports cannot be negative")


@dataclass(frozen=True)
class CriteriaResult:
    """Whether every criterion is met, and one reason per criterion (then the overall reason)."""

    met: bool
    unmet: tuple[str, ...]
    reasons: tuple[Reason, ...]


def referral_criteria_check(kind: PanelKind, facts: ReferralFacts) -> CriteriaResult:
    """Check ``facts`` against each of ``kind``'s criteria; all must be met (CMARAC: all three)."""
    reasons: list[Reason] = []
    unmet: list[str] = []
    panel = {"panel": kind.code}
    # A person's criteria name who they read when the subject is not one person (ADR 0076); the
    # stored codes of a person's referral are as they were.
    subject = {} if facts.subject == "person" else {"subject": facts.subject}
    for criterion in kind.referral_criteria:
        if criterion == "vulnerability":
            met = bool(facts.vulnerabilities)
            params = {**panel, **subject, "factors": list(facts.vulnerabilities)}
        elif criterion == "hotspot":
            spot = facts.hotspot
            met = facts.subject == "address" and spot is not None and spot.is_hotspot
            params = {**panel, "subject": facts.subject}
            if spot is not None:
                params.update(
                    location=spot.location,
                    reports=spot.reports,
                    more_than=spot.more_than,
                    first=spot.first.isoformat(),
                    last=spot.last.isoformat(),
                )
        elif criterion == "risk":
            needed = RISK_LEVELS.index(kind.min_risk)
            met = facts.risk_level is not None and RISK_LEVELS.index(facts.risk_level) >= needed
            params = {**panel, "level": facts.risk_level, "min_level": kind.min_risk}
        else:  # asb
            met = facts.asb_reports >= kind.min_asb_reports
            params = {**panel, "reports": facts.asb_reports, "min_reports": kind.min_asb_reports}
        reasons.append((f"referral_{criterion}_{'met' if met else 'not_met'}", params))
        if not met:
            unmet.append(criterion)
    if unmet:
        reasons.append(("referral_criteria_not_met", {**panel, "unmet": unmet}))
    else:
        reasons.append(("referral_criteria_met", dict(panel)))
    return CriteriaResult(met=not unmet, unmet=tuple(unmet), reasons=tuple(reasons))


# --- Closing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CloseDecision:
    allowed: bool
    reasons: tuple[Reason, ...]


def close_check(
    kind: PanelKind, *, reason: str | None, panel_agreed: bool, risk_level: str | None = None
) -> CloseDecision:
    """May a case on this panel close now? Each unmet requirement of the kind's close rule is a
    reason; a case closes only when there are none."""
    if reason and reason not in CLOSE_REASONS:
        raise ValueError(f"unknown close reason {reason!r} (known: {', '.join(CLOSE_REASONS)})")
    refusals: list[Reason] = []
    if "reason" in kind.close_requires and not reason:
        refusals.append(("close_needs_reason", {"panel": kind.code}))
    if "panel_agreement" in kind.close_requires and not panel_agreed:
        refusals.append(("close_needs_panel_agreement", {"panel": kind.code}))
    if "risk_not_high" in kind.close_requires and risk_level == "high":
        refusals.append(("close_risk_still_high", {"panel": kind.code}))
    if refusals:
        return CloseDecision(allowed=False, reasons=tuple(refusals))
    return CloseDecision(allowed=True, reasons=(("close_allowed", {"panel": kind.code, "reason": reason}),))


# --- The agenda --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaCandidate:
    """A case the panel might hear: ``referred_on`` for a new referral (never heard yet), else its
    ``next_review_on`` (None when the panel set none)."""

    ref: str
    status: str  # "referred", "open" or "closed"
    referred_on: date | None = None
    next_review_on: date | None = None


@dataclass(frozen=True)
class AgendaItem:
    ref: str
    why: str  # "new_referral", "review_due", "review_date_missing"
    since: date | None


def build_agenda(meeting_on: date, candidates: Iterable[AgendaCandidate]) -> tuple[AgendaItem, ...]:
    """The agenda for a meeting on ``meeting_on``: new referrals made on or before the meeting day,
    oldest first; then open cases whose next review falls on or before the meeting, most overdue
    first; then open cases with no review date (so none drops off the panel's sight). Closed cases
    and referrals made after the meeting are left off."""
    new: list[AgendaItem] = []
    due: list[AgendaItem] = []
    undated: list[AgendaItem] = []
    for case in candidates:
        if case.status == "referred":
            if case.referred_on is not None and case.referred_on <= meeting_on:
                new.append(AgendaItem(case.ref, "new_referral", case.referred_on))
        elif case.status == "open":
            if case.next_review_on is None:
                undated.append(AgendaItem(case.ref, "review_date_missing", None))
            elif case.next_review_on <= meeting_on:
                due.append(AgendaItem(case.ref, "review_due", case.next_review_on))
        elif case.status != "closed":
            raise ValueError(f"unknown case status {case.status!r} (referred, open or closed)")
    new.sort(key=lambda item: (item.since, item.ref))
    due.sort(key=lambda item: (item.since, item.ref))
    undated.sort(key=lambda item: item.ref)
    return (*new, *due, *undated)


def next_meeting_on(kind: PanelKind, last_meeting_on: date) -> date:
    """When the panel next meets, by its declared frequency ("1 month" after 15 January: 15 February)."""
    return kind.meets_every.after(last_meeting_on)
