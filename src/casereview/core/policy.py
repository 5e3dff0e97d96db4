"""Local ASB Case Review procedures as TOML files: load, validate, and hold as frozen dataclasses.

Every partnership publishes its own procedure (its threshold, its clocks, its appeal route). The
product holds each as a policy file (contracts.md §2; docs/policies.md is the council's guide) and
never as code, so a council changing its threshold changes a file, not the product.

Validation is strict because a policy decides whether a victim gets a review: an unknown key (a
typo such as ``min_qualifing_complaints``), a malformed period, a value out of range or a missing
required key is a ``PolicyError`` naming the key — never a silent default. Optional *sections*
(the extra threshold routes, and everything after ``[deadlines]``) may be left out; docs/policies.md
says what leaving each out means.

Presets ship in ``casereview/core/presets/``: ``statutory``, ``west-northamptonshire``,
``islington``. ``load_policy("islington")`` loads a preset; ``load_policy("path/to/file.toml")``
loads a council's own file.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from casereview.core.calendar import CALENDARS, WorkingCalendar, get_calendar
from casereview.core.dates import parse_iso_date
from casereview.core.enforcement import DEFAULT_LADDER, PREMISES_LADDER, STEP_KINDS
from casereview.core.enforcement import DUTIES as ENFORCEMENT_DUTIES
from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import (
    ARRIVAL_ROUTES,
    CASE_REVIEW,
    CASE_REVIEW_KIND,
    CLOSE_REQUIREMENTS,
    PANEL_KIND_ROLES,
    REFERRAL_CRITERIA,
    RISK_LEVELS,
    PanelKind,
    RiskQuestion,
    RiskTool,
)
from casereview.core.periods import DAYS, MONTHS, UNITS, WEEKS, Duration, DurationError
from casereview.core.vocabulary import (
    AGENCY_KINDS,
    APPEALABLE_DECISIONS,
    CONCERNS,
    DEADLINE_NAMES,
    ESCALATION_RECIPIENTS,
    EVENTS,
    PANEL_ROLES,
    RELEVANT_BODIES,
)

__all__ = [
    "PRESETS",
    "AppealGround",
    "Appeals",
    "Deadline",
    "Eligibility",
    "EscalationStep",
    "HateRoute",
    "HotspotRule",
    "MultipleComplainantsRoute",
    "Panel",
    "PanelKind",
    "Policy",
    "PolicyError",
    "RepeatCallerRule",
    "SeniorManagerRoute",
    "Threshold",
    "load_policy",
    "policy_from_mapping",
    "policy_from_toml",
]

#: Preset ids, each a file ``presets/<id>.toml``.
PRESETS = ("statutory", "west-northamptonshire", "islington")

#: Statutory periods are calendar periods; working days would need a calendar the threshold
#: decision does not otherwise use, and no published procedure states its threshold in them.
CALENDAR_UNITS = (DAYS, WEEKS, MONTHS)

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
#: A panel kind's code: an id, or the case review panel's own code (ADR 0088).
_PANEL_ID = re.compile(r"case_review|[a-z0-9][a-z0-9-]*")
_CODE = re.compile(r"[a-z][a-z0-9_]*")
#: A postcode area ("NN") or district ("NN1", "EC1", "EC1V", "W1A"): the outward code or its letters.
_POSTCODE_PREFIX = re.compile(r"[A-Z]{1,2}(\d[A-Z\d]?)?")


# --- The policy, as the rest of the product sees it ------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Who may apply and about what (seed 004 §8–9)."""

    allow_anonymous: bool
    third_party_requires_consent: bool
    excluded_concerns: tuple[str, ...]


@dataclass(frozen=True)
class HateRoute:
    """One (or ``min_incidents``) hate incidents meet the threshold (WNC §5; Shropshire: 3 months)."""

    enabled: bool
    min_incidents: int = 1
    window: Duration = Duration(6, MONTHS)
    requires_action_group: bool = False


@dataclass(frozen=True)
class MultipleComplainantsRoute:
    """Enough reports by several people about the same problem (Lancashire: 5 individuals)."""

    enabled: bool
    min_reports: int = 5
    min_distinct_reporters: int = 2
    window: Duration = Duration(6, MONTHS)


@dataclass(frozen=True)
class SeniorManagerRoute:
    """A senior manager may start a review to safeguard a vulnerable victim (WNC §5, §8)."""

    enabled: bool


@dataclass(frozen=True)
class Threshold:
    """The threshold rules (contracts §2, "What counts")."""

    min_qualifying_complaints: int
    window: Duration
    report_within: Duration
    latest_report_within: Duration | None
    dedupe_across_agencies: bool
    exclude_diary_sheets: bool
    hate: HateRoute
    multiple_complainants: MultipleComplainantsRoute
    senior_manager: SeniorManagerRoute


