"""Reads of the cuckooing address tracker. Who may see it is decided here and nowhere else: the
partnership's policy names the panel that keeps the tracker (`keeps_address_tracker`), and only
officers of the agencies on that panel (by kind), or holding one of its member roles, see any of
it. Anyone else gets a 404 — the tracker's existence at an address is itself sensitive (it says a
vulnerable person's home has been taken over)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from casereview.audit.services import audit_read
from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import PanelKind
from casereview.core.tracker import a_year_before, counts_on, counts_over_time
from casereview.interventions.selectors import closures_at_place, places_with_closure_in_force

from .models import EventKind, TrackedAddress, TrackerEvent

PAGE_SIZE = 25


def _signed_in(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.partnership_id is None:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and not is_verified())


def tracker_panel(partnership) -> PanelKind | None:
    """The panel that keeps the tracker under the partnership's policy, or None."""
    try:
        return partnership.policy.address_tracker_panel
    except PolicyError:
        return None


def may_use_tracker(user) -> bool:
    """Whether ``user`` sits on the tracker's panel (their agency's kind, or a member role)."""
    if not _signed_in(user) or not user.roles:
        return False
    panel = tracker_panel(user.partnership)
    if panel is None:
        return False
    agency = user.agency
    return panel.is_member(agency_kind=agency.kind if agency else None, roles=user.roles)


def entries_visible_to(user) -> QuerySet[TrackedAddress]:
    if not may_use_tracker(user):
        return TrackedAddress.objects.none()
    return TrackedAddress.objects.filter(partnership_id=user.partnership_id)


def entries_list(user, *, status: str = "", ward: str = "") -> QuerySet[TrackedAddress]:
    entries = entries_visible_to(user).select_related("place", "occupant")
    if status:
        entries = entries.filter(status=status)
    if ward:
        entries = entries.filter(place__ward__iexact=ward.strip())
    return entries.order_by("place__address", "id")


def wards_of(user) -> list[str]:
    return sorted({w for w in entries_visible_to(user).values_list("place__ward", flat=True).distinct() if w})


def entry_get_for_user(user, pk: int, *, purpose: str = "Cuckooing tracker entry") -> TrackedAddress:
    """One entry, or 404 when it does not exist or the user may not see it: the same answer.
    Every read is in the access log."""
    entry = entries_visible_to(user).select_related("place", "occupant", "owner").filter(pk=pk).first()
    if entry is None:
        raise Http404("No such address on the tracker")
    audit_read(user=user, obj=entry, purpose=purpose)
    return entry


def entry_closures(user, entry: TrackedAddress, *, now=None) -> list:
    """The closure notices and orders recorded for the entry's place through the interventions app,
    which owns them (interventions.selectors.closures_at_place): dates, status, the hearing deadline."""
    return closures_at_place(user, entry.place, now=now)


def closure_in_force_on(user, entries, *, now=None) -> set[int]:
    """The ids of the places among `entries` with a closure notice or order in force now."""
    return places_with_closure_in_force(user.partnership_id, [e.place_id for e in entries], now=now)


def entry_timeline(entry: TrackedAddress) -> list[TrackerEvent]:
    return list(entry.events.select_related("actor", "agency", "report").order_by("occurred_on", "id"))


def entry_visits_and_warrants(entry: TrackedAddress) -> list[TrackerEvent]:
    return [e for e in entry_timeline(entry) if e.kind in (EventKind.VISIT, EventKind.WARRANT)]


def status_histories(partnership_id: int) -> dict[int, list[tuple[dt.date, str]]]:
    """Each entry's status changes, (date, new status), in the order made."""
    histories: dict[int, list[tuple[dt.date, str]]] = {}
    rows = (
        TrackerEvent.objects.filter(entry__partnership_id=partnership_id)
        .exclude(to_status="")
        .order_by("occurred_on", "id")
        .values_list("entry_id", "occurred_on", "to_status")
    )
    for entry_id, occurred_on, to_status in rows:
        histories.setdefault(entry_id, []).append((occurred_on, to_status))
    return histories


def tracker_figures(partnership_id: int, today: dt.date, months: int = 12) -> dict:
    """The counts the seeds publish ("38 addresses, down from 90 a year ago"), derived from the
    status history: each month end of the last year, today, and the same day a year ago."""
    histories = status_histories(partnership_id)
    year_ago = a_year_before(today)
    now = counts_on(histories.values(), today)
    then = counts_on(histories.values(), year_ago)
    return {
        "today": today,
        "year_ago": year_ago,
        "now": now,
        "then": then,
        "now_on_tracker": now["open"] + now["monitoring"],
        "then_on_tracker": then["open"] + then["monitoring"],
        "months": counts_over_time(histories, today, months),
    }
