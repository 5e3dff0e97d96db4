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
from typing import Any

from casereview.core.dates import format_date, join_words, parse_iso_date
from casereview.core.errors import InputError
from casereview.core.periods import Duration, period_beginning_with, period_ending_with
from casereview.core.policy import Policy
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


# --- Words -----------------------------------------------------------------------------------------

AGENCY_WORDS = {
    "council": "the council",
    "police": "the police",
    "housing": "a social housing provider",
    "health": "the local NHS (the integrated care board)",
    "other": "an organisation that is not a relevant body",
}
RELEVANT_BODY_WORDS = "the council, the police, a social housing provider or the local NHS"
INELIGIBLE_WORDS = {
    "anonymous": (
        "The applicant has asked to remain anonymous. An ASB Case Review cannot be carried out anonymously, "
        "because the agencies need to identify the reports that were made and to contact the victim."
    ),
    "cps_decision": (
        "It asks for a review of a Crown Prosecution Service decision about prosecuting a criminal offence. "
        "The ASB Case Review cannot review those decisions."
    ),
    "court_decision": (
        "It is about a decision made by a civil or criminal court. The ASB Case Review cannot review court "
        "decisions."
    ),
    "service_provision_only": (
        "It is a complaint about the service received only. The ASB Case Review is not a complaints "
        "procedure: the complaints procedure of the organisation concerned is the right route."
    ),
    "consent_refused": (
        "It was made on the victim's behalf, and the victim has not given their consent to the application."
    ),
}

# Problem codes for one report against one route's rules.
_NOT_RELEVANT = "not_relevant_body"
_TOO_LATE = "too_late"
_BEFORE_WINDOW = "before_window"
_AFTER_APPLICATION = "after_application"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _incident_words(incident: Incident) -> str:
    return f"the incident on {format_date(incident.occurred_on)} ({incident.ref})"


# --- Deciding --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    first: date
    last: date
    length: Duration

    def words(self) -> str:
        dates = f"{format_date(self.first)} to {format_date(self.last)}"
        return f"the {self.length} before the application ({dates})"


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

    def excluded_diary(self, incident: Incident) -> bool:
        return incident.diary_sheet and self.threshold.exclude_diary_sheets

    def report_by(self, incident: Incident) -> date:
        return period_beginning_with(self.threshold.report_within, incident.occurred_on)[1]

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
        return [r for r in incident.reports if self.qualifies(incident, r, self.main, victims_only=True)]

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
    ineligible: list[str] = []
    if facts.applicant.anonymous and not policy.eligibility.allow_anonymous:
        ineligible.append(INELIGIBLE_WORDS["anonymous"])
    for concern in dict.fromkeys(facts.concerns):
        if concern in policy.eligibility.excluded_concerns:
            ineligible.append(INELIGIBLE_WORDS[concern])
    awaiting_consent = False
    if facts.applicant.on_behalf_of_victim and policy.eligibility.third_party_requires_consent:
        if facts.applicant.victim_consent is False:
            ineligible.append(INELIGIBLE_WORDS["consent_refused"])
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
    counted: set[tuple[str, str]] = set()
    multiple_reports = 0
    for incident in facts.incidents:
        for report in incident.reports:
            if not assess.multiple_counts(incident, report):
                continue
            key = (incident.ref, report.reporter)
            if threshold.dedupe_across_agencies and key in counted:
                continue
            counted.add(key)
            multiple_reports += 1
    multiple_reporters = len({reporter for _, reporter in counted})
    mc = threshold.multiple_complainants
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
    return Decision(
        policy_id=policy.id,
        policy_version=policy.version,
        outcome=outcome,
        route=route,
        qualifying_complaints=qualifying_count,
        incidents=findings,
        ineligible_reasons=tuple(ineligible),
        discretion_available=discretion,
        discretion_factors=DISCRETION_FACTORS if discretion else (),
        explanation=_explain(assess, decision_facts, findings, qualifying_by_incident),
        routes_met=tuple(routes_met),
        window=(assess.main.first, assess.main.last),
    )


