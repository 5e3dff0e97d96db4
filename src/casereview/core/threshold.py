"""The threshold decision: does an application for an ASB Case Review meet the local threshold?

Implements contracts.md §2 ("What counts") and §3 (``casereview threshold``) over a local
``Policy``. The decision is a pure function of the policy and the facts; "today" does not enter
into it — every period is counted from the application date.

The order of questions, and why:

1. **Eligibility** (seed 004 §8–9): an anonymous applicant (unless the policy allows it), an
   excluded concern (a CPS or court decision, service provision only) or a third party without
   the victim's consent make the application ``ineligible``; a third party whose consent is not
   yet known makes it ``awaiting_consent``. The incidents are still assessed, so an officer can see
   where the application would stand, but no route is reported.
2. **The routes**, in the contract's order: ``qualifying_complaints``, ``hate_incident``,
   ``multiple_complainants``, ``senior_manager``. The first met is the route; ``met`` if any is.
3. **Discretion**: when ``not_met``, s.104(5) still asks the bodies to decide, having regard to
   persistence, harm or potential harm, and adequacy of response (WNC §11: "good conscience and
   professional judgement"). The decision says so; it never decides that itself.

Every incident carries reasons in words a victim understands, and the explanation is written to be
quoted in the letter: the first ground of appeal in seed 004 §12 is a decision that "failed to
provide sufficient detail to understand why a review did not take place".

Privacy: reasons and explanation never repeat a ``reporter`` value — another complainant may be
a neighbour the applicant does not know reported, and the letter goes to the applicant.

Interpretations the contract leaves open, chosen here and documented in docs/policies.md:

- ``diary_sheet`` is a property of the incident; where diary sheets are excluded the incident
  counts for no route.
- The hate route needs a *qualifying* report by the victim (a relevant body, within
  ``report_within``, not an excluded diary sheet), made within the hate route's own window:
  the Act lets a local threshold lower the *number* of qualifying complaints, not drop their test.
- The multiple-complainants route counts every person's qualifying reports in its own window;
  with ``dedupe_across_agencies`` one person's reports of one incident to several bodies count once,
  while reports of the same incident by different people count separately (that is the point
  of the route).
- ``latest_report_within`` applies to the ``qualifying_complaints`` route only, as the contract
  places it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from operator import attrgetter
from typing import Any

from casereview.core.dates import parse_iso_date
from casereview.core.errors import InputError
from casereview.core.periods import Duration, period_beginning_with, period_ending_with
from casereview.core.policy import Policy
from casereview.core.reasons import Reason, render, render_all
from casereview.core.vocabulary import AGENCY_KINDS, CONCERNS, DISCRETION_FACTORS, RELEVANT_BODIES

__all__ = [
    "Applicant",
    "Decision",
    "IncidentFinding",
    "InputError",
    "Incident",
    "Report",
    "ThresholdInput",
    "decide",
    "parse_threshold_input",
]


# --- The facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    anonymous: bool = False
    on_behalf_of_victim: bool = False
    #: None: not yet known (only matters when ``on_behalf_of_victim``).
    victim_consent: bool | None = None


@dataclass(frozen=True)
class Report:
    """One report of an incident to one agency. ``agency`` is a kind (vocabulary.AGENCY_KINDS).

    ``reporter`` is ``"victim"`` for the victim or someone reporting for them; any other value is a
    stable key for another complainant (a neighbour, a household, a business).
    """

    agency: str
    reported_on: date
    reporter: str = "victim"


@dataclass(frozen=True)
class Incident:
    """One occurrence of anti-social behaviour and every report made of it."""

    ref: str
    occurred_on: date
    reports: tuple[Report, ...] = ()
    hate: bool = False
    diary_sheet: bool = False
    #: The incident has been to the Hate and ASB Action Group (WNC §5).
    action_group: bool = False


@dataclass(frozen=True)
class ThresholdInput:
    """What ``decide`` needs: contracts §3's input, as dataclasses."""

    application_date: date
    applicant: Applicant = Applicant()
    concerns: tuple[str, ...] = ()
    senior_manager_request: bool = False
    incidents: tuple[Incident, ...] = ()
    #: Set by ``parse_threshold_input``, which checks consistency while it reads: ``decide`` then
    #: does not check again. Callers building the dataclasses leave it False.
    checked: bool = field(default=False, compare=False, repr=False)