@dataclass(frozen=True)
class Deadline:
    """A process clock: the step ``name`` is due ``within`` a period ``from_event`` (one of EVENTS)."""

    name: str
    within: Duration
    from_event: str

    def due_on(self, event_date: date, calendar: WorkingCalendar | None = None) -> date:
        """The last day the step may be done on time (periods.Duration.after: the event day excluded)."""
        return self.within.after(event_date, calendar)


@dataclass(frozen=True)
class Panel:
    """Who a review panel must include (WNC §6, §11; Islington: at least 3 key partners)."""

    min_relevant_bodies: int
    required_roles: tuple[str, ...]
    # Does a meeting recorded as held without its quorum (the chair's reason recorded) count as a
    # review carried out in the published statistics? Off unless the local policy says so: a
    # meeting without the relevant bodies, an independent chair or the victim's voice is not the
    # review the Act promises (docs/statistics.md).
    inquorate_counts_as_review: bool = False


@dataclass(frozen=True)
class EscalationStep:
    """One rung of the overdue-action ladder (seed 004 §13): reached when an action has been
    outstanding for *more than* ``more_than`` past its due date; goes to ``recipient`` — or to
    ``recipient_when_line_manager_is_head_of_service`` where that is set and the action owner's
    line manager is the Head of Service ("escalated to the Chief Executive" instead)."""

    name: str
    more_than: Duration
    recipient: str
    recipient_when_line_manager_is_head_of_service: str | None = None


@dataclass(frozen=True)
class AppealGround:
    """A ground of appeal: a stable ``code`` for records, a ``label`` in plain English for forms."""

    code: str
    label: str
    applies_to: tuple[str, ...] = APPEALABLE_DECISIONS


@dataclass(frozen=True)
class Appeals:
    """Who hears appeals and on what grounds. The time limit is ``deadlines.appeal_window``
    (one source of truth: the appeals app and the letters app read the same deadline)."""

    heard_by: str
    grounds: tuple[AppealGround, ...]


@dataclass(frozen=True)
class HotspotRule:
    """A location is a hotspot with *more than* ``more_than_reports`` reports in ``window`` ending
    with the as-of date (contracts §7; Islington: more than 6 in 14 days)."""

    window: Duration
    more_than_reports: int


@dataclass(frozen=True)
class RepeatCallerRule:
    """A caller with at least ``min_calls`` matching reports in ``window`` ending with the as-of date
    (and, if set, at least ``min_recent_calls`` of them in ``recent_window``) is a repeat caller.

    Exactly one of ``channel`` (e.g. ``out_of_hours_line``) and ``agency_kind`` (e.g. ``police``)
    says which reports match. Rules are tried in file order; a caller is listed under the first
    rule met (contracts §7: "a caller meeting both is listed once, under out_of_hours_line").
    """

    name: str
    min_calls: int
    window: Duration
    channel: str | None = None
    agency_kind: str | None = None
    min_recent_calls: int | None = None
    recent_window: Duration | None = None

    def matches(self, channel: str | None, agency_kind: str | None) -> bool:
        if self.channel is not None:
            return channel == self.channel
        return agency_kind == self.agency_kind


