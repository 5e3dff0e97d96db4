"""Reads of the access log, for the data protection officer: "who saw this person's record, and why"."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from casereview.applications.models import AllegedPerpetrator, Application, Person

from .models import AccessEvent


def access_events_for_partnership(partnership) -> QuerySet[AccessEvent]:
    """Events by the partnership's staff, and events about its cases by anyone (an attempt from
    another partnership on one of its references included)."""
    references = Application.objects.filter(partnership=partnership).values("reference")
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
        # A person's record is read through the cases they are in, and directly (a subject access
        # export, a page about them): both count.
        people = Person.objects.filter(partnership=partnership).filter(
            Q(full_name__icontains=person) | Q(organisation_name__icontains=person)
        )
        cases = Application.objects.filter(partnership=partnership).filter(
            Q(victim__in=people) | Q(applicant__in=people)
        )
        perpetrator_cases = AllegedPerpetrator.objects.filter(
            application__partnership=partnership, name__icontains=person
        ).values("application__reference")
        events = events.filter(
            Q(case_reference__in=cases.values("reference"))
            | Q(case_reference__in=perpetrator_cases)
            | Q(
                object_type="applications.person",
                object_id__in=[str(p) for p in people.values_list("pk", flat=True)],
            )
        )
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