# --- The decision ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFinding:
    ref: str
    #: It is a qualifying complaint: a victim's report that counts for the qualifying_complaints route.
    qualifying: bool
    reasons: tuple[str, ...]
    #: The reasons as codes with parameters (core.reasons renders them; ``reasons`` is the English).
    codes: tuple[Reason, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Decision:
    """The outcome, with its reasons. ``to_dict()`` is contracts §3's JSON, key for key."""

    policy_id: str
    policy_version: str
    outcome: str  # vocabulary.OUTCOMES
    route: str | None  # vocabulary.ROUTES, or None unless met
    qualifying_complaints: int
    incidents: tuple[IncidentFinding, ...]
    ineligible_reasons: tuple[str, ...]
    discretion_available: bool
    discretion_factors: tuple[str, ...]
    explanation: str
    #: Every route met, in order (``route`` is the first); empty unless the application is eligible.
    routes_met: tuple[str, ...] = ()
    #: The threshold window, ending with the application date.
    window: tuple[date, date] | None = field(default=None, compare=False)
    #: ``ineligible_reasons`` and ``explanation`` as reason codes (each explanation paragraph a
    #: tuple of them): what is stored with a decision and rendered in the reader's language.
    ineligible_codes: tuple[Reason, ...] = field(default=(), compare=False)
    explanation_codes: tuple[tuple[Reason, ...], ...] = field(default=(), compare=False)
    #: The digest of the policy's content (``Policy.digest``): which policy, exactly, decided.
    policy_digest: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": {"id": self.policy_id, "version": self.policy_version},
            "outcome": self.outcome,
            "route": self.route,
            "qualifying_complaints": self.qualifying_complaints,
            "incidents": [
                {"ref": finding.ref, "qualifying": finding.qualifying, "reasons": list(finding.reasons)}
                for finding in self.incidents
            ],
            "ineligible_reasons": list(self.ineligible_reasons),
            "discretion": {"available": self.discretion_available, "factors": list(self.discretion_factors)},
            "explanation": self.explanation,
        }

    def codes_dict(self) -> dict[str, Any]:
        """The reasons as codes with parameters, JSON-able: what a stored decision keeps beside
        ``to_dict()`` so that its letter is rendered, in either language, from what was decided."""
        return {
            "schema": REASONS_SCHEMA,
            "policy": {"id": self.policy_id, "version": self.policy_version, "digest": self.policy_digest},
            "incidents": [
                {"ref": f.ref, "qualifying": f.qualifying, "reasons": [list(code) for code in f.codes]}
                for f in self.incidents
            ],
            "ineligible": [list(code) for code in self.ineligible_codes],
            "explanation": [[list(code) for code in paragraph] for paragraph in self.explanation_codes],
        }


# --- Words ---------------------------------------------------------------------------------------

#: The version of ``Decision.codes_dict()``'s layout, stored with it.
REASONS_SCHEMA = 1

# Problem codes for one report against one route's rules.
_NOT_RELEVANT = "not_relevant_body"
_TOO_LATE = "too_late"
_BEFORE_WINDOW = "before_window"
_AFTER_APPLICATION = "after_application"


# --- Deciding --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    first: date
    last: date
    length: Duration

    def params(self) -> dict[str, str]:
        return dict(self._params)  # a fresh dict for every reason that quotes the window

    @cached_property
    def _params(self) -> dict[str, str]:
        return {"length": str(self.length), "first": self.first.isoformat(), "last": self.last.isoformat()}


