"""The statutory clocks of a case, computed from the local policy and the case's timeline.

Each deadline in the policy's ``[deadlines]`` runs ``within`` a period ``from`` an event (core
vocabulary.EVENTS). The case's CaseEvents say when each starting event happened (``occurred_on``)
and whether the step the deadline governs has been done. Nothing is stored: a clock is derived,
so correcting the timeline corrects the clocks, and there is one source of truth.

THE MAP — which case event completes which deadline — is ``COMPLETED_BY`` below, and nowhere
else. Apps that do the work record the completing event through
``applications.services.case_event_record`` (or ``application_set_status``) with the event kind
listed here; docs/applications.md repeats the table for them. To add a completing event, add a
``Done`` to the tuple of the deadline.

"Today" is always passed in (default ``timezone.localdate()`` at the edge), never read here, so
every rule can be tested on any day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import Status


@dataclass(frozen=True)
class Done:
    """An event that completes a deadline: its kind, and optionally a flag its data must carry."""

    kind: str
    data_flag: str = ""

    def matches(self, event) -> bool:
        return event.kind == self.kind and (
            not self.data_flag or bool((event.data or {}).get(self.data_flag))
        )


# deadline name -> the events that complete it. An empty tuple marks a window (appeal_window): it
# is not a task anyone does, it simply closes.
COMPLETED_BY: dict[str, tuple[Done, ...]] = {
    "acknowledge": (Done("acknowledged"),),
    # A letter's clock is met when the letter is *sent*, not when it is issued: the letters app
    # records "<what>_letter_dispatched" when the mail server or GOV.UK Notify accepts the email,
    # when staff mark the post posted, or record it handed over (letters.dispatch, docs/letters.md).
    "threshold_decision": (Done("decision_letter_dispatched"),),
    "spoc_appointment": (Done("spoc_appointed"),),
    "victim_contact": (Done("victim_contacted"),),
    "unreachable_letter": (Done("closure_letter_dispatched"),),
    # One clock per agency asked; the response names the agency (data["agency"]) or the request.
    "agency_response": (Done("agency_response_received"),),
    "review_response": (Done("outcome_letter_dispatched"),),
    "outcome_letter": (Done("outcome_letter_dispatched"),),
    "minutes_circulated": (Done("minutes_circulated"),),
    "appeal_window": (),
}

# deadline name -> the events that undo its completion: a letter whose dispatch failed or came back
# was not received, so the step is not done (and shows overdue, with the event's data["reason"])
# until a later dispatch is sent.
REOPENED_BY: dict[str, tuple[Done, ...]] = {
    "threshold_decision": (Done("decision_letter_dispatch_failed"),),
    "unreachable_letter": (Done("closure_letter_dispatch_failed"),),
    "review_response": (Done("outcome_letter_dispatch_failed"),),
    "outcome_letter": (Done("outcome_letter_dispatch_failed"),),
}

# Deadlines that run once per starting event and per party asked, matched to their completing event by
# data["request"] or data["agency"] (see _parties).
PER_REQUEST = frozenset({"agency_response"})

# Which starting events count. Only the threshold-not-met and outcome letters open an appeal (seed
# 004 §12): the letters app marks them with data["appeal_window_starts"]; an acknowledgement does not.
STARTS_IF: dict[str, Callable] = {
    "appeal_window": lambda event: bool((event.data or {}).get("appeal_window_starts")),
}

CLOSED = frozenset({Status.WITHDRAWN, Status.CLOSED})
NOT_UNDER_REVIEW = frozenset({Status.WITHDRAWN, Status.CLOSED, Status.DECLINED})

# While not yet done, a clock is shown only while the case is in a status where the step is still
# owed. A letter is owed even after a case closes, so the letter clocks are always relevant.
RELEVANT_UNLESS: dict[str, frozenset[str]] = {
    "acknowledge": CLOSED,
    "threshold_decision": CLOSED,
    "spoc_appointment": NOT_UNDER_REVIEW | {Status.AWAITING_CONSENT},
    "victim_contact": NOT_UNDER_REVIEW,
    "unreachable_letter": frozenset(),
    "agency_response": CLOSED,
    "review_response": NOT_UNDER_REVIEW,
    "outcome_letter": frozenset(),
    "minutes_circulated": frozenset(),
    "appeal_window": frozenset(),
}

LABELS = {
    "acknowledge": "Acknowledge the application",
    "threshold_decision": "Send the threshold decision",
    "spoc_appointment": "Appoint a single point of contact",
    "victim_contact": "Contact the victim",
    "unreachable_letter": "Send the closure letter (victim unreachable)",
    "agency_response": "Agency response",
    "review_response": "Full response to the victim",
    "outcome_letter": "Send the outcome letter",
    "minutes_circulated": "Circulate the minutes and action plan",
    "appeal_window": "Appeal window",
}

# How the starting events read in "5 working days from …".
EVENT_WORDS = {
    "received": "receipt",
    "acknowledged": "acknowledgement",
    "spoc_appointed": "the SPOC's appointment",
    "victim_unreachable": "the victim found unreachable",
    "information_requested": "the request",
    "accepted": "acceptance",
    "panel_held": "the panel",
    "letter_issued": "the letter",
}

# Clock states, for templates and filters.
DONE = "done"
DONE_LATE = "done_late"
PENDING = "pending"
DUE_TODAY = "due_today"
OVERDUE = "overdue"
WINDOW_OPEN = "window_open"
WINDOW_CLOSED = "window_closed"


@dataclass(frozen=True)
class Clock:
    name: str
    label: str
    within: str
    start_event: str
    starts_on: dt.date
    due_on: dt.date
    done_on: dt.date | None
    state: str
    request: str = ""
    party: str = ""  # "request" or "agency" for a per-request clock: what ``request`` holds
    #: Why a step once done is open again (a letter's dispatch failed or came back), else "".
    reopened_reason: str = ""

    @property
    def start_words(self) -> str:
        return EVENT_WORDS.get(self.start_event, self.start_event.replace("_", " "))

    @property
    def is_window(self) -> bool:
        return self.state in (WINDOW_OPEN, WINDOW_CLOSED)

    @property
    def is_done(self) -> bool:
        return self.state in (DONE, DONE_LATE)

    @property
    def on_time(self) -> bool | None:
        return None if self.done_on is None else self.done_on <= self.due_on

    @property
    def is_outstanding(self) -> bool:
        """Still to do: pending, due today or overdue (not a window, not done)."""
        return self.state in (PENDING, DUE_TODAY, OVERDUE)

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def is_due_today(self) -> bool:
        return self.state == DUE_TODAY


def _state(*, due_on: dt.date, done_on: dt.date | None, today: dt.date, window: bool) -> str:
    if window:
        return WINDOW_OPEN if today <= due_on else WINDOW_CLOSED
    if done_on is not None:
        return DONE if done_on <= due_on else DONE_LATE
    if today == due_on:
        return DUE_TODAY
    return OVERDUE if today > due_on else PENDING


def _sort_key(event):
    return (event.occurred_on, event.at, event.pk or 0)


def _parties(deadline_name: str, start) -> list[tuple[str, str]]:
    """The separate clocks one starting event runs: one, or for an information request one per
    request (data["request"]) or per agency asked (data["agencies"], answered by data["agency"])."""
    data = start.data or {}
    if deadline_name not in PER_REQUEST:
        return [("", "")]
    if data.get("request") not in (None, ""):
        return [("request", str(data["request"]))]
    if data.get("agencies"):
        return [("agency", str(agency)) for agency in data["agencies"]]
    return [("", "")]


def _set_due_on(deadline_name: str, start) -> dt.date | None:
    """A due date the officer set on the request itself (the SPOC sets the agencies' timeframe)."""
    if deadline_name not in PER_REQUEST:
        return None
    try:
        return dt.date.fromisoformat(str((start.data or {}).get("due_on", "")))
    except ValueError:
        return None


def agency_names_for(events: Iterable) -> dict[str, str]:
    """Names of the agencies that information requests among ``events`` went to (one query)."""
    from casereview.accounts.models import Agency

    ids = {
        str(a)
        for e in events
        if e.kind == "information_requested"
        for a in (e.data or {}).get("agencies", [])
    }
    if not ids:
        return {}
    return {str(pk): name for pk, name in Agency.objects.filter(pk__in=ids).values_list("pk", "name")}


def _completion(events, start, completers, reopeners, field_name: str, value: str):
    """(the event that completes the step, the event that last re-opened it), from the events after
    ``start`` in order: a completion counts from the first completing event since the last
    re-opening one; a re-opening event after it undoes it."""
    done = reopened = None
    for e in events:
        if e.occurred_on < start.occurred_on or _sort_key(e) < _sort_key(start):
            continue
        if field_name and str((e.data or {}).get(field_name, "")) != value:
            continue
        if any(c.matches(e) for c in completers):
            if done is None:
                done = e
        elif any(r.matches(e) for r in reopeners):
            done = None
            reopened = e
    return done, reopened


def clocks_compute(
    *, policy, calendar, status: str, events: Iterable, today: dt.date, agency_names: dict | None = None
) -> list[Clock]:
    """The case's clocks, in policy order; only those whose starting event has happened and that are
    still relevant (a clock already done is always shown, as a record of being on time or late).

    ``events`` are the case's CaseEvents (anything with kind, data, occurred_on, at, pk).
    """
    events = sorted(events, key=_sort_key)
    clocks: list[Clock] = []
    for deadline in policy.deadlines:
        completers = COMPLETED_BY.get(deadline.name)
        if completers is None:  # a deadline this product does not track yet
            continue
        starts_if = STARTS_IF.get(deadline.name, lambda event: True)
        starts = [e for e in events if e.kind == deadline.from_event and starts_if(e)]
        if not starts:
            continue
        if deadline.name not in PER_REQUEST:
            starts = starts[-1:]  # a restart (e.g. accepted again after an appeal) replaces the clock
        window = not completers
        reopeners = REOPENED_BY.get(deadline.name, ())
        for start in starts:
            for field_name, value in _parties(deadline.name, start):
                done, reopened = _completion(events, start, completers, reopeners, field_name, value)
                done_on = done.occurred_on if done is not None else None
                if (
                    done_on is None
                    and not window
                    and status in RELEVANT_UNLESS.get(deadline.name, frozenset())
                ):
                    continue
                due_on = _set_due_on(deadline.name, start) or deadline.due_on(start.occurred_on, calendar)
                label = clock_label(deadline.name, party=field_name, request=value, agency_names=agency_names)
                clocks.append(
                    Clock(
                        name=deadline.name,
                        label=label,
                        within=str(deadline.within),
                        start_event=deadline.from_event,
                        starts_on=start.occurred_on,
                        due_on=due_on,
                        done_on=done_on,
                        state=_state(due_on=due_on, done_on=done_on, today=today, window=window),
                        request=value,
                        party=field_name,
                        reopened_reason=str((reopened.data or {}).get("reason", ""))
                        if reopened is not None and done is None
                        else "",
                    )
                )
    return clocks


def clock_label(name: str, *, party: str = "", request: str = "", agency_names: dict | None = None) -> str:
    """The clock's name for people: the step, and for a per-agency clock the agency asked."""
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    if party == "agency" and agency_names and request in agency_names:
        label = f"{label}: {agency_names[request]}"
    return label


def application_clocks(application, *, today: dt.date, events: Iterable | None = None) -> list[Clock]:
    """The clocks of one application on ``today``. Pass ``events`` when already loaded (lists)."""
    partnership = application.partnership
    events = list(application.events.all() if events is None else events)
    return clocks_compute(
        policy=partnership.policy,
        calendar=partnership.calendar,
        status=application.status,
        events=events,
        today=today,
        agency_names=agency_names_for(events),
    )


def next_due(clocks: Iterable[Clock]) -> Clock | None:
    """The outstanding clock that falls due first (overdue ones first of all), or None."""
    outstanding = [c for c in clocks if c.is_outstanding]
    return min(outstanding, key=lambda c: (c.due_on, c.name)) if outstanding else None


# --- Stored clocks (applications.models.CaseClock) ------------------------------------------------


def clock_state_on(*, due_on: dt.date, done_on: dt.date | None, window: bool, today: dt.date) -> str:
    """The state of a stored clock on ``today``: the one thing about a clock that depends on the day."""
    return _state(due_on=due_on, done_on=done_on, today=today, window=window)


def clock_from_row(row, *, today: dt.date, agency_names: dict | None = None) -> Clock:
    """A stored clock (anything with CaseClock's fields) as the Clock the pages show on ``today``."""
    return Clock(
        name=row.name,
        label=clock_label(row.name, party=row.party, request=row.request, agency_names=agency_names),
        within=row.within,
        start_event=row.start_event,
        starts_on=row.starts_on,
        due_on=row.due_on,
        done_on=row.done_on,
        state=clock_state_on(due_on=row.due_on, done_on=row.done_on, window=row.window, today=today),
        request=row.request,
        party=row.party,
    )


def clock_row_values(clock: Clock) -> dict:
    """What a CaseClock row stores of a computed clock: everything but the day-dependent state and
    the label (the label names an agency, read at display time so a renamed agency shows its name)."""
    return {
        "name": clock.name,
        "party": clock.party,
        "request": clock.request,
        "within": clock.within,
        "start_event": clock.start_event,
        "starts_on": clock.starts_on,
        "due_on": clock.due_on,
        "done_on": clock.done_on,
        "window": clock.is_window,
    }


def next_due_on(clocks: Iterable[Clock]) -> dt.date | None:
    """The earliest due date of the outstanding clocks (not done, not a window), whatever the day."""
    dates = [c.due_on for c in clocks if not c.is_window and c.done_on is None]
    return min(dates) if dates else None
