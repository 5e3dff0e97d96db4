"""What other parts of the product do when reports arrive in the log (ADR 0037: upper apps
register, the report log never imports them).

Every path that adds reports — a report recorded by staff (`services.report_record`) and an import
of a partner's or police.uk's file (`imports`) — calls `reports_arrived` with the new reports, in
the same transaction that writes them: a hook that fails undoes the whole write, so a report is
never in the log without what it causes (the cuckooing tracker re-opening an archived address).
A hook receives a batch (an import brings thousands): it must look up what it needs once per
batch, not once per report. The batch is a sequence of stored reports; after a COPY (imports on
PostgreSQL, ADR 0080) it is read back from the database, in one query, only when a hook first
looks at it, so a hook that finds nothing to do (no archived address) should decide that first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

ReportsHook = Callable[..., None]

_HOOKS: dict[str, ReportsHook] = {}


def register_reports_arrived(name: str, hook: ReportsHook) -> None:
    """Call ``hook(partnership_id=…, reports=[…], actor=…)`` whenever reports arrive. Registering the
    same name again replaces the hook (ready() can run twice in tests)."""
    _HOOKS[name] = hook


def reports_arrived(*, partnership_id: int, reports: Sequence, actor=None) -> None:
    if not reports:
        return
    for hook in list(_HOOKS.values()):
        hook(partnership_id=partnership_id, reports=reports, actor=actor)
