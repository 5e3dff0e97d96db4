"""Reads of the access log, for the data protection officer: "who saw this person's record, and why".

The log names a case by its reference and a person's record by its id; which cases are a
partnership's, and which rows are about a person, only the case app knows. It says so at ready()
(`register_case_lookup`, in applications/apps.py), so the access log, which every app writes to,
imports none of them (ADR 0037).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q, QuerySet

from .models import AccessEvent

_case_lookup: dict[str, Callable] = {}


def register_case_lookup(*, references_of_partnership: Callable, events_about_person: Callable) -> None:
    """`references_of_partnership(partnership)`: a query of its case references;
    `events_about_person(partnership=, person=)`: a Q for this log's rows about the people of the
    partnership whose name contains `person` (the cases they are in, and their own records)."""
    _case_lookup["references_of_partnership"] = references_of_partnership
    _case_lookup["events_about_person"] = events_about_person


def access_events_for_partnership(partnership) -> QuerySet[AccessEvent]:
    """Events by the partnership's staff, and events about its cases by anyone (an attempt from
    another partnership on one of its references included)."""
    references = _case_lookup["references_of_partnership"](partnership)
    return AccessEvent.objects.filter(Q(partnership_slug=partnership.slug) | Q(case_reference__in=references))


def access_events_search(
    *,
    partnership,
    person: str = "",
    user: str = "",
    reference: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessEvent]:
    events = access_events_for_partnership(partnership)
    if person:
        events = events.filter(_case_lookup["events_about_person"](partnership=partnership, person=person))
    if user:
        events = events.filter(actor_username__icontains=user)
    if reference:
        events = events.filter(case_reference__iexact=reference.strip())
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-id")
