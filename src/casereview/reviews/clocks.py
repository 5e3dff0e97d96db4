"""The review's clocks, as the review pages show them: each step's due date from the local
policy's deadlines, run from the day of the case event that starts it, and when it was done.

The case page's own clocks (applications) are built from the same events; this is the review
pages' view of the steps they own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from casereview.applications.selectors import Application


@dataclass(frozen=True)
class Clock:
    label: str
    due_on: dt.date | None
    done_on: dt.date | None
    started: bool

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.done_on is None and timezone.localdate() > self.due_on

    @property
    def late(self) -> bool:
        return self.due_on is not None and self.done_on is not None and self.done_on > self.due_on


def _first(events: dict[str, list[dt.date]], kind: str) -> dt.date | None:
    days = events.get(kind)
    return min(days) if days else None


def _last(events: dict[str, list[dt.date]], kind: str) -> dt.date | None:
    days = events.get(kind)
    return max(days) if days else None


def _letter_on(application: Application, kind: str) -> dt.date | None:
    letters = getattr(application, "letters", None)
    if letters is None:
        return None
    return letters.filter(kind=kind).order_by("issued_on").values_list("issued_on", flat=True).first()


def review_clocks(application: Application) -> list[Clock]:
    policy = application.partnership.policy
    events: dict[str, list[dt.date]] = {}
    for kind, day in application.events.values_list("kind", "occurred_on"):
        events.setdefault(kind, []).append(day)

    def clock(label, deadline, start_kind, done_on, start_on=None):
        start = start_on or _first(events, start_kind)
        due = policy.due_on(deadline, start) if start else None
        return Clock(label=label, due_on=due, done_on=done_on, started=start is not None)

    spoc_on = _first(events, "spoc_appointed")
    clocks = [
        clock("Appoint the SPOC", "spoc_appointment", "acknowledged", spoc_on),
        clock(
            "Send the next-steps letter",
            "spoc_appointment",
            "acknowledged",
            _letter_on(application, "next_steps"),
        ),
        clock("Contact the victim", "victim_contact", "spoc_appointed", _first(events, "victim_contacted")),
    ]
    if "victim_unreachable" in events:
        clocks.append(
            clock(
                "Send the closure letter",
                "unreachable_letter",
                "victim_unreachable",
                _letter_on(application, "unreachable_closure"),
            )
        )
    held = _last(events, "panel_held")
    if held:
        clocks.append(
            clock(
                "Circulate minutes and action plan",
                "minutes_circulated",
                "panel_held",
                _last(events, "minutes_circulated")
                if (_last(events, "minutes_circulated") or dt.date.min) >= held
                else None,
                start_on=held,
            )
        )
        outcome = _letter_on(application, "outcome")
        clocks.append(
            clock("Send the outcome letter", "outcome_letter", "panel_held", outcome, start_on=held)
        )
    if policy.deadline("review_response") is not None and "accepted" in events:
        clocks.append(
            clock(
                "Full response to the victim",
                "review_response",
                "accepted",
                _letter_on(application, "outcome"),
            )
        )
    return clocks