class _Assessor:
    """Applies one policy's report tests; one instance per decision."""

    def __init__(self, policy: Policy, facts: ThresholdInput) -> None:
        self.policy = policy
        self.threshold = policy.threshold
        self.facts = facts
        application = facts.application_date
        self.main = _Window(*period_ending_with(self.threshold.window, application), self.threshold.window)
        self.hate = _Window(
            *period_ending_with(self.threshold.hate.window, application), self.threshold.hate.window
        )
        mc_window = self.threshold.multiple_complainants.window
        self.multiple = _Window(*period_ending_with(mc_window, application), mc_window)
        #: The policy's period for reporting an incident, as the reasons quote it ("30 days").
        self.report_within = str(self.threshold.report_within)
        #: occurred_on -> the last day a report of it may be made (many incidents share a day).
        self._report_by: dict[date, date] = {}
        #: A day -> its ISO text, as the reasons give it (``iso``).
        self._iso: dict[date, str] = {}

    def excluded_diary(self, incident: Incident) -> bool:
        return incident.diary_sheet and self.threshold.exclude_diary_sheets

    def iso(self, day: date) -> str:
        """``day.isoformat()``, written once per day: the reasons quote the same few days many
        times over, and ``isoformat`` costs as much as looking one up ten times (issue 14)."""
        text = self._iso.get(day)
        if text is None:
            text = self._iso[day] = day.isoformat()
        return text

    def report_by(self, incident: Incident) -> date:
        occurred_on = incident.occurred_on
        last = self._report_by.get(occurred_on)
        if last is None:
            last = self._report_by[occurred_on] = period_beginning_with(
                self.threshold.report_within, occurred_on
            )[1]
        return last

    def problems(self, incident: Incident, report: Report, window: _Window) -> tuple[str, ...]:
        """Why ``report`` is not a qualifying report in ``window`` (empty: it is one)."""
        found = []
        if report.agency not in RELEVANT_BODIES:
            found.append(_NOT_RELEVANT)
        if report.reported_on > self.report_by(incident):
            found.append(_TOO_LATE)
        if report.reported_on > self.facts.application_date:
            found.append(_AFTER_APPLICATION)
        elif report.reported_on < window.first:
            found.append(_BEFORE_WINDOW)
        return tuple(found)

    def qualifies(self, incident: Incident, report: Report, window: _Window, *, victims_only: bool) -> bool:
        if self.excluded_diary(incident) or (victims_only and report.reporter != "victim"):
            return False
        return not self.problems(incident, report, window)

    def victim_qualifying_reports(self, incident: Incident) -> list[Report]:
        """The victim's reports of ``incident`` that qualify in the main window (``qualifies``
        for each, written out: it runs for every report of the application)."""
        if self.excluded_diary(incident):
            return []
        main = self.main
        return [
            r for r in incident.reports if r.reporter == "victim" and not self.problems(incident, r, main)
        ]

    def hate_counts(self, incident: Incident) -> bool:
        hate = self.threshold.hate
        if not (hate.enabled and incident.hate) or (hate.requires_action_group and not incident.action_group):
            return False
        return any(self.qualifies(incident, r, self.hate, victims_only=True) for r in incident.reports)

    def multiple_counts(self, incident: Incident, report: Report) -> bool:
        return self.threshold.multiple_complainants.enabled and self.qualifies(
            incident, report, self.multiple, victims_only=False
        )