@dataclass(frozen=True)
class Policy:
    """One local procedure. Build it with ``load_policy``; every field is validated."""

    id: str
    name: str
    version: str
    calendar: str
    eligibility: Eligibility
    threshold: Threshold
    extra_bank_holidays: tuple[date, ...] = ()
    cancelled_bank_holidays: tuple[date, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    panel: Panel | None = None
    escalation: tuple[EscalationStep, ...] = ()
    appeals: Appeals | None = None
    hotspots: HotspotRule | None = None
    repeat_callers: tuple[RepeatCallerRule, ...] = ()
    postcode_prefixes: tuple[str, ...] = ()
    #: Search and signpost (docs/people.md): whether an agency whose involvement itself discloses
    #: special category or criminal-offence data is named in search results. The data protection
    #: officer's choice; by default such an agency is "another agency — contact the community
    #: safety team".
    signpost_names_sensitive_agencies: bool = False
    #: Letters and emails to a person who chose Welsh: ``"welsh"`` (in Welsh) or ``"bilingual"``
    #: (Welsh first, then the English), from ``[correspondence] welsh``.
    welsh_correspondence: str = "welsh"
    #: The enforcement ladder as the partnership declares it (``[interventions]``, issue 17): the
    #: order of steps against a person and against premises, and duties the partnership requires
    #: before a kind of step on top of the statutory rules (core.enforcement never drops those).
    interventions_ladder: tuple[str, ...] = DEFAULT_LADDER
    interventions_premises_ladder: tuple[str, ...] = PREMISES_LADDER
    interventions_local_duties: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The partnership's standing panels (``[[panel_kinds]]``; core/panel_kinds.py): CMARAC, the
    #: Cuckooing Panel and the rest, each with its criteria, members, frequency, risk tool and close
    #: rule. Empty when the policy declares none.
    panel_kinds: tuple[PanelKind, ...] = ()
    #: SHA-256 of the policy's content (its settings, canonically ordered): two files that say the
    #: same have the same digest, and any change of a setting changes it even when ``version`` is
    #: not changed. Stored with every threshold decision (ADR 0039).
    digest: str = field(default="", compare=False)
    #: Where it was loaded from ("preset islington", a path): for error messages, not identity.
    source: str = field(default="", compare=False)

    def deadline(self, name: str) -> Deadline | None:
        """The deadline called ``name`` (one of vocabulary.DEADLINE_NAMES), or None if not set."""
        if name not in DEADLINE_NAMES:
            raise KeyError(f"unknown deadline {name!r} (known: {', '.join(DEADLINE_NAMES)})")
        return next((d for d in self.deadlines if d.name == name), None)

    def working_calendar(self, *, environ: Mapping[str, str] | None = None) -> WorkingCalendar:
        """This policy's calendar with its one-off bank holidays (and the installation's, if any)."""
        return get_calendar(
            self.calendar, self.extra_bank_holidays, self.cancelled_bank_holidays, environ=environ
        )

    def due_on(
        self, deadline_name: str, event_date: date, calendar: WorkingCalendar | None = None
    ) -> date | None:
        """When the step ``deadline_name`` falls due for an event on ``event_date``; None if unset."""
        deadline = self.deadline(deadline_name)
        if deadline is None:
            return None
        if calendar is None and deadline.within.needs_calendar:
            calendar = self.working_calendar()
        return deadline.due_on(event_date, calendar)

    def panel_kind(self, code: str) -> PanelKind | None:
        """The panel kind called ``code``, or None if the policy declares none by that code. The
        case review panel (``case_review``) is always there: core's, unless the policy declares
        its own (ADR 0088)."""
        found = next((kind for kind in self.panel_kinds if kind.code == code), None)
        if found is None and code == CASE_REVIEW:
            return CASE_REVIEW_KIND
        return found

    @property
    def case_review_panel(self) -> PanelKind:
        """The ASB Case Review panel as a panel kind (ADR 0088): the policy's, or core's default."""
        return self.panel_kind(CASE_REVIEW)  # type: ignore[return-value]

    @property
    def standing_panel_kinds(self) -> tuple[PanelKind, ...]:
        """Every panel that meets: the declared kinds and the case review panel (ADR 0088). The
        referral pages use ``panel_kinds`` less ``case_review`` (a review is never referred)."""
        if any(kind.code == CASE_REVIEW for kind in self.panel_kinds):
            return self.panel_kinds
        return (*self.panel_kinds, CASE_REVIEW_KIND)

    @property
    def address_tracker_panel(self) -> PanelKind | None:
        """The panel that keeps the address tracker (the Cuckooing Panel), if the policy has one."""
        return next((kind for kind in self.panel_kinds if kind.keeps_address_tracker), None)

    def covers_postcode(self, postcode: str) -> bool:
        """Whether ``postcode`` (full, e.g. "NN1 1ED", or outward only) is in ``postcode_prefixes``.

        Matches on the outward code, never on raw string prefixes: "N1" covers "N1 7AA" and
        "N1C 4AB" but not "N19 3AB"; an area ("NN") covers all its districts but not "N" areas.
        An empty list covers nothing: the partnership has not said.
        """
        compact = re.sub(r"\s+", "", postcode.upper())
        outward = compact[:-3] if len(compact) > 4 else compact
        for prefix in self.postcode_prefixes:
            if not outward.startswith(prefix):
                continue
            rest = outward[len(prefix) :]
            if rest == "" or (prefix[-1].isdigit() and rest.isalpha() and len(rest) == 1):
                return True
            if prefix.isalpha() and rest[:1].isdigit():
                return True
        return False


# --- Loading ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=len(PRESETS))
def _preset_text(preset: str) -> str:
    """A preset's TOML, read from the package once a process: the presets are part of the installed
    code (a partnership on a preset reads it on every staff page, for the menu). A policy file
    named by path is read each time, so an edited file is seen at once."""
    return resources.files("casereview.core.presets").joinpath(f"{preset}.toml").read_text("utf-8")


def load_policy(id_or_path: str | Path) -> Policy:
    """Load a preset by id (``statutory``, ``west-northamptonshire``, ``islington``) or a file by path.

    A string that is a preset id is the preset; anything else is a path. Raises ``PolicyError``.
    """
    text_id = str(id_or_path)
    if isinstance(id_or_path, str) and text_id in PRESETS:
        return policy_from_toml(_preset_text(text_id), source=f"preset {text_id}")
    path = Path(id_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(
            "", f"no policy file {text_id!r}, and no preset of that name (presets: {', '.join(PRESETS)})"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError("", f"cannot read policy file {text_id!r}: {error}") from None
    return policy_from_toml(text, source=text_id)


def policy_from_toml(text: str, *, source: str = "") -> Policy:
    """Parse and validate policy TOML held as text (a file, or a database field).

    The same text from the same source gives the same ``Policy`` without parsing it again: a staff
    page reads its partnership's policy several times (the menu, the case page's sections), each
    time from a new model instance. ``Policy`` and everything in it is frozen, so one object can be
    shared; a changed text is a new key, and a text that fails is not remembered (it raises again).
    """
    return _policy_from_toml(text, source)


@functools.lru_cache(maxsize=64)
def _policy_from_toml(text: str, source: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError("", f"not valid TOML: {error}", source=source or None) from None
    return policy_from_mapping(data, source=source)


def policy_from_mapping(data: Mapping[str, Any], *, source: str = "") -> Policy:
    """Validate an already-parsed policy (the dict ``tomllib`` gives) and build the ``Policy``."""
    try:
        policy = _parse_policy(_Table(data, "", _TOP_LEVEL_KEYS), source)
    except PolicyError as error:
        error.source = error.source or source or None
        raise
    return replace(policy, digest=policy_digest(data))


def policy_digest(data: Mapping[str, Any]) -> str:
    """The SHA-256 of a policy's settings as canonical JSON (keys sorted, dates ISO): comments,
    spacing and the order of the keys in the file do not change it; any setting's value does."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- Validation ------------------------------------------------------------------------------------

_TOP_LEVEL_KEYS = (
    "id",
    "name",
    "version",
    "calendar",
    "extra_bank_holidays",
    "cancelled_bank_holidays",
    "eligibility",
    "threshold",
    "deadlines",
    "panel",
    "escalation",
    "appeals",
    "hotspots",
    "repeat_callers",
    "postcodes",
    "signpost",
    "correspondence",
    "interventions",
    "panel_kinds",
)
_MISSING = object()


class _Table:
    """One TOML table being validated: typed getters that raise ``PolicyError`` naming the key.

    Unknown keys are checked on entry, so a misspelt key is reported as unknown (with a
    suggestion) rather than as the correctly spelt key being missing.
    """

    def __init__(self, data: object, path: str, allowed: Iterable[str]) -> None:
        self.path = path
        if not isinstance(data, Mapping):
            raise PolicyError(path, f"must be a table, got {_describe(data)}")
        self.data = data
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (
                    f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(allowed)})"
                )
                raise PolicyError(self.key(key), f"unknown key{hint}")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def raw(self, name: str, default: object = _MISSING) -> object:
        if name in self.data:
            return self.data[name]
        if default is _MISSING:
            raise PolicyError(self.key(name), "required but missing")
        return default

    def string(
        self, name: str, default: object = _MISSING, *, pattern: re.Pattern | None = None, help: str = ""
    ) -> str:
        value = self.raw(name, default)
        if not isinstance(value, str) or not value.strip():
            raise PolicyError(self.key(name), f"must be a non-empty string, got {_describe(value)}")
        if pattern is not None and not pattern.fullmatch(value):
            raise PolicyError(self.key(name), f"{value!r} is not valid: {help}")
        return value

    def boolean(self, name: str, default: object = _MISSING) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise PolicyError(self.key(name), f"must be true or false, got {_describe(value)}")
        return value

    def integer(
        self, name: str, low: int, high: int | None = None, default: object = _MISSING, why: str = ""
    ) -> int:
        value = self.raw(name, default)
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < low
            or (high is not None and value > high)
        ):
            raise PolicyError(self.key(name), f"must be a whole number {bounds}{why}, got {_describe(value)}")
        return value

    def duration(
        self,
        name: str,
        *,
        units: tuple[str, ...] = UNITS,
        allow_zero: bool = False,
        allow_empty: bool = False,
        default: object = _MISSING,
    ) -> Duration | None:
        value = self.raw(name, default)
        if value is None or (allow_empty and value == ""):
            return None
        try:
            duration = Duration.parse(value, allow_zero=allow_zero)
        except DurationError as error:
            raise PolicyError(self.key(name), str(error)) from None
        if duration.unit not in units:
            allowed = ", ".join(f'"N {u.replace("_", " ")}"' for u in units)
            raise PolicyError(self.key(name), f"{value!r}: only {allowed} may be used here")
        return duration

    def choices(self, name: str, allowed: tuple[str, ...], default: object = _MISSING) -> tuple[str, ...]:
        values = self.list(name, default)
        for index, value in enumerate(values):
            if value not in allowed:
                raise PolicyError(
                    f"{self.key(name)}[{index}]",
                    f"unknown value {value!r} (expected one of: {', '.join(allowed)})",
                )
        if len(set(values)) != len(values):
            raise PolicyError(self.key(name), "lists the same value twice")
        return tuple(values)

    def dates(self, name: str) -> tuple[date, ...]:
        values = self.list(name, [])
        result = []
        for index, value in enumerate(values):
            try:
                result.append(parse_iso_date(value))
            except ValueError as error:
                raise PolicyError(f"{self.key(name)}[{index}]", str(error)) from None
        return tuple(sorted(set(result)))

    def list(self, name: str, default: object = _MISSING) -> list:
        value = self.raw(name, default)
        if not isinstance(value, list):
            raise PolicyError(self.key(name), f"must be a list, got {_describe(value)}")
        return value

    def table(self, name: str, allowed: Iterable[str], *, required: bool = True) -> _Table | None:
        if name not in self.data and not required:
            return None
        return _Table(self.raw(name), self.key(name), allowed)

    def tables(self, name: str, allowed: Iterable[str]) -> list[_Table]:
        """An array of tables (``[[escalation.steps]]``)."""
        return [_Table(item, f"{self.key(name)}[{i}]", allowed) for i, item in enumerate(self.list(name))]


def _describe(value: object) -> str:
    if value is _MISSING:
        return "nothing"
    if isinstance(value, Mapping):
        return "a table"
    return repr(value)


def _parse_policy(top: _Table, source: str) -> Policy:
    calendar = top.string("calendar")
    if calendar not in CALENDARS:
        raise PolicyError(
            "calendar", f"unknown calendar {calendar!r} (known: {', '.join(sorted(CALENDARS))})"
        )
    postcodes = top.table("postcodes", ("prefixes",), required=False)
    signpost = top.table("signpost", ("name_sensitive_agencies",), required=False)
    return Policy(
        id=top.string(
            "id", pattern=_ID, help="use lower-case letters, digits and hyphens, e.g. 'west-northamptonshire'"
        ),
        name=top.string("name"),
        version=top.string("version"),
        calendar=calendar,
        extra_bank_holidays=top.dates("extra_bank_holidays"),
        cancelled_bank_holidays=top.dates("cancelled_bank_holidays"),
        eligibility=_parse_eligibility(top),
        threshold=_parse_threshold(top),
        deadlines=_parse_deadlines(top),
        panel=_parse_panel(top),
        escalation=_parse_escalation(top),
        appeals=_parse_appeals(top),
        hotspots=_parse_hotspots(top),
        repeat_callers=_parse_repeat_callers(top),
        postcode_prefixes=_parse_postcodes(postcodes) if postcodes else (),
        signpost_names_sensitive_agencies=signpost.boolean("name_sensitive_agencies", False)
        if signpost
        else False,
        welsh_correspondence=_parse_correspondence(top),
        **_parse_interventions(top),
        panel_kinds=_parse_panel_kinds(top),
        source=source,
    )


def _parse_interventions(top: _Table) -> dict[str, Any]:
    table = top.table("interventions", ("ladder", "premises_ladder", "local_duties"), required=False)
    if table is None:
        return {}
    values: dict[str, Any] = {}
    if "ladder" in table.data:
        values["interventions_ladder"] = table.choices("ladder", STEP_KINDS)
    if "premises_ladder" in table.data:
        values["interventions_premises_ladder"] = table.choices("premises_ladder", STEP_KINDS)
    duties = table.table("local_duties", STEP_KINDS, required=False)
    if duties is not None:
        values["interventions_local_duties"] = tuple(
            (kind, duties.choices(kind, ENFORCEMENT_DUTIES)) for kind in STEP_KINDS if kind in duties.data
        )
    return values


WELSH_CORRESPONDENCE = ("welsh", "bilingual")


def _parse_correspondence(top: _Table) -> str:
    table = top.table("correspondence", ("welsh",), required=False)
    if table is None:
        return "welsh"
    return _choice(table, "welsh", WELSH_CORRESPONDENCE)


def _parse_eligibility(top: _Table) -> Eligibility:
    table = top.table("eligibility", ("allow_anonymous", "third_party_requires_consent", "excluded_concerns"))
    return Eligibility(
        allow_anonymous=table.boolean("allow_anonymous"),
        third_party_requires_consent=table.boolean("third_party_requires_consent"),
        excluded_concerns=table.choices("excluded_concerns", CONCERNS),
    )


def _parse_threshold(top: _Table) -> Threshold:
    table = top.table(
        "threshold",
        (
            "min_qualifying_complaints",
            "window",
            "report_within",
            "latest_report_within",
            "dedupe_across_agencies",
            "exclude_diary_sheets",
            "hate",
            "multiple_complainants",
            "senior_manager",
        ),
    )
    return Threshold(
        min_qualifying_complaints=table.integer(
            "min_qualifying_complaints",
            1,
            3,
            why=" (s.104 of the 2014 Act: a local threshold of no more than three)",
        ),
        window=table.duration("window", units=CALENDAR_UNITS),
        report_within=table.duration("report_within", units=CALENDAR_UNITS),
        latest_report_within=table.duration("latest_report_within", units=CALENDAR_UNITS, allow_empty=True),
        dedupe_across_agencies=table.boolean("dedupe_across_agencies"),
        exclude_diary_sheets=table.boolean("exclude_diary_sheets"),
        hate=_parse_hate(table),
        multiple_complainants=_parse_multiple_complainants(table),
        senior_manager=_parse_senior_manager(table),
    )


def _parse_hate(threshold: _Table) -> HateRoute:
    table = threshold.table(
        "hate", ("enabled", "min_incidents", "window", "requires_action_group"), required=False
    )
    if table is None or not table.boolean("enabled"):
        return HateRoute(enabled=False)
    return HateRoute(
        enabled=True,
        min_incidents=table.integer("min_incidents", 1, 3),
        window=table.duration("window", units=CALENDAR_UNITS),
        requires_action_group=table.boolean("requires_action_group"),
    )


def _parse_multiple_complainants(threshold: _Table) -> MultipleComplainantsRoute:
    table = threshold.table(
        "multiple_complainants",
        ("enabled", "min_reports", "min_distinct_reporters", "window"),
        required=False,
    )
    if table is None or not table.boolean("enabled"):
        return MultipleComplainantsRoute(enabled=False)
    min_reports = table.integer("min_reports", 1)
    min_reporters = table.integer("min_distinct_reporters", 1)
    if min_reporters > min_reports:
        raise PolicyError(
            table.key("min_distinct_reporters"),
            f"cannot be more than min_reports ({min_reports}): each reporter makes at least one report",
        )
    return MultipleComplainantsRoute(
        enabled=True,
        min_reports=min_reports,
        min_distinct_reporters=min_reporters,
        window=table.duration("window", units=CALENDAR_UNITS),
    )


def _parse_senior_manager(threshold: _Table) -> SeniorManagerRoute:
    table = threshold.table("senior_manager", ("enabled",), required=False)
    return SeniorManagerRoute(enabled=table is not None and table.boolean("enabled"))


def _parse_deadlines(top: _Table) -> tuple[Deadline, ...]:
    table = top.table("deadlines", DEADLINE_NAMES, required=False)
    if table is None:
        return ()
    deadlines = []
    for name in table.data:
        entry = table.table(name, ("within", "from"))
        event = entry.string("from")
        if event not in EVENTS:
            raise PolicyError(
                entry.key("from"), f"unknown event {event!r} (expected one of: {', '.join(EVENTS)})"
            )
        deadlines.append(Deadline(name=name, within=entry.duration("within"), from_event=event))
    return tuple(deadlines)


def _parse_panel(top: _Table) -> Panel | None:
    table = top.table(
        "panel", ("min_relevant_bodies", "required_roles", "inquorate_counts_as_review"), required=False
    )
    if table is None:
        return None
    return Panel(
        min_relevant_bodies=table.integer(
            "min_relevant_bodies", 1, len(RELEVANT_BODIES), why=f" (there are {len(RELEVANT_BODIES)} kinds)"
        ),
        required_roles=table.choices("required_roles", PANEL_ROLES),
        inquorate_counts_as_review=table.boolean("inquorate_counts_as_review", False),
    )


def _parse_escalation(top: _Table) -> tuple[EscalationStep, ...]:
    table = top.table("escalation", ("steps",), required=False)
    if table is None:
        return ()
    steps: list[EscalationStep] = []
    for step in table.tables(
        "steps", ("name", "more_than", "recipient", "recipient_when_line_manager_is_head_of_service")
    ):
        name = step.string("name", pattern=_CODE, help="use lower-case letters, digits and underscores")
        if any(existing.name == name for existing in steps):
            raise PolicyError(step.key("name"), f"{name!r} is used by an earlier step; names must differ")
        steps.append(
            EscalationStep(
                name=name,
                more_than=step.duration("more_than", allow_zero=True),
                recipient=_choice(step, "recipient", ESCALATION_RECIPIENTS),
                recipient_when_line_manager_is_head_of_service=(
                    _choice(step, "recipient_when_line_manager_is_head_of_service", ESCALATION_RECIPIENTS)
                    if "recipient_when_line_manager_is_head_of_service" in step.data
                    else None
                ),
            )
        )
    return tuple(steps)


def _parse_appeals(top: _Table) -> Appeals | None:
    table = top.table("appeals", ("heard_by", "grounds"), required=False)
    if table is None:
        return None
    grounds: list[AppealGround] = []
    for ground in table.tables("grounds", ("code", "label", "applies_to")):
        code = ground.string("code", pattern=_CODE, help="use lower-case letters, digits and underscores")
        if any(existing.code == code for existing in grounds):
            raise PolicyError(ground.key("code"), f"{code!r} is used by an earlier ground; codes must differ")
        applies_to = ground.choices("applies_to", APPEALABLE_DECISIONS, default=list(APPEALABLE_DECISIONS))
        if not applies_to:
            raise PolicyError(ground.key("applies_to"), "must name at least one decision")
        grounds.append(AppealGround(code=code, label=ground.string("label"), applies_to=applies_to))
    if not grounds:
        raise PolicyError(table.key("grounds"), "must list at least one ground of appeal")
    return Appeals(heard_by=table.string("heard_by"), grounds=tuple(grounds))


def _parse_hotspots(top: _Table) -> HotspotRule | None:
    table = top.table("hotspots", ("window", "more_than_reports"), required=False)
    if table is None:
        return None
    return HotspotRule(
        window=table.duration("window", units=CALENDAR_UNITS),
        more_than_reports=table.integer("more_than_reports", 0),
    )


def _parse_repeat_callers(top: _Table) -> tuple[RepeatCallerRule, ...]:
    table = top.table("repeat_callers", ("rules",), required=False)
    if table is None:
        return ()
    rules: list[RepeatCallerRule] = []
    allowed = ("name", "channel", "agency_kind", "min_calls", "window", "min_recent_calls", "recent_window")
    for rule in table.tables("rules", allowed):
        name = rule.string("name", pattern=_CODE, help="use lower-case letters, digits and underscores")
        if any(existing.name == name for existing in rules):
            raise PolicyError(rule.key("name"), f"{name!r} is used by an earlier rule; names must differ")
        if ("channel" in rule.data) == ("agency_kind" in rule.data):
            raise PolicyError(rule.key("channel"), "give exactly one of 'channel' and 'agency_kind'")
        channel = rule.string("channel") if "channel" in rule.data else None
        agency_kind = _choice(rule, "agency_kind", AGENCY_KINDS) if "agency_kind" in rule.data else None
        if ("min_recent_calls" in rule.data) != ("recent_window" in rule.data):
            raise PolicyError(
                rule.key("recent_window"), "give both 'min_recent_calls' and 'recent_window', or neither"
            )
        min_calls = rule.integer("min_calls", 1)
        rules.append(
            RepeatCallerRule(
                name=name,
                channel=channel,
                agency_kind=agency_kind,
                min_calls=min_calls,
                window=rule.duration("window", units=CALENDAR_UNITS),
                min_recent_calls=rule.integer("min_recent_calls", 1, min_calls, default=None)
                if "min_recent_calls" in rule.data
                else None,
                recent_window=rule.duration("recent_window", units=CALENDAR_UNITS, default=None),
            )
        )
    return tuple(rules)


_PANEL_KIND_KEYS = (
    "code",
    "name",
    "name_cy",
    "referral_criteria",
    "member_agency_kinds",
    "member_roles",
    "meets_every",
    "close_requires",
    "min_risk",
    "min_asb_reports",
    "keeps_address_tracker",
    "referred_from",
    "risk_tool",
)


def _parse_panel_kinds(top: _Table) -> tuple[PanelKind, ...]:
    if "panel_kinds" not in top.data:
        return ()
    kinds: list[PanelKind] = []
    for entry in top.tables("panel_kinds", _PANEL_KIND_KEYS):
        code = entry.string(
            "code",
            pattern=_PANEL_ID,
            help="use lower-case letters, digits and hyphens, e.g. 'cmarac' (or 'case_review')",
        )
        if any(existing.code == code for existing in kinds):
            raise PolicyError(
                entry.key("code"), f"{code!r} is used by an earlier panel kind; codes must differ"
            )
        members = entry.choices("member_agency_kinds", AGENCY_KINDS)
        if not members:
            raise PolicyError(entry.key("member_agency_kinds"), "must name at least one kind of agency")
        criteria = entry.choices("referral_criteria", REFERRAL_CRITERIA, default=[])
        risk_tool = _parse_risk_tool(entry)
        if "risk" in criteria and risk_tool is None:
            raise PolicyError(
                entry.key("risk_tool"),
                "required when 'risk' is a referral criterion: the panel must say how risk is scored",
            )
        referred_from = entry.choices("referred_from", ARRIVAL_ROUTES, default=[])
        if code == CASE_REVIEW and (criteria or referred_from != ("review_accepted",)):
            raise PolicyError(
                entry.key("referral_criteria" if criteria else "referred_from"),
                "the case review panel takes no referrals: its reviews arrive when the threshold is met "
                'or the review is accepted (referral_criteria = [], referred_from = ["review_accepted"])',
            )
        if code != CASE_REVIEW and "review_accepted" in referred_from:
            raise PolicyError(
                entry.key("referred_from"),
                "only the case review panel ('case_review') takes accepted reviews",
            )
        keeps_tracker = entry.boolean("keeps_address_tracker", False)
        if keeps_tracker and any(kind.keeps_address_tracker for kind in kinds):
            raise PolicyError(
                entry.key("keeps_address_tracker"), "only one panel kind may keep the address tracker"
            )
        kinds.append(
            PanelKind(
                code=code,
                name=entry.string("name"),
                name_cy=entry.string("name_cy"),
                referral_criteria=criteria,
                member_agency_kinds=members,
                member_roles=entry.choices("member_roles", PANEL_KIND_ROLES, default=[]),
                meets_every=entry.duration("meets_every", units=CALENDAR_UNITS),
                close_requires=entry.choices("close_requires", CLOSE_REQUIREMENTS),
                risk_tool=risk_tool,
                min_risk=_choice(entry, "min_risk", RISK_LEVELS) if "min_risk" in entry.data else "medium",
                min_asb_reports=entry.integer("min_asb_reports", 1, default=1),
                keeps_address_tracker=keeps_tracker,
                referred_from=referred_from,
            )
        )
    return tuple(kinds)


def _parse_risk_tool(entry: _Table) -> RiskTool | None:
    table = entry.table("risk_tool", ("name", "high_from", "medium_from", "questions"), required=False)
    if table is None:
        return None
    questions: list[RiskQuestion] = []
    for question in table.tables("questions", ("code", "label", "label_cy", "weight")):
        code = question.string("code", pattern=_CODE, help="use lower-case letters, digits and underscores")
        if any(existing.code == code for existing in questions):
            raise PolicyError(
                question.key("code"), f"{code!r} is used by an earlier question; codes must differ"
            )
        questions.append(
            RiskQuestion(
                code=code,
                label=question.string("label"),
                label_cy=question.string("label_cy"),
                weight=question.integer("weight", 1),
            )
        )
    if not questions:
        raise PolicyError(table.key("questions"), "must list at least one question")
    most = sum(q.weight for q in questions)
    if most < 2:
        raise PolicyError(
            table.key("questions"), "the weights must add up to 2 or more, to tell low, medium and high apart"
        )
    medium_from = table.integer("medium_from", 1, most - 1, why=f" (the questions' weights add up to {most})")
    high_from = table.integer(
        "high_from", medium_from + 1, most, why=f" (more than medium_from; the weights add up to {most})"
    )
    return RiskTool(
        name=table.string("name"), questions=tuple(questions), high_from=high_from, medium_from=medium_from
    )


def _parse_postcodes(table: _Table) -> tuple[str, ...]:
    prefixes = []
    for index, value in enumerate(table.list("prefixes")):
        prefix = value.strip().upper() if isinstance(value, str) else value
        if not isinstance(prefix, str) or not _POSTCODE_PREFIX.fullmatch(prefix):
            raise PolicyError(
                f"{table.key('prefixes')}[{index}]",
                f"{value!r} is not a postcode area or district (e.g. 'NN', 'NN1', 'EC1V')",
            )
        prefixes.append(prefix)
    return tuple(prefixes)


def _choice(table: _Table, name: str, allowed: tuple[str, ...]) -> str:
    value = table.string(name)
    if value not in allowed:
        raise PolicyError(table.key(name), f"unknown value {value!r} (expected one of: {', '.join(allowed)})")
    return value
