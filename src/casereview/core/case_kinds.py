"""Kinds of case and their status tables (ADR 0048).

Every case has a kind; a kind is a table: its statuses (with the words a person reads), which of
them count as open, which status may follow which, and the status a new case starts in. The one
status-change service (`applications.services.case_status_change`) reads nothing else, so adding
a kind is adding a table, not another copy of the status machinery.

Pure Python: no Django. The review's table is here because it is the law's process (the 2014 Act's
review, as the partnerships run it); kinds that later issues add (Community MARAC, cuckooing,
early intervention) put theirs beside it and register them in their app's `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CaseKindTable:
    """One kind of case: its statuses and the moves between them.

    `statuses` maps each status to its label, in the order a person reads them; `transitions`
    maps each status to the statuses that may follow it (a status with no entry is final).
    """

    kind: str
    label: str
    statuses: Mapping[str, str]
    open_statuses: frozenset[str]
    transitions: Mapping[str, frozenset[str]]
    initial_status: str
    description: str = field(default="")

    def __post_init__(self) -> None:
        problems = table_problems(self)
        if problems:
            raise ValueError(f"Case kind {self.kind!r}: " + "; ".join(problems))

    def label_of(self, status: str) -> str:
        return self.statuses.get(status, status)

    def allowed_after(self, status: str) -> frozenset[str]:
        return self.transitions.get(status, frozenset())

    def is_open(self, status: str) -> bool:
        return status in self.open_statuses

    def transition_refusal(self, previous: str, to: str) -> tuple[str, dict] | None:
        """Why the move `previous` → `to` is refused, as a reason code with parameters (rendered
        by the service into a sentence), or None when the table allows it."""
        if to not in self.statuses:
            return ("unknown_status", {"kind": self.kind, "status": to, "known": list(self.statuses)})
        if previous == to:
            return ("already_in_status", {"status": to})
        allowed = self.allowed_after(previous)
        if to not in allowed:
            return (
                "transition_not_allowed",
                {"from": previous, "to": to, "allowed": [s for s in self.statuses if s in allowed]},
            )
        return None

    def refusal_words(self, refusal: tuple[str, dict]) -> str:
        """A refusal's reason code as a sentence a member of staff can act on (staff pages are in
        English: a status change is never shown to the public)."""
        code, params = refusal
        if code == "already_in_status":
            return (
                f"The case is already “{self.label_of(params['status'])}”: someone else has just done "
                "this. Go back to the case to see its timeline."
            )
        if code == "unknown_status":
            return f"“{params['status']}” is not a status of this kind of case ({self.label})."
        allowed = params["allowed"]
        following = (
            "From there it may become " + ", ".join(f"“{self.label_of(s)}”" for s in allowed) + "."
            if allowed
            else "It is final: nothing may follow it."
        )
        previous, to = self.label_of(params["from"]), self.label_of(params["to"])
        return f"A case that is “{previous}” cannot become “{to}”. {following}"


def table_problems(table: CaseKindTable) -> list[str]:
    """What makes a table unusable: a move to or from a status it does not list, an initial or
    open status it does not list. Empty when the table is sound."""
    problems = []
    known = set(table.statuses)
    if not table.kind:
        problems.append("no kind name")
    if table.initial_status not in known:
        problems.append(f"initial status {table.initial_status!r} is not one of its statuses")
    for status in sorted(set(table.open_statuses) - known):
        problems.append(f"open status {status!r} is not one of its statuses")
    for previous, following in table.transitions.items():
        if previous not in known:
            problems.append(f"a move from unknown status {previous!r}")
        for status in sorted(set(following) - known):
            problems.append(f"a move from {previous!r} to unknown status {status!r}")
    return problems


# --- The ASB Case Review ----------------------------------------------------------------------------

CASE_REVIEW = "case_review"

REVIEW_STATUSES: dict[str, str] = {
    "received": "Received",
    "acknowledged": "Acknowledged",
    "awaiting_consent": "Awaiting the victim's consent",
    "declined": "Threshold not met",
    "accepted": "Accepted for review",
    "in_review": "Review in progress",
    "panel_held": "Panel held",
    "monitoring": "Action plan being monitored",
    "closed": "Closed",
    "withdrawn": "Withdrawn",
}

# An appeal upheld on a declined application re-opens it as accepted; the local policing body
# sending a not-met decision back re-opens it as acknowledged (to decide again); a further review
# (panels.panel_schedule) takes a monitored or closed case back into review.
REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"acknowledged", "awaiting_consent", "withdrawn"}),
    "acknowledged": frozenset({"awaiting_consent", "declined", "accepted", "withdrawn"}),
    "awaiting_consent": frozenset({"acknowledged", "declined", "accepted", "withdrawn"}),
    "declined": frozenset({"accepted", "acknowledged", "closed"}),
    "accepted": frozenset({"in_review", "withdrawn"}),
    "in_review": frozenset({"panel_held", "withdrawn"}),
    "panel_held": frozenset({"monitoring", "closed", "withdrawn"}),
    "monitoring": frozenset({"in_review", "closed"}),
    "closed": frozenset({"in_review"}),
    "withdrawn": frozenset(),
}

REVIEW_KIND = CaseKindTable(
    kind=CASE_REVIEW,
    label="ASB Case Review",
    statuses=REVIEW_STATUSES,
    open_statuses=frozenset(
        {"received", "acknowledged", "awaiting_consent", "accepted", "in_review", "panel_held", "monitoring"}
    ),
    transitions=REVIEW_TRANSITIONS,
    initial_status="received",
    description="The statutory review of the response to antisocial behaviour (2014 Act, s.104).",
)


# --- Early intervention and enforcement (issue 17) --------------------------------------------------

INTERVENTION = "intervention"

#: Person-centred casework (the Early Intervention Scheme, the integrated gangs team) and the
#: enforcement ladder against premises: the case's own details, steps and support are the
#: interventions app's (ADR 0066). A closed intervention is final: a new one is opened.
INTERVENTION_KIND = CaseKindTable(
    kind=INTERVENTION,
    label="Early intervention and enforcement",
    statuses={"open": "Open", "closed": "Closed"},
    open_statuses=frozenset({"open"}),
    transitions={"open": frozenset({"closed"}), "closed": frozenset()},
    initial_status="open",
    description="Prevention, diversion and enforcement with a person or premises: warnings, support, "
    "Community Protection Notices, injunctions, Criminal Behaviour Orders and closures.",
)


# --- The standing panels' cases (Community MARAC, cuckooing, repeat callers …) ------------------------

#: A standing panel's case is of kind "panel:<code>", the code of its `[[panel_kinds]]` entry in the
#: local policy (core/panel_kinds.py). The panels are the policy's, so their kinds are a family: one
#: table, made for any code on first use (applications.kinds.register_case_kind_family; ADR 0064).
PANEL_CASE_PREFIX = "panel:"

PANEL_CASE_STATUSES: dict[str, str] = {
    "referred": "Referred: not yet heard",
    "open": "Open: the action plan is reviewed at each meeting",
    "closed": "Closed",
}

# A referral is heard (open) or turned away by the panel (closed); an open case closes only with a
# reason and the panel's agreement (referrals.services.panel_case_close); a closed one may re-open.
PANEL_CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    "referred": frozenset({"open", "closed"}),
    "open": frozenset({"closed"}),
    "closed": frozenset({"open"}),
}


def panel_case_kind(kind: str) -> CaseKindTable:
    """The status table of a standing panel's cases, for the kind "panel:<code>"."""
    if not kind.startswith(PANEL_CASE_PREFIX) or len(kind) == len(PANEL_CASE_PREFIX):
        raise ValueError(f"{kind!r} is not a panel case kind (panel:<code>)")
    return CaseKindTable(
        kind=kind,
        label=f"Standing panel case ({kind.removeprefix(PANEL_CASE_PREFIX)})",
        statuses=PANEL_CASE_STATUSES,
        open_statuses=frozenset({"referred", "open"}),
        transitions=PANEL_CASE_TRANSITIONS,
        initial_status="referred",
        description="A referral to one of the partnership's standing multi-agency panels.",
    )