def decide(policy: Policy, threshold_input: ThresholdInput) -> Decision:
    """Decide whether ``threshold_input`` meets ``policy``'s threshold, with reasons (contracts §3)."""
    if not threshold_input.checked:
        _check_consistency(threshold_input)
    facts = threshold_input
    threshold = policy.threshold
    assess = _Assessor(policy, facts)

    # Eligibility.
    ineligible: list[Reason] = []
    if facts.applicant.anonymous and not policy.eligibility.allow_anonymous:
        ineligible.append(("ineligible", {"why": "anonymous"}))
    for concern in dict.fromkeys(facts.concerns):
        if concern in policy.eligibility.excluded_concerns:
            ineligible.append(("ineligible", {"why": concern}))
    awaiting_consent = False
    if facts.applicant.on_behalf_of_victim and policy.eligibility.third_party_requires_consent:
        if facts.applicant.victim_consent is False:
            ineligible.append(("ineligible", {"why": "consent_refused"}))
        elif facts.applicant.victim_consent is None:
            awaiting_consent = True

    # Route 1: qualifying complaints (the victim's own reports).
    qualifying_by_incident = {i.ref: assess.victim_qualifying_reports(i) for i in facts.incidents}
    if threshold.dedupe_across_agencies:
        qualifying_count = sum(1 for reports in qualifying_by_incident.values() if reports)
    else:
        qualifying_count = sum(len(reports) for reports in qualifying_by_incident.values())
    latest = max((r.reported_on for rs in qualifying_by_incident.values() for r in rs), default=None)
    latest_window = (
        _Window(
            *period_ending_with(threshold.latest_report_within, facts.application_date),
            threshold.latest_report_within,
        )
        if threshold.latest_report_within
        else None
    )
    latest_ok = latest_window is None or (latest is not None and latest >= latest_window.first)
    routes_met: list[str] = []
    if qualifying_count >= threshold.min_qualifying_complaints and latest_ok:
        routes_met.append("qualifying_complaints")

    # Route 2: hate incidents.
    hate_incidents = [i for i in facts.incidents if assess.hate_counts(i)]
    if threshold.hate.enabled and len(hate_incidents) >= threshold.hate.min_incidents:
        routes_met.append("hate_incident")

    # Route 3: several complainants, everyone's reports.
    mc = threshold.multiple_complainants
    counted: set[tuple[str, str]] = set()
    multiple_reports = 0
    for incident in facts.incidents if mc.enabled else ():
        for report in incident.reports:
            if not assess.multiple_counts(incident, report):
                continue
            key = (incident.ref, report.reporter)
            if threshold.dedupe_across_agencies and key in counted:
                continue
            counted.add(key)
            multiple_reports += 1
    multiple_reporters = len({reporter for _, reporter in counted})
    if mc.enabled and multiple_reports >= mc.min_reports and multiple_reporters >= mc.min_distinct_reporters:
        routes_met.append("multiple_complainants")

    # Route 4: a senior manager's request.
    if threshold.senior_manager.enabled and facts.senior_manager_request:
        routes_met.append("senior_manager")

    if ineligible:
        outcome, routes_met = "ineligible", []
    elif awaiting_consent:
        outcome, routes_met = "awaiting_consent", []
    else:
        outcome = "met" if routes_met else "not_met"
    route = routes_met[0] if routes_met else None

    findings = tuple(
        _finding(assess, incident, qualifying_by_incident[incident.ref]) for incident in facts.incidents
    )
    decision_facts = _Summary(
        outcome=outcome,
        route=route,
        qualifying_count=qualifying_count,
        latest=latest,
        latest_window=latest_window,
        latest_ok=latest_ok,
        hate_incidents=hate_incidents,
        multiple_reports=multiple_reports,
        multiple_reporters=multiple_reporters,
        ineligible=ineligible,
    )
    discretion = outcome == "not_met"
    explanation = _explain(assess, decision_facts, findings, qualifying_by_incident)
    return Decision(
        policy_id=policy.id,
        policy_version=policy.version,
        outcome=outcome,
        route=route,
        qualifying_complaints=qualifying_count,
        incidents=findings,
        ineligible_reasons=tuple(render_all(ineligible)),
        discretion_available=discretion,
        discretion_factors=DISCRETION_FACTORS if discretion else (),
        explanation=_render_explanation(explanation, findings),
        routes_met=tuple(routes_met),
        window=(assess.main.first, assess.main.last),
        ineligible_codes=tuple(ineligible),
        explanation_codes=explanation,
        policy_digest=policy.digest,
    )


def _render_explanation(
    explanation: tuple[tuple[Reason, ...], ...], findings: Sequence[IncidentFinding]
) -> str:
    """``render_paragraphs(explanation)``, reusing the findings' sentences: each incident that did
    not count is explained again in its own paragraph with the very same reason codes (the same
    objects), so those are not written twice (issue 14: half the decision's time was words).
    Every sentence has words, so an empty lookup (None) is the only falsy one."""
    written = {
        id(code): text
        for finding in findings
        if not finding.qualifying
        for code, text in zip(finding.codes, finding.reasons, strict=True)
    }
    return "\n\n".join(
        [" ".join([written.get(id(code)) or render(code) for code in paragraph]) for paragraph in explanation]
    )


def _finding(assess: _Assessor, incident: Incident, qualifying: list[Report]) -> IncidentFinding:
    """Why ``incident`` did or did not count, as reason codes, and the English sentences for the victim."""
    codes = _finding_codes(assess, incident, qualifying)
    return IncidentFinding(incident.ref, bool(qualifying), tuple(map(render, codes)), codes)


