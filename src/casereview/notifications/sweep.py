"""What `casereview sweep` sends: each part of the product registers, at ready(), the kind of message
of its own that falls due, so the sweep imports none of those parts (ADR 0037):

    from casereview.notifications.sweep import register
    register("escalation", order=10, due=escalations_due, send=actions_escalate,
             describe=lambda planned: f"would escalate action {planned.action.pk} …")

`due(today=)` lists what is owed and not yet sent (the dry run); `send(today=)` sends each once and
returns {"sent": n, "skipped": n}; `describe(planned)` is the dry run's line for one of them. The
name counts them in the sweep's summary ("2 escalation(s) sent"); `order` is the order they run in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SweepStep:
    name: str
    due: Callable
    send: Callable
    describe: Callable
    order: int


_steps: dict[str, SweepStep] = {}


def register(name: str, *, due: Callable, send: Callable, describe: Callable, order: int = 50) -> None:
    _steps[name] = SweepStep(name=name, due=due, send=send, describe=describe, order=order)


def sweep_steps() -> list[SweepStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))
