"""The law's rules for the enforcement ladder: is this step lawful on its own date? (ADR 0057)

Given a proposed step (its kind, date, nation, the issuing agency's kind, the person's age or date
of birth, the steps before it with their dates and outcomes, the authorisations held and the duties
done) and the commencement register, ``judge`` returns whether the agency may take it and, if not,
why: each refusal a reason code with parameters, the rule's key, its source (Act and section), the
date the rule is in force from, and what to do next. ``core.enforcement_reasons`` renders the codes
in English or Welsh, as ``core.reasons`` does the threshold's.

Only the agency's own steps are judged. What a court decides (a closure order made, an adjournment
that keeps a closure notice in force, an injunction varied) is recorded, never second-guessed:
court kinds are judged only on what the *applicant* must have done before applying. Deadlines that
run to a hearing (the closure order's) are computed here and warned about as they near
(``closure_hearing``).

A local policy may add rules (``local_duties``: duties it requires before a kind of step) but never
remove statutory ones: the statutory rules below always run.

Interpretations, each in docs/interventions.md:

- "Time to comply" (s.43(5)(b)): the CPW states a date by which the conduct must change
  (``comply_by``); the CPN may be issued from the day after it.
- The 21 days to appeal a CPN (s.46(1)) are "21 days beginning with" the day of issue: the last
  day is the issue day + 20.
- Under the lowered CPN age (``reform.cpn_age_10``) youth services must be engaged first for
  anyone under 18, the age at which the 2014 Act's youth consultation duties stop.
- The 2026 Act's Respect Order is for adults; where it is in force, a civil injunction for an
  adult is refused with the Respect Order named as the step to take instead.

Pure: no Django, no clock — ``on`` is always given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from casereview.core.commencement import Register

__all__ = [
    "AGENCY_KINDS",
    "AUTHORISATIONS",
    "DEFAULT_LADDER",
    "DUTIES",
    "Finding",
    "Judgement",
    "OUTCOMES",
    "PriorStep",
    "ProposedStep",
    "RULES",
    "STEP_KINDS",
    "age_on",
    "closure_hearing",
    "cpn_appeal",
    "judge",
    "next_rung",
]

# --- Vocabulary ----------------------------------------------------------------------------------

#: Every kind of step, lowest rung first. The first three are not statutory.
STEP_KINDS = (
    "warning_letter",
    "second_warning",
    "abc",
    "cpw",
    "cpn",
    "fpn",
    "civil_injunction",
    "respect_order",
    "youth_injunction",
    "housing_injunction",
    "cbo",
    "closure_notice",
    "closure_order",
    "dispersal_direction",
    "pspo",
)
NON_STATUTORY = frozenset({"warning_letter", "second_warning", "abc"})
#: Steps a court takes on an agency's application: the outcome is the court's, recorded as decided.
COURT_KINDS = frozenset(
    {"civil_injunction", "respect_order", "youth_injunction", "housing_injunction", "cbo", "closure_order"}
)
PREMISES_ONLY = frozenset({"closure_notice", "closure_order"})
PERSON_ONLY = frozenset({"civil_injunction", "respect_order", "youth_injunction", "cbo"})
AREA_KINDS = frozenset({"dispersal_direction", "pspo"})

#: The issue's default ladder (a local policy may declare its own order; the rules stay the same).
DEFAULT_LADDER = (
    "warning_letter",
    "second_warning",
    "abc",
    "cpw",
    "cpn",
    "fpn",
    "civil_injunction",
    "respect_order",
    "youth_injunction",
    "housing_injunction",
    "cbo",
)
PREMISES_LADDER = ("closure_notice", "closure_order")

AGENCY_KINDS = ("council", "police", "housing", "health", "other")
SUBJECTS = ("person", "premises", "area")

AUTHORISATIONS = (
    "police_inspector",
    "police_superintendent",
    "council_chief_executive_designate",
)
DUTIES = (
    "occupants_informed",
    "appropriate_consulted",
    "yot_consulted",
    "youth_services_engaged",
    "vulnerability_risk_assessment",
    "convicted",
)
OUTCOMES = ("complied", "breached", "appealed", "varied", "discharged")

ACT_2014 = "Anti-social Behaviour, Crime and Policing Act 2014"
ACT_2026 = "Crime and Policing Act 2026"

#: The provision each power needs in force, and which agency kinds may use it (with the section).
POWERS: dict[str, tuple[str, frozenset[str], str]] = {
    "cpw": ("asbcpa2014.cpn", frozenset({"council", "police", "housing"}), f"{ACT_2014}, s.53"),
    "cpn": ("asbcpa2014.cpn", frozenset({"council", "police", "housing"}), f"{ACT_2014}, s.53"),
    "fpn": ("asbcpa2014.cpn", frozenset({"council", "police", "housing"}), f"{ACT_2014}, s.52"),
    "civil_injunction": (
        "asbcpa2014.injunction",
        frozenset({"council", "police", "housing"}),
        f"{ACT_2014}, s.5",
    ),
    "respect_order": (
        "cpa2026.respect_orders",
        frozenset({"council", "police", "housing"}),
        f"{ACT_2026}, Respect Orders",
    ),
    "youth_injunction": (
        "cpa2026.youth_injunctions",
        frozenset({"council", "police", "housing"}),
        f"{ACT_2026}, youth injunctions",
    ),
    "housing_injunction": (
        "cpa2026.housing_injunctions",
        frozenset({"housing"}),
        f"{ACT_2026}, housing injunctions",
    ),
    "cbo": ("asbcpa2014.cbo", frozenset({"council", "police"}), f"{ACT_2014}, s.22"),
    "closure_notice": ("asbcpa2014.closure", frozenset({"council", "police"}), f"{ACT_2014}, s.76"),
    "closure_order": ("asbcpa2014.closure", frozenset({"council", "police"}), f"{ACT_2014}, s.80"),
    "dispersal_direction": ("asbcpa2014.dispersal", frozenset({"police"}), f"{ACT_2014}, s.35"),
    "pspo": ("asbcpa2014.pspo", frozenset({"council"}), f"{ACT_2014}, s.59"),
}


@dataclass(frozen=True)
class Rule:
    key: str
    source: str
    #: The register's key for when the rule applies (None: it has applied as long as its power).
    provision: str | None


def _rules() -> dict[str, Rule]:
    rules = [
        Rule("cpn.warning_first", f"{ACT_2014}, s.43(5)(a)", "asbcpa2014.cpn"),
        Rule("cpn.time_to_comply", f"{ACT_2014}, s.43(5)(b)", "asbcpa2014.cpn"),
        Rule("cpw.time_to_comply", f"{ACT_2014}, s.43(5)", "asbcpa2014.cpn"),
        Rule("cpn.age_16", f"{ACT_2014}, s.43(1)", "asbcpa2014.s43.cpn_age_16"),
        Rule("cpn.age_10", f"{ACT_2014}, s.43(1) as amended (CPN age 10)", "reform.cpn_age_10"),
        Rule("cpn.appeal_21_days", f"{ACT_2014}, s.46(1)", "asbcpa2014.s46.cpn_appeal_21_days"),
        Rule("fpn.needs_breach", f"{ACT_2014}, s.52(1)", "asbcpa2014.cpn"),
        Rule("fpn.amount_100", f"{ACT_2014}, s.52(6)", "asbcpa2014.s52.cpn_fpn_100"),
        Rule("fpn.amount_500", f"{ACT_2026}, fixed penalty £500", "cpa2026.cpn_fpn_500"),
        Rule("injunction.age_10", f"{ACT_2014}, s.1(1)", "asbcpa2014.injunction"),
        Rule("injunction.yot", f"{ACT_2014}, s.14(1)", "asbcpa2014.injunction"),
        Rule("injunction.replaced_for_adults", f"{ACT_2026}, Respect Orders", "cpa2026.respect_orders"),
        Rule("respect_order.adults", f"{ACT_2026}, Respect Orders", "cpa2026.respect_orders"),
        Rule(
            "respect_order.assessment",
            f"{ACT_2026}, Respect Orders: housing provider's assessment",
            "cpa2026.respect_orders",
        ),
        Rule("youth_injunction.age", f"{ACT_2026}, youth injunctions", "cpa2026.youth_injunctions"),
        Rule("cbo.conviction", f"{ACT_2014}, s.22(1)", "asbcpa2014.cbo"),
        Rule("cbo.yot", f"{ACT_2014}, s.22(8)", "asbcpa2014.cbo"),
        Rule("closure.inform", f"{ACT_2014}, s.76(6)", "asbcpa2014.closure"),
        Rule("closure.consult", f"{ACT_2014}, s.76(7)", "asbcpa2014.closure"),
        Rule("closure.inspector", f"{ACT_2014}, s.76(1)", "asbcpa2014.closure"),
        Rule("closure.duration", f"{ACT_2014}, s.77", "asbcpa2014.closure"),
        Rule("closure.hearing_48h", f"{ACT_2014}, s.80", "asbcpa2014.closure"),
        Rule("closure.hearing_72h", f"{ACT_2014}, s.80 as amended (72 hours)", "reform.closure_hearing_72h"),
        Rule("closure_order.needs_notice", f"{ACT_2014}, s.80(1)", "asbcpa2014.closure"),
        Rule("dispersal.duration", f"{ACT_2014}, s.35(1)", "asbcpa2014.dispersal"),
        Rule("dispersal.duration_72h", f"{ACT_2014}, s.35 as amended (72 hours)", "reform.dispersal_72h"),
        Rule("subject.kind", f"{ACT_2014}", None),
        Rule("local.duty", "The local policy", None),
    ]
    for kind, (provision, _agencies, source) in POWERS.items():
        rules.append(Rule(f"power.{kind}.in_force", source, provision))
        rules.append(Rule(f"power.{kind}.agency", source, provision))
    return {rule.key: rule for rule in rules}


RULES: dict[str, Rule] = _rules()


# --- The facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorStep:
    kind: str
    served_on: date
    outcome: str = ""
    #: A CPW's date by which the conduct must change (the "time to comply").
    comply_by: date | None = None
    ref: str = ""


@dataclass(frozen=True)
class ProposedStep:
    kind: str
    on: date
    nation: str = "england"
    agency_kind: str = "council"
    subject: str = "person"
    date_of_birth: date | None = None
    #: The person's age on ``on`` when no date of birth is known (an estimate an officer records).
    age: int | None = None
    prior: tuple[PriorStep, ...] = ()
    authorisations: frozenset[str] = frozenset()
    duties: frozenset[str] = frozenset()
    #: A CPW's time to comply.
    comply_by: date | None = None
    #: A closure notice's or dispersal direction's length in hours.
    duration_hours: int | None = None
    #: Duties the local policy adds before a kind of step (never removes a statutory one).
    local_duties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


# --- The judgement -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict[str, Any]
    rule: str
    source: str
    #: The date the rule is in force from in the step's nation (None: no commencement recorded).
    in_force_from: date | None
    #: What to do next: a code the page turns into a link ("record_step:cpw", "record_duty:…").
    next_step: str = ""

    def reason(self) -> tuple[str, dict[str, Any]]:
        """The finding as a reason code for ``core.enforcement_reasons.render`` (JSON-able)."""
        params = dict(self.params)
        params["_rule"] = self.rule
        params["_source"] = self.source
        params["_in_force_from"] = self.in_force_from.isoformat() if self.in_force_from else None
        params["_next_step"] = self.next_step
        return (self.code, params)


@dataclass(frozen=True)
class Judgement:
    allowed: bool
    refusals: tuple[Finding, ...]
    warnings: tuple[Finding, ...] = ()
    #: Computed facts: the maximum fixed penalty, the last day to appeal, the hearing deadline.
    facts: Mapping[str, Any] = field(default_factory=dict)

    def codes(self) -> dict[str, Any]:
        """JSON-able: what a recorded step stores with itself."""
        return {
            "allowed": self.allowed,
            "refusals": [list(f.reason()) for f in self.refusals],
            "warnings": [list(f.reason()) for f in self.warnings],
            "facts": dict(self.facts),
        }


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years of age on ``on`` (a birthday on 29 February is reached on 1 March)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


class _Judge:
    def __init__(self, step: ProposedStep, register: Register) -> None:
        self.step = step
        self.register = register
        self.refusals: list[Finding] = []
        self.warnings: list[Finding] = []
        self.facts: dict[str, Any] = {}

    def in_force(self, provision: str | None) -> bool:
        return provision is None or self.register.in_force(
            provision, nation=self.step.nation, on=self.step.on
        )

    def finding(self, rule_key: str, code: str, next_step: str = "", **params: Any) -> Finding:
        rule = RULES[rule_key]
        since = (
            self.register.in_force_from(rule.provision, nation=self.step.nation) if rule.provision else None
        )
        return Finding(code, params, rule.key, rule.source, since, next_step)

    def refuse(self, rule_key: str, code: str, next_step: str = "", **params: Any) -> None:
        self.refusals.append(self.finding(rule_key, code, next_step, **params))

    def age(self) -> int | None:
        if self.step.date_of_birth is not None:
            return age_on(self.step.date_of_birth, self.step.on)
        return self.step.age

    def prior(self, kind: str) -> list[PriorStep]:
        return [p for p in self.step.prior if p.kind == kind and p.served_on <= self.step.on]


def judge(step: ProposedStep, register: Register) -> Judgement:
    """Is ``step`` lawful on its date, under the law in force then in its nation? With reasons."""
    if step.kind not in STEP_KINDS:
        raise ValueError(f"unknown step kind {step.kind!r}")
    if step.agency_kind not in AGENCY_KINDS:
        raise ValueError(f"unknown agency kind {step.agency_kind!r}")
    if step.subject not in SUBJECTS:
        raise ValueError(f"unknown subject {step.subject!r}")
    j = _Judge(step, register)
    kind = step.kind
    if kind in POWERS:
        provision, agencies, _source = POWERS[kind]
        if not j.in_force(provision):
            j.refuse(
                f"power.{kind}.in_force",
                "power_not_in_force",
                "choose_step",
                kind=kind,
                on=step.on.isoformat(),
            )
            # Nothing else can be judged of a power not in force.
            return Judgement(False, tuple(j.refusals))
        if step.agency_kind not in agencies:
            j.refuse(
                f"power.{kind}.agency",
                "agency_may_not",
                "choose_agency",
                kind=kind,
                agency_kind=step.agency_kind,
                allowed=sorted(agencies),
            )
    _subject(j)
    {
        "cpw": _cpw,
        "cpn": _cpn,
        "fpn": _fpn,
        "civil_injunction": _injunction,
        "youth_injunction": _injunction,
        "respect_order": _respect_order,
        "cbo": _cbo,
        "closure_notice": _closure_notice,
        "closure_order": _closure_order,
        "dispersal_direction": _dispersal,
    }.get(kind, lambda j: None)(j)
    for duty in step.local_duties.get(kind, ()):
        if duty not in step.duties:
            j.refuse("local.duty", "local_duty_missing", f"record_duty:{duty}", kind=kind, duty=duty)
    return Judgement(not j.refusals, tuple(j.refusals), tuple(j.warnings), j.facts)


def _subject(j: _Judge) -> None:
    kind, subject = j.step.kind, j.step.subject
    if kind in PREMISES_ONLY and subject != "premises":
        j.refuse("subject.kind", "premises_only", "choose_step", kind=kind)
    elif kind in PERSON_ONLY and subject != "person":
        j.refuse("subject.kind", "person_only", "choose_step", kind=kind)
    elif kind not in AREA_KINDS and subject == "area":
        j.refuse("subject.kind", "not_an_area_power", "choose_step", kind=kind)


def _cpw(j: _Judge) -> None:
    comply_by = j.step.comply_by
    if comply_by is None or comply_by <= j.step.on:
        j.refuse("cpw.time_to_comply", "cpw_needs_time", "record_comply_by", on=j.step.on.isoformat())


def _cpn(j: _Judge) -> None:
    step = j.step
    warnings = [p for p in j.prior("cpw") if p.served_on < step.on and p.outcome != "discharged"]
    if not warnings:
        j.refuse("cpn.warning_first", "cpn_needs_warning", "record_step:cpw")
    else:
        latest = max(warnings, key=lambda p: p.served_on)
        if latest.comply_by is None:
            j.refuse(
                "cpn.time_to_comply",
                "cpw_without_time",
                "record_comply_by",
                warned_on=latest.served_on.isoformat(),
            )
        elif step.on <= latest.comply_by:
            j.refuse(
                "cpn.time_to_comply",
                "cpn_too_soon",
                f"wait_until:{(latest.comply_by + timedelta(days=1)).isoformat()}",
                warned_on=latest.served_on.isoformat(),
                comply_by=latest.comply_by.isoformat(),
                earliest=(latest.comply_by + timedelta(days=1)).isoformat(),
            )
    age = j.age()
    lowered = j.in_force("reform.cpn_age_10")
    if age is None:
        j.refuse("cpn.age_10" if lowered else "cpn.age_16", "age_unknown", "record_date_of_birth")
    elif lowered:
        if age < 10:
            j.refuse("cpn.age_10", "too_young", "choose_step", kind="cpn", age=age, minimum=10)
        elif age < 18 and "youth_services_engaged" not in step.duties:
            j.refuse("cpn.age_10", "cpn_youth_services", "record_referral:youth_services", age=age)
    elif j.in_force("asbcpa2014.s43.cpn_age_16") and age < 16:
        j.refuse("cpn.age_16", "too_young", "choose_step", kind="cpn", age=age, minimum=16)
    j.facts["appeal_last_day"] = cpn_appeal(step.on).last_day.isoformat()


def _fpn(j: _Judge) -> None:
    breached = [p for p in j.prior("cpn") if p.outcome == "breached"]
    if not breached:
        j.refuse("fpn.needs_breach", "fpn_needs_breached_cpn", "record_outcome:cpn")
    j.facts["fpn_maximum"] = fpn_maximum(j.register, nation=j.step.nation, on=j.step.on)


def fpn_maximum(register: Register, *, nation: str, on: date) -> int:
    """The most a fixed penalty for breaching a CPN may be, in pounds, on ``on``."""
    return 500 if register.in_force("cpa2026.cpn_fpn_500", nation=nation, on=on) else 100


def _injunction(j: _Judge) -> None:
    age = j.age()
    if age is None:
        j.refuse("injunction.age_10", "age_unknown", "record_date_of_birth")
        return
    if age < 10:
        j.refuse("injunction.age_10", "too_young", "choose_step", kind=j.step.kind, age=age, minimum=10)
        return
    if j.step.kind == "civil_injunction" and age >= 18 and j.in_force("cpa2026.respect_orders"):
        j.refuse(
            "injunction.replaced_for_adults", "injunction_replaced", "record_step:respect_order", age=age
        )
    if j.step.kind == "youth_injunction" and age >= 18:
        j.refuse("youth_injunction.age", "youth_injunction_adult", "record_step:respect_order", age=age)
    if age < 18 and "yot_consulted" not in j.step.duties:
        j.refuse(
            "injunction.yot", "yot_not_consulted", "record_duty:yot_consulted", kind=j.step.kind, age=age
        )


def _respect_order(j: _Judge) -> None:
    age = j.age()
    if age is None:
        j.refuse("respect_order.adults", "age_unknown", "record_date_of_birth")
    elif age < 18:
        j.refuse("respect_order.adults", "respect_order_adults_only", "choose_step", age=age)
    if j.step.agency_kind == "housing" and "vulnerability_risk_assessment" not in j.step.duties:
        j.refuse(
            "respect_order.assessment",
            "respect_order_needs_assessment",
            "record_duty:vulnerability_risk_assessment",
        )


def _cbo(j: _Judge) -> None:
    if "convicted" not in j.step.duties:
        j.refuse("cbo.conviction", "cbo_needs_conviction", "record_duty:convicted")
    age = j.age()
    if age is not None and age < 18 and "yot_consulted" not in j.step.duties:
        j.refuse("cbo.yot", "yot_not_consulted", "record_duty:yot_consulted", kind="cbo", age=age)


def _closure_notice(j: _Judge) -> None:
    step = j.step
    if "occupants_informed" not in step.duties:
        j.refuse("closure.inform", "closure_occupants_not_informed", "record_duty:occupants_informed")
    if "appropriate_consulted" not in step.duties:
        j.refuse("closure.consult", "closure_not_consulted", "record_duty:appropriate_consulted")
    if step.agency_kind == "police" and not (
        {"police_inspector", "police_superintendent"} & step.authorisations
    ):
        j.refuse("closure.inspector", "closure_needs_inspector", "record_authorisation")
    hours = step.duration_hours
    if hours is None or hours <= 0:
        j.refuse("closure.duration", "closure_duration_missing", "record_duration")
        return
    if hours > 48:
        j.refuse("closure.duration", "closure_over_48", "record_duration", hours=hours)
    elif hours > 24:
        senior = (
            "police_superintendent" if step.agency_kind == "police" else "council_chief_executive_designate"
        )
        if senior not in step.authorisations:
            j.refuse(
                "closure.duration",
                "closure_over_24_needs_senior",
                "record_authorisation",
                hours=hours,
                senior=senior,
            )


def _closure_order(j: _Judge) -> None:
    if not j.prior("closure_notice"):
        j.refuse("closure_order.needs_notice", "closure_order_needs_notice", "record_step:closure_notice")


def _dispersal(j: _Judge) -> None:
    limit = 72 if j.in_force("reform.dispersal_72h") else 48
    rule = "dispersal.duration_72h" if limit == 72 else "dispersal.duration"
    hours = j.step.duration_hours
    if hours is None or hours <= 0:
        j.refuse(rule, "dispersal_duration_missing", "record_duration")
    elif hours > limit:
        j.refuse(rule, "dispersal_too_long", "record_duration", hours=hours, limit=limit)


# --- Deadlines that run after a step ---------------------------------------------------------------


@dataclass(frozen=True)
class Appeal:
    issued_on: date
    last_day: date

    def in_time(self, appealed_on: date) -> bool:
        return self.issued_on <= appealed_on <= self.last_day


def cpn_appeal(issued_on: date) -> Appeal:
    """A CPN may be appealed "within the period of 21 days beginning with" its issue (s.46(1)):
    the issue day is day 1, so the last day is the issue day + 20."""
    return Appeal(issued_on, issued_on + timedelta(days=20))


@dataclass(frozen=True)
class Hearing:
    served_at: datetime
    hours: int
    deadline: datetime
    rule: str
    source: str
    in_force_from: date | None

    def status(
        self, now: datetime, *, heard: bool = False, warn_within: timedelta = timedelta(hours=12)
    ) -> str:
        """``heard``, ``overdue``, ``due_soon`` (within ``warn_within`` of the deadline) or ``pending``."""
        if heard:
            return "heard"
        if now > self.deadline:
            return "overdue"
        if self.deadline - now <= warn_within:
            return "due_soon"
        return "pending"


def closure_hearing(served_at: datetime, *, nation: str, register: Register) -> Hearing:
    """When the magistrates must hear the closure order application: 48 hours after the notice's
    service (s.80), or 72 hours where the reform is in force on the day of service. An adjournment
    the court orders is the court's decision, recorded, not computed here."""
    extended = register.in_force("reform.closure_hearing_72h", nation=nation, on=served_at.date())
    rule = RULES["closure.hearing_72h" if extended else "closure.hearing_48h"]
    hours = 72 if extended else 48
    since = register.in_force_from(rule.provision, nation=nation) if rule.provision else None
    return Hearing(served_at, hours, served_at + timedelta(hours=hours), rule.key, rule.source, since)


def closure_notice_ends(served_at: datetime, hours: int) -> datetime:
    return served_at + timedelta(hours=hours)


# --- The ladder ------------------------------------------------------------------------------------


def next_rung(ladder: Iterable[str], taken: Iterable[str]) -> str | None:
    """The rung after the highest one taken, on ``ladder`` (None: at the top, or off it)."""
    ladder = tuple(ladder)
    positions = [ladder.index(kind) for kind in taken if kind in ladder]
    if not positions:
        return ladder[0] if ladder else None
    top = max(positions)
    return ladder[top + 1] if top + 1 < len(ladder) else None