def _finding_codes(assess: _Assessor, incident: Incident, qualifying: list[Report]) -> tuple[Reason, ...]:
    threshold = assess.threshold
    if assess.excluded_diary(incident):
        return (("diary_sheet_excluded", {}),)
    if not incident.reports:
        return (("no_reports", {}),)
    within = assess.report_within
    reasons: list[Reason] = []
    if qualifying:
        first = qualifying[0] if len(qualifying) == 1 else min(qualifying, key=attrgetter("reported_on"))
        reasons.append(
            (
                "qualifying",
                {
                    "agency": first.agency,
                    "reported_on": assess.iso(first.reported_on),
                    "report_within": within,
                    "window": assess.main.params(),
                },
            )
        )
        others = [r for r in qualifying if r is not first]
        if others:
            also = [{"agency": r.agency, "reported_on": assess.iso(r.reported_on)} for r in others]
            if threshold.dedupe_across_agencies:
                reasons.append(("also_reported_counted_once", {"also": also}))
            else:
                reasons.append(("also_reported_each_counts", {"also": also, "count": len(qualifying)}))
    # By identity: the generated __eq__ compares field by field, and a report equal to a
    # qualifying one qualifies too (the same facts), so it is in the list itself.
    counted = set(map(id, qualifying))
    for report in incident.reports:
        if id(report) in counted:
            continue
        when = assess.iso(report.reported_on)
        if report.reporter != "victim":
            reasons.append(
                (
                    "other_complainant",
                    {
                        "agency": report.agency,
                        "reported_on": when,
                        "counts_for_multiple": assess.multiple_counts(incident, report),
                    },
                )
            )
            continue
        problems = assess.problems(incident, report, assess.main)
        if _NOT_RELEVANT in problems:
            reasons.append(("not_relevant_body", {"agency": report.agency, "reported_on": when}))
            continue
        for problem in problems:
            if problem == _TOO_LATE:
                reasons.append(
                    (
                        "too_late",
                        {
                            "agency": report.agency,
                            "reported_on": when,
                            "report_by": assess.iso(assess.report_by(incident)),
                            "report_within": within,
                            "occurred_on": assess.iso(incident.occurred_on),
                        },
                    )
                )
            elif problem == _BEFORE_WINDOW:
                reasons.append(
                    (
                        "before_window",
                        {"agency": report.agency, "reported_on": when, "window": assess.main.params()},
                    )
                )
            else:
                reasons.append(
                    (
                        "after_application",
                        {
                            "agency": report.agency,
                            "reported_on": when,
                            "application_date": assess.iso(assess.facts.application_date),
                        },
                    )
                )
    if threshold.hate.enabled and incident.hate:
        reasons.append(_hate_note(assess, incident))
    return tuple(reasons)


def _hate_note(assess: _Assessor, incident: Incident) -> Reason:
    hate = assess.threshold.hate
    if assess.hate_counts(incident):
        return ("hate_counts", {"action_group_required": hate.requires_action_group})
    if hate.requires_action_group and not incident.action_group:
        return ("hate_no_action_group", {})
    return (
        "hate_not_counted",
        {"report_within": assess.report_within, "window": assess.hate.params()},
    )


# --- The explanation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Summary:
    outcome: str
    route: str | None
    qualifying_count: int
    latest: date | None
    latest_window: _Window | None
    latest_ok: bool
    hate_incidents: list[Incident]
    multiple_reports: int
    multiple_reporters: int
    ineligible: list[Reason]


def _incident_ref(assess: _Assessor, incident: Incident) -> dict[str, str]:
    return {"occurred_on": assess.iso(incident.occurred_on), "ref": incident.ref}


def _met_because(assess: _Assessor, summary: _Summary, applied: str) -> Reason:
    """Why the first route met is met."""
    params: dict[str, Any] = {"application_date": applied, "route": summary.route}
    if summary.route == "qualifying_complaints":
        params["count"] = summary.qualifying_count
    elif summary.route == "hate_incident":
        params["incidents"] = [_incident_ref(assess, i) for i in summary.hate_incidents]
    elif summary.route == "multiple_complainants":
        params["reports"] = summary.multiple_reports
        params["reporters"] = summary.multiple_reporters
    return ("met", params)