def _finding(assess: _Assessor, incident: Incident, qualifying: list[Report]) -> IncidentFinding:
    """Why ``incident`` did or did not count, one sentence per point, for the victim."""
    threshold = assess.threshold
    if assess.excluded_diary(incident):
        return IncidentFinding(
            incident.ref,
            False,
            (
                "This incident was recorded on a diary sheet. Under this procedure diary sheets are not "
                "qualifying complaints, so it does not count.",
            ),
        )
    if not incident.reports:
        return IncidentFinding(
            incident.ref,
            False,
            ("No report of this incident to any organisation is recorded, so it cannot count.",),
        )
    reasons: list[str] = []
    if qualifying:
        first = min(qualifying, key=lambda r: r.reported_on)
        reasons.append(
            f"This counts as a qualifying complaint: it was reported to {AGENCY_WORDS[first.agency]} on "
            f"{format_date(first.reported_on)}, within {threshold.report_within} of it happening, and within "
            f"{assess.main.words()}."
        )
        others = [r for r in qualifying if r is not first]
        if others:
            also = join_words(f"to {AGENCY_WORDS[r.agency]} on {format_date(r.reported_on)}" for r in others)
            if threshold.dedupe_across_agencies:
                reasons.append(
                    f"It was also reported {also}. That is the same incident, so it is counted once."
                )
            else:
                reasons.append(
                    f"It was also reported {also}. Under this procedure each report counts separately, so "
                    f"this incident counts as {_plural(len(qualifying), 'qualifying complaint')}."
                )
    for report in incident.reports:
        if report in qualifying:
            continue
        when = format_date(report.reported_on)
        if report.reporter != "victim":
            note = (
                "; it does count towards the route for reports by several people"
                if assess.multiple_counts(incident, report)
                else ""
            )
            reasons.append(
                f"The report to {AGENCY_WORDS[report.agency]} on {when} was made by another complainant, "
                f"not the victim, so it is not one of the victim's qualifying complaints{note}."
            )
            continue
        problems = assess.problems(incident, report, assess.main)
        if _NOT_RELEVANT in problems:
            reasons.append(
                f"The report on {when} was made to an organisation that is not one of the relevant bodies "
                f"({RELEVANT_BODY_WORDS}), so it is kept on record but cannot count towards the threshold."
            )
            continue
        agency = AGENCY_WORDS[report.agency]
        for problem in problems:
            if problem == _TOO_LATE:
                reasons.append(
                    f"The report to {agency} on {when} was too late to count: it needed to be made by "
                    f"{format_date(assess.report_by(incident))}, within {threshold.report_within} of the "
                    f"incident on {format_date(incident.occurred_on)}."
                )
            elif problem == _BEFORE_WINDOW:
                reasons.append(
                    f"The report to {agency} on {when} is too old to count: only reports made within "
                    f"{assess.main.words()} count."
                )
            else:
                reasons.append(
                    f"The report to {agency} on {when} was made after the application (made on "
                    f"{format_date(assess.facts.application_date)}), so it cannot count towards it."
                )
    if threshold.hate.enabled and incident.hate:
        reasons.append(_hate_note(assess, incident))
    return IncidentFinding(incident.ref, bool(qualifying), tuple(reasons))


