"""The local policing body's review of a "threshold not met" decision (Crime and Policing Act 2026).

From the day the route is in force in the nation (the commencement register's
``cpa2026.lpb_review``), a victim told that the ASB Case Review threshold is not met may ask the
local policing body (the Police and Crime Commissioner; MOPAC in London; a mayor where one holds
the role) to review the decision. Two things about the route are national, not a partnership's
policy, so they are the provision's settings in the register:

* ``appeal_first``: the partnership's own appeal against the decision must have been decided first;
* ``time_limit``: how long the victim has, from the letter they ask about — the not-met letter, or,
  where the appeal comes first, the appeal's decision letter. "Within 28 days from" a letter of 1
  March ends on 29 March (``Duration.after``: the letter's own day is not counted), the same rule as
  the partnership's appeal window.

``may_request`` answers in reason codes with parameters (``request_refusals``); ``render`` writes
them in English or Welsh through the caller's ``Words``. A request that is late is refused here —
unlike a partnership's appeal, the time limit is the law's, not a discretion the reviewer holds.

Pure: no Django, no clock ("on" is always given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from casereview.core.commencement import Register
from casereview.core.errors import PolicyError
from casereview.core.periods import Duration, DurationError
from casereview.core.reasons import ENGLISH, Words, _date

__all__ = [
    "PROVISION",
    "LpbRules",
    "RequestCheck",
    "in_force",
    "may_request",
    "render",
    "rules_from",
]

PROVISION = "cpa2026.lpb_review"

#: What the victim's decision can be, as far as this route cares.
APPEAL_NONE = "none"  # no appeal made
APPEAL_OPEN = "open"  # an appeal is waiting for the partnership's decision
APPEAL_DECIDED = "decided"  # the appeal was decided (and the decision stood)


@dataclass(frozen=True)
class LpbRules:
    appeal_first: bool
    time_limit: Duration


def rules_from(register: Register) -> LpbRules:
    """The route's national settings, validated (an error names the setting)."""
    settings = dict(register.provision(PROVISION).settings)
    where = f"provisions.{PROVISION}.settings"
    unknown = set(settings) - {"appeal_first", "time_limit"}
    if unknown:
        raise PolicyError(f"{where}.{sorted(unknown)[0]}", "unknown key")
    appeal_first = settings.get("appeal_first", False)
    if not isinstance(appeal_first, bool):
        raise PolicyError(f"{where}.appeal_first", "true or false")
    try:
        time_limit = Duration.parse(settings.get("time_limit", ""))
    except DurationError as error:
        raise PolicyError(f"{where}.time_limit", str(error)) from error
    return LpbRules(appeal_first=appeal_first, time_limit=time_limit)


def in_force(register: Register, *, nation: str, on: date) -> bool:
    """Is the route open in ``nation`` on ``on`` (from the commencement day itself)?"""
    return register.in_force(PROVISION, nation=nation, on=on)


@dataclass(frozen=True)
class RequestCheck:
    allowed: bool
    #: Why not, as reason codes with JSON-able parameters: [("out_of_time", {"ends_on": "…"}), …].
    refusals: tuple[tuple[str, dict], ...] = ()
    #: The last day to ask (None: the time has not started — no letter yet).
    ends_on: date | None = None
    #: The day the time limit runs from (the letter asked about).
    runs_from: date | None = None
    rules: LpbRules | None = field(default=None, compare=False)


def may_request(
    *,
    register: Register,
    nation: str,
    on: date,
    declined_not_met: bool,
    decision_letter_on: date | None,
    appeal: str = APPEAL_NONE,
    appeal_letter_on: date | None = None,
    already_requested: bool = False,
) -> RequestCheck:
    """May a victim ask the local policing body, on ``on``, to review their not-met decision?

    ``declined_not_met``: the case's current decision is "threshold not met" (not ineligible, not
    accepted). ``decision_letter_on``: the day the not-met letter was issued (None: not yet).
    ``appeal`` and ``appeal_letter_on``: the partnership's own appeal against that decision. The
    first refusal found is the one that matters most, but every one is listed.
    """
    start = register.in_force_from(PROVISION, nation=nation)
    if start is None or on < start:
        params = {"nation": nation, "from": start.isoformat() if start else None}
        return RequestCheck(allowed=False, refusals=(("not_in_force", params),))
    rules = rules_from(register)
    refusals: list[tuple[str, dict]] = []
    if already_requested:
        refusals.append(("already_requested", {}))
    if not declined_not_met:
        refusals.append(("not_a_not_met_decision", {}))
    runs_from = decision_letter_on
    if rules.appeal_first:
        if appeal == APPEAL_NONE:
            refusals.append(("appeal_first", {}))
        elif appeal == APPEAL_OPEN:
            refusals.append(("appeal_waiting", {}))
        runs_from = appeal_letter_on if appeal == APPEAL_DECIDED else None
    elif appeal == APPEAL_OPEN:
        refusals.append(("appeal_waiting", {}))
    ends_on = rules.time_limit.after(runs_from) if runs_from else None
    if declined_not_met and runs_from is None and not refusals:
        refusals.append(("no_letter_yet", {}))
    if ends_on is not None and on > ends_on:
        refusals.append(
            ("out_of_time", {"ends_on": ends_on.isoformat(), "time_limit": str(rules.time_limit)})
        )
    return RequestCheck(
        allowed=not refusals, refusals=tuple(refusals), ends_on=ends_on, runs_from=runs_from, rules=rules
    )


def render(code: str, params: dict, words: Words = ENGLISH) -> str:
    """One refusal in words a victim (or the office recording for them) can act on."""
    _ = words.gettext
    if code == "not_in_force":
        if params.get("from"):
            return _(
                "The local policing body can review a decision only from %(date)s, when the Crime "
                "and Policing Act 2026 brings the route into force here."
            ) % {"date": _date(words, params["from"])}
        return _(
            "The Crime and Policing Act 2026's route to ask the local policing body for a review is "
            "not yet in force here: no date has been set."
        )
    if code == "already_requested":
        return _("A review of this decision by the local policing body has already been asked for.")
    if code == "not_a_not_met_decision":
        return _(
            "The local policing body reviews only a decision that the threshold for an ASB Case "
            "Review was not met, and this case has no such decision standing."
        )
    if code == "appeal_first":
        return _(
            "First appeal to the council's partnership against the decision: the local policing body "
            "reviews it once that appeal has been decided."
        )
    if code == "appeal_waiting":
        return _(
            "Your appeal to the partnership is still waiting for a decision: you can ask the local "
            "policing body once it has been decided."
        )
    if code == "no_letter_yet":
        return _("The decision letter has not been sent yet: you can ask once you have it.")
    if code == "out_of_time":
        return _("The time to ask the local policing body for a review ended on %(date)s.") % {
            "date": _date(words, params["ends_on"])
        }
    raise KeyError(f"unknown reason code {code!r}")