def _explain(
    assess: _Assessor,
    summary: _Summary,
    findings: Sequence[IncidentFinding],
    qualifying_by_incident: Mapping[str, list[Report]],
) -> tuple[tuple[Reason, ...], ...]:
    """The explanation as paragraphs of reason codes; rendered, it is quoted in the letter."""
    facts, threshold = assess.facts, assess.threshold
    applied = facts.application_date.isoformat()
    if summary.outcome == "ineligible":
        return ((("cannot_accept", {"application_date": applied}),), tuple(summary.ineligible))
    if summary.outcome == "awaiting_consent":
        return ((("awaiting_consent", {"application_date": applied}),),)

    paragraphs: list[tuple[Reason, ...]] = []
    if summary.outcome == "met":
        paragraphs.append((_met_because(assess, summary, applied),))
    else:
        paragraphs.append((("not_met", {"application_date": applied}),))

    # The qualifying complaints route: the rule, the count, and each incident that did not count.
    other_routes = threshold.hate.enabled or threshold.multiple_complainants.enabled
    one_way = bool(other_routes or summary.route not in (None, "qualifying_complaints"))
    rule: list[Reason] = [
        ("rule_opening", {"needed": threshold.min_qualifying_complaints, "one_way": one_way}),
        ("rule_definition", {"report_within": assess.report_within, "window": assess.main.params()}),
    ]
    if threshold.dedupe_across_agencies:
        rule.append(("rule_dedupe", {}))
    if threshold.exclude_diary_sheets:
        rule.append(("rule_diary_sheets", {}))
    if summary.latest_window is not None:
        rule.append(("rule_latest", {"window": summary.latest_window.params()}))
    counted = [i for i in facts.incidents if qualifying_by_incident[i.ref]]
    if counted:
        rule.append(
            (
                "counted",
                {"count": summary.qualifying_count, "incidents": [_incident_ref(assess, i) for i in counted]},
            )
        )
    elif facts.incidents:
        rule.append(("none_counted", {}))
    else:
        rule.append(("no_incidents", {}))
    if summary.latest_window is not None and summary.latest is not None and not summary.latest_ok:
        rule.append(
            (
                "latest_too_old",
                {"latest": summary.latest.isoformat(), "first": summary.latest_window.first.isoformat()},
            )
        )
    paragraphs.append(tuple(rule))
    for incident, finding in zip(facts.incidents, findings, strict=True):
        if not finding.qualifying:
            paragraphs.append((("incident_did_not_count", _incident_ref(assess, incident)), *finding.codes))

    # The other routes the procedure offers, and where the application stands on each.
    hate = threshold.hate
    if hate.enabled and summary.route != "hate_incident":
        paragraphs.append(
            (
                (
                    "hate_route_also",
                    {
                        "min_incidents": hate.min_incidents,
                        "action_group_required": hate.requires_action_group,
                        "window": assess.hate.params(),
                        "met": len(summary.hate_incidents),
                    },
                ),
            )
        )
    mc = threshold.multiple_complainants
    if mc.enabled and summary.route != "multiple_complainants":
        paragraphs.append(
            (
                (
                    "multiple_route_also",
                    {
                        "min_reports": mc.min_reports,
                        "min_reporters": mc.min_distinct_reporters,
                        "window": assess.multiple.params(),
                        "reports": summary.multiple_reports,
                        "reporters": summary.multiple_reporters,
                    },
                ),
            )
        )
    if summary.outcome == "not_met":
        paragraphs.append((("discretion", {}),))
    return tuple(paragraphs)


# --- Reading the input -----------------------------------------------------------------------------


class _Object:
    """One JSON object of the input, read with errors that name the field."""

    def __init__(self, data: object, path: str, allowed: tuple[str, ...]) -> None:
        self.path = path
        if not isinstance(data, Mapping):
            raise InputError(path, f"expected an object, got {_json_type(data)}")
        self.data = data
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (expected: {', '.join(allowed)})"
                raise InputError(self.field(key), f"unknown field{hint}")

    def field(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def value(self, name: str, default: object = ...) -> object:
        if name in self.data:
            return self.data[name]
        if default is ...:
            raise InputError(self.field(name), "missing")
        return default

    def date(self, name: str) -> date:
        value = self.value(name)  # outside the try: a missing field is its own error
        try:
            return parse_iso_date(value)
        except ValueError as error:
            raise InputError(self.field(name), str(error)) from None

    def boolean(self, name: str, default: bool) -> bool:
        value = self.value(name, default)
        if not isinstance(value, bool):
            raise InputError(self.field(name), f"expected true or false, got {_json_value(value)}")
        return value

    def text(self, name: str, default: object = ...) -> str:
        value = self.value(name, default)
        if not isinstance(value, str) or not value.strip():
            raise InputError(self.field(name), f"expected a non-empty string, got {_json_value(value)}")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], what: str) -> str:
        value = self.value(name)
        if value not in allowed:
            raise InputError(
                self.field(name),
                f"unknown {what} {_json_value(value)} (expected one of: {', '.join(allowed)})",
            )
        return value

    def array(self, name: str, default: object = ...) -> list:
        value = self.value(name, default)
        if not isinstance(value, list):
            raise InputError(self.field(name), f"expected a list, got {_json_type(value)}")
        return value