def _hate_note(assess: _Assessor, incident: Incident) -> str:
    hate = assess.threshold.hate
    if assess.hate_counts(incident):
        group = " that has been to the Hate and ASB Action Group" if hate.requires_action_group else ""
        return f"It is a hate incident{group}, so it counts towards the hate incident route."
    if hate.requires_action_group and not incident.action_group:
        return (
            "It is a hate incident, but it has not been to the Hate and ASB Action Group, so it does not "
            "count towards the hate incident route."
        )
    return (
        "It is a hate incident, but it does not count towards the hate incident route, which needs a "
        f"report by the victim to {RELEVANT_BODY_WORDS} within {assess.threshold.report_within} of it "
        f"happening and within {assess.hate.words()}."
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
    ineligible: list[str]


def _met_because(summary: _Summary) -> str:
    """Why the first route met is met, as the end of a sentence."""
    if summary.route == "qualifying_complaints":
        count = summary.qualifying_count
        return f"because {_plural(count, 'qualifying complaint')} {'was' if count == 1 else 'were'} made"
    if summary.route == "hate_incident":
        dates = join_words(f"{format_date(i.occurred_on)} ({i.ref})" for i in summary.hate_incidents)
        noun = "incident" if len(summary.hate_incidents) == 1 else "incidents"
        return f"because of the hate {noun} on {dates}"
    if summary.route == "multiple_complainants":
        count = summary.multiple_reports
        return (
            f"because {_plural(count, 'report')} {'was' if count == 1 else 'were'} made by "
            f"{_plural(summary.multiple_reporters, 'person', 'different people')}"
        )
    return "because a senior manager has asked for a review to safeguard a vulnerable victim"


def _explain(
    assess: _Assessor,
    summary: _Summary,
    findings: Sequence[IncidentFinding],
    qualifying_by_incident: Mapping[str, list[Report]],
) -> str:
    """The explanation, in paragraphs, to quote in the letter to the applicant."""
    facts, threshold = assess.facts, assess.threshold
    applied = format_date(facts.application_date)
    if summary.outcome == "ineligible":
        return "\n\n".join(
            [
                f"We cannot accept the application made on {applied} for an ASB Case Review.",
                " ".join(summary.ineligible),
            ]
        )
    if summary.outcome == "awaiting_consent":
        return (
            f"The application made on {applied} was made on the victim's behalf. Before it can be "
            "considered, we need the victim's consent, so we will ask the victim for it. No decision has yet "
            "been made on whether the threshold for an ASB Case Review is met."
        )

    paragraphs: list[str] = []
    if summary.outcome == "met":
        because = _met_because(summary)
        paragraphs.append(
            f"The application made on {applied} meets the threshold for an ASB Case Review, {because}."
        )
    else:
        paragraphs.append(
            f"The application made on {applied} does not meet the threshold for an ASB Case Review."
        )

    # The qualifying complaints route: the rule, the count, and each incident that did not count.
    needed = threshold.min_qualifying_complaints
    other_routes = threshold.hate.enabled or threshold.multiple_complainants.enabled
    opening = (
        f"One way the threshold is met is by at least {_plural(needed, 'qualifying complaint')}."
        if other_routes or summary.route not in (None, "qualifying_complaints")
        else f"The threshold is met when at least {_plural(needed, 'qualifying complaint')} "
        f"{'has' if needed == 1 else 'have'} been made."
    )
    rule = (
        f"{opening} A qualifying complaint is an incident reported to "
        f"{RELEVANT_BODY_WORDS} within {threshold.report_within} of it happening, with the report made "
        f"within {assess.main.words()}."
    )
    if threshold.dedupe_across_agencies:
        rule += " An incident reported to more than one of them counts once."
    if threshold.exclude_diary_sheets:
        rule += " Incidents recorded on diary sheets do not count."
    if summary.latest_window is not None:
        latest_words = summary.latest_window.words()
        rule += f" The most recent qualifying complaint must have been made within {latest_words}."
    counted = [i for i in facts.incidents if qualifying_by_incident[i.ref]]
    if counted:
        rule += (
            f" We counted {_plural(summary.qualifying_count, 'qualifying complaint')}, from "
            f"{join_words(_incident_words(i) for i in counted)}."
        )
    elif facts.incidents:
        rule += " None of the incidents counted."
    else:
        rule += " No incidents were given with the application."
    if summary.latest_window is not None and summary.latest is not None and not summary.latest_ok:
        rule += (
            f" The most recent qualifying complaint was made on {format_date(summary.latest)}, before "
            f"{format_date(summary.latest_window.first)}, so this part of the threshold is not met."
        )
    paragraphs.append(rule)
    for incident, finding in zip(facts.incidents, findings, strict=True):
        if not finding.qualifying:
            paragraphs.append(
                f"The incident on {format_date(incident.occurred_on)} ({incident.ref}) did not count. "
                + " ".join(finding.reasons)
            )

    # The other routes the procedure offers, and where the application stands on each.
    hate = threshold.hate
    if hate.enabled and summary.route != "hate_incident":
        needed = (
            "a single hate incident" if hate.min_incidents == 1 else f"{hate.min_incidents} hate incidents"
        )
        group = " that has been to the Hate and ASB Action Group" if hate.requires_action_group else ""
        paragraphs.append(
            f"The threshold is also met by {needed}{group}, reported by the victim within "
            f"{assess.hate.words()}; "
            + (
                f"{_plural(len(summary.hate_incidents), 'incident')} met this, which is not enough."
                if summary.hate_incidents
                else "none of the incidents met this."
            )
        )
    mc = threshold.multiple_complainants
    if mc.enabled and summary.route != "multiple_complainants":
        paragraphs.append(
            f"The threshold is also met by {_plural(mc.min_reports, 'report')} to the relevant bodies by at "
            f"least {_plural(mc.min_distinct_reporters, 'person', 'different people')} within "
            f"{assess.multiple.words()}; we counted {_plural(summary.multiple_reports, 'report')} by "
            f"{_plural(summary.multiple_reporters, 'person', 'different people')}."
        )
    if summary.outcome == "not_met":
        paragraphs.append(
            "Even though the threshold is not met, the relevant bodies may still decide to carry out a "
            "review. In deciding, they will consider how persistent the anti-social behaviour has been, "
            "the harm or potential harm it has caused, and whether the response to it has been adequate."
        )
    return "\n\n".join(paragraphs)


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


def _plain_bool(data: dict, name: str) -> bool:
    value = data.get(name, False)
    if type(value) is not bool:
        raise _NotPlain
    return value


def _parse_plain(data: object) -> ThresholdInput:
    """One pass over valid input, consistency included (duplicate refs, a report before its
    incident). Anything unusual raises ``_NotPlain``; ``_parse_checked`` then finds and names it."""
    if type(data) is not dict or not data.keys() <= _TOP_KEYS:
        raise _NotPlain
    applicant = data.get("applicant", {})
    if type(applicant) is not dict or not applicant.keys() <= _APPLICANT_KEYS:
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
    for incident in incidents_data:
        if type(incident) is not dict or not incident.keys() <= _INCIDENT_KEYS:
            raise _NotPlain
        ref = incident.get("ref")
        if type(ref) is not str or not ref.strip() or ref in refs:
            raise _NotPlain
        refs.add(ref)
        occurred_on = _plain_date(incident.get("occurred_on"))
        reports_data = incident.get("reports")
        if type(reports_data) is not list:
            raise _NotPlain
        reports = []
        for report in reports_data:
            if type(report) is not dict or not report.keys() <= _REPORT_KEYS:
                raise _NotPlain
            agency = report.get("agency")
            reporter = report.get("reporter", "victim")
            if type(agency) is not str or agency not in _AGENCY_KINDS:
                raise _NotPlain
            if type(reporter) is not str or not reporter.strip():
                raise _NotPlain
            reported_on = _plain_date(report.get("reported_on"))
            if reported_on < occurred_on:
                raise _NotPlain
            reports.append(Report(agency=agency, reported_on=reported_on, reporter=reporter))
        incidents.append(
            Incident(
                ref=ref,
                occurred_on=occurred_on,
                reports=tuple(reports),
                hate=_plain_bool(incident, "hate"),
                diary_sheet=_plain_bool(incident, "diary_sheet"),
                action_group=_plain_bool(incident, "action_group"),
            )
        )
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