def _json_type(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true or false",
        type(None): "null",
    }.get(type(value), "a number")


def _json_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return _json_type(value)
    return repr(value)


_TOP_KEYS = frozenset(("application_date", "applicant", "concerns", "senior_manager_request", "incidents"))
_APPLICANT_KEYS = frozenset(("anonymous", "on_behalf_of_victim", "victim_consent"))
_INCIDENT_KEYS = frozenset(("ref", "occurred_on", "hate", "diary_sheet", "action_group", "reports"))
_REPORT_KEYS = frozenset(("agency", "reported_on", "reporter"))
_AGENCY_KINDS = frozenset(AGENCY_KINDS)
_CONCERNS = frozenset(CONCERNS)


class _NotPlain(Exception):
    """The input is not the plain, valid case: read it again field by field for the exact error."""


def _plain_date(value: object) -> date:
    try:
        return parse_iso_date(value)
    except ValueError:
        raise _NotPlain from None


class _Days(dict):
    """ISO dates by their text, each text read once: 500 reports name far fewer days."""

    def __missing__(self, text: str) -> date:
        found = self[text] = _plain_date(text)  # a bad one raises _NotPlain, and is not kept
        return found


def _plain_bool(data: dict, name: str) -> bool:
    value = data.get(name, False)
    if type(value) is not bool:
        raise _NotPlain
    return value


def _parse_plain(data: object) -> ThresholdInput:
    """One pass over valid input, consistency included (duplicate refs, a report before its
    incident). Anything unusual raises ``_NotPlain``; ``_parse_checked`` then finds and names it."""
    if type(data) is not dict or not _TOP_KEYS.issuperset(data):
        raise _NotPlain
    applicant = data.get("applicant", {})
    if type(applicant) is not dict or not _APPLICANT_KEYS.issuperset(applicant):
        raise _NotPlain
    consent = applicant.get("victim_consent")
    if consent is not None and type(consent) is not bool:
        raise _NotPlain
    concerns = data.get("concerns", [])
    if type(concerns) is not list or not all(type(c) is str and c in _CONCERNS for c in concerns):
        raise _NotPlain
    incidents_data = data.get("incidents")
    if type(incidents_data) is not list:
        raise _NotPlain
    incidents = []
    refs: set[str] = set()
    days = _Days()
    for incident in incidents_data:
        if type(incident) is not dict or not _INCIDENT_KEYS.issuperset(incident):
            raise _NotPlain
        ref = incident.get("ref")
        if type(ref) is not str or not ref.strip() or ref in refs:
            raise _NotPlain
        refs.add(ref)
        occurred_on = incident.get("occurred_on")
        if type(occurred_on) is not str:
            raise _NotPlain
        occurred_on = days[occurred_on]
        reports_data = incident.get("reports")
        hate = incident.get("hate", False)
        diary_sheet = incident.get("diary_sheet", False)
        action_group = incident.get("action_group", False)
        if (
            type(reports_data) is not list
            or type(hate) is not bool
            or type(diary_sheet) is not bool
            or type(action_group) is not bool
        ):
            raise _NotPlain
        reports = []
        for report in reports_data:
            if type(report) is not dict or not _REPORT_KEYS.issuperset(report):
                raise _NotPlain
            agency = report.get("agency")
            reporter = report.get("reporter", "victim")
            if type(agency) is not str or agency not in _AGENCY_KINDS:
                raise _NotPlain
            if type(reporter) is not str or not reporter.strip():
                raise _NotPlain
            reported_on = report.get("reported_on")
            if type(reported_on) is not str:
                raise _NotPlain
            reported_on = days[reported_on]
            if reported_on < occurred_on:
                raise _NotPlain
            reports.append(Report(agency, reported_on, reporter))
        incidents.append(Incident(ref, occurred_on, tuple(reports), hate, diary_sheet, action_group))
    return ThresholdInput(
        application_date=_plain_date(data.get("application_date")),
        applicant=Applicant(
            anonymous=_plain_bool(applicant, "anonymous"),
            on_behalf_of_victim=_plain_bool(applicant, "on_behalf_of_victim"),
            victim_consent=consent,
        ),
        concerns=tuple(concerns),
        senior_manager_request=_plain_bool(data, "senior_manager_request"),
        incidents=tuple(incidents),
        checked=True,
    )


def parse_threshold_input(data: object) -> ThresholdInput:
    """Read contracts §3's input (already JSON-decoded) into a ``ThresholdInput``.

    Required: ``application_date``; ``incidents`` (may be empty); in each incident ``ref``,
    ``occurred_on`` and ``reports``; in each report ``agency`` and ``reported_on``. Everything else
    defaults to the common case: ``applicant`` {anonymous: false, on_behalf_of_victim: false,
    victim_consent: null}, ``concerns`` [], ``senior_manager_request``, ``hate``, ``diary_sheet``,
    ``action_group`` false, ``reporter`` "victim". Unknown fields are errors, so a misspelt flag
    (``diary_shet``) cannot silently change a decision. Raises ``InputError`` naming the field.

    One pass (issue 14): valid input is read and checked for consistency at once
    (``_parse_plain``), and ``decide`` does not check it again. Only input with something wrong is
    read a second time, field by field, to name the first problem exactly as before.
    """
    try:
        return _parse_plain(data)
    except _NotPlain:
        return _parse_checked(data)


def _parse_checked(data: object) -> ThresholdInput:
    """Field by field, each problem named (the path taken when ``_parse_plain`` met one)."""
    top = _Object(
        data, "", ("application_date", "applicant", "concerns", "senior_manager_request", "incidents")
    )
    applicant_data = top.value("applicant", {})
    applicant = _Object(applicant_data, "applicant", ("anonymous", "on_behalf_of_victim", "victim_consent"))
    consent = applicant.value("victim_consent", None)
    if consent is not None and not isinstance(consent, bool):
        raise InputError(
            "applicant.victim_consent", f"expected true, false or null, got {_json_value(consent)}"
        )
    concerns = []
    for index, concern in enumerate(top.array("concerns", [])):
        if concern not in CONCERNS:
            raise InputError(
                f"concerns[{index}]",
                f"unknown concern {_json_value(concern)} (expected one of: {', '.join(CONCERNS)})",
            )
        concerns.append(concern)
    incidents = []
    for index, incident_data in enumerate(top.array("incidents")):
        incident = _Object(
            incident_data,
            f"incidents[{index}]",
            ("ref", "occurred_on", "hate", "diary_sheet", "action_group", "reports"),
        )
        reports = []
        for report_index, report_data in enumerate(incident.array("reports")):
            report = _Object(
                report_data, f"{incident.path}.reports[{report_index}]", ("agency", "reported_on", "reporter")
            )
            reports.append(
                Report(
                    agency=report.choice("agency", AGENCY_KINDS, "agency kind"),
                    reported_on=report.date("reported_on"),
                    reporter=report.text("reporter", "victim"),
                )
            )
        incidents.append(
            Incident(
                ref=incident.text("ref"),
                occurred_on=incident.date("occurred_on"),
                reports=tuple(reports),
                hate=incident.boolean("hate", False),
                diary_sheet=incident.boolean("diary_sheet", False),
                action_group=incident.boolean("action_group", False),
            )
        )
    result = ThresholdInput(
        application_date=top.date("application_date"),
        applicant=Applicant(
            anonymous=applicant.boolean("anonymous", False),
            on_behalf_of_victim=applicant.boolean("on_behalf_of_victim", False),
            victim_consent=consent,
        ),
        concerns=tuple(concerns),
        senior_manager_request=top.boolean("senior_manager_request", False),
        incidents=tuple(incidents),
    )
    _check_consistency(result)
    return result


def _check_consistency(facts: ThresholdInput) -> None:
    """Facts that cannot all be true: checked for parsed JSON and for callers building dataclasses."""
    seen: dict[str, int] = {}
    for index, incident in enumerate(facts.incidents):
        if incident.ref in seen:
            raise InputError(
                f"incidents[{index}].ref",
                f"{incident.ref!r} is already used by incidents[{seen[incident.ref]}]",
            )
        seen[incident.ref] = index
        for report_index, report in enumerate(incident.reports):
            field_name = f"incidents[{index}].reports[{report_index}]"
            if report.agency not in AGENCY_KINDS:
                raise InputError(f"{field_name}.agency", f"unknown agency kind {report.agency!r}")
            if report.reported_on < incident.occurred_on:
                raise InputError(
                    f"{field_name}.reported_on",
                    f"{report.reported_on.isoformat()} is before the incident happened "
                    f"(occurred_on {incident.occurred_on.isoformat()})",
                )
