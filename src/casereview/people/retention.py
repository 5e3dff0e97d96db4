"""Retention of people and places (docs/data-protection.md, "People and places").

A profile is kept while anything kept refers to it: a case party linked to it, a report whose
caller or location it is, an access request naming it. Deleting those records under their own
schedules (cases six years after closure, reports six years after they were made) deletes their
links with them (on_delete CASCADE). A person or place that no longer appears in any case or
report and has not been changed for the schedule's years (`people_profile`, the case schedule's
years by default) is then deleted with its identifiers and its links to other people and places;
the access log's rows about it are scrubbed, and the disposal register gets one line per kind.
A merged duplicate goes with the record it was merged into (its merge record is deleted too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from .models import CaseAccessRequest, Merge, Person, Place

BATCH = 1000


def years() -> int:
    overrides = getattr(settings, "CASEREVIEW_RETENTION_SCHEDULE", {})
    return overrides.get("people_profile", settings.CASEREVIEW_RETENTION_YEARS)


def _cutoff(today: dt.date) -> dt.datetime:
    from django.utils import timezone

    from casereview.privacy.retention import add_years

    day = add_years(today, -years())
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def people_due(*, today: dt.date, partnership=None):
    requested = CaseAccessRequest.objects.filter(person__isnull=False).values("person_id")
    rows = Person.objects.filter(
        merged_into__isnull=True,
        updated_at__lte=_cutoff(today),
        case_party_links__isnull=True,
        report_links__isnull=True,
        # An intervention (the interventions app, above this one) keeps its subject: its records
        # go under their own schedule, and the profile with them (PROTECT would stop the run).
        interventions__isnull=True,
    ).exclude(pk__in=requested)
    # A duplicate merged into it must not hold anything kept either.
    rows = rows.exclude(
        Q(merged_duplicates__case_party_links__isnull=False)
        | Q(merged_duplicates__report_links__isnull=False)
    )
    return rows.filter(partnership=partnership) if partnership is not None else rows


def places_due(*, today: dt.date, partnership=None):
    rows = Place.objects.filter(
        merged_into__isnull=True,
        updated_at__lte=_cutoff(today),
        report_links__isnull=True,
        interventions__isnull=True,  # premises under an intervention are kept with it
    )
    # A place is kept while a kept person is linked to it.
    rows = rows.exclude(
        person_links__person__in=Person.objects.exclude(pk__in=people_due(today=today).values("pk"))
    )
    rows = rows.exclude(merged_duplicates__report_links__isnull=False)
    return rows.filter(partnership=partnership) if partnership is not None else rows


@dataclass
class ProfilesDue:
    people: int
    places: int
    reason: str


def plan(*, today: dt.date, partnership=None) -> ProfilesDue:
    people = people_due(today=today, partnership=partnership).distinct().count()
    places = places_due(today=today, partnership=partnership).distinct().count()
    reason = (
        f"people and places in no kept case or report and unchanged for {years()} years "
        f"(on or before {_cutoff(today):%-d %B %Y}), with their identifiers and links"
    )
    return ProfilesDue(people=people, places=places, reason=reason)


def dispose(*, today: dt.date, partnership=None, actor_name: str = "retention schedule") -> tuple[int, int]:
    """Delete the people and places due, in batches, each batch one transaction."""
    from casereview.audit.services import access_events_scrub
    from casereview.privacy.deletion_log import deletion_log_record

    reason = plan(today=today, partnership=partnership).reason
    counts = []
    for kind, due, model in (
        ("person", people_due, Person),
        ("place", places_due, Place),
    ):
        deleted = 0
        while True:
            with transaction.atomic():
                ids = list(
                    due(today=today, partnership=partnership)
                    .distinct()
                    .order_by("pk")
                    .values_list("pk", flat=True)[:BATCH]
                )
                if not ids:
                    break
                duplicates = list(model.objects.filter(merged_into__in=ids).values_list("pk", flat=True))
                Merge.objects.filter(kind=kind, kept_id__in=ids).delete()
                model.objects.filter(pk__in=duplicates).delete()
                model.objects.filter(pk__in=ids).delete()
                label = f"people.{model.__name__.lower()}"
                access_events_scrub(object_type=label, object_ids=ids + duplicates)
                deletion_log_record(
                    model_label=f"people.{model.__name__}", pks=ids + duplicates, reason=reason
                )
                deleted += len(ids) + len(duplicates)
        counts.append(deleted)
    return counts[0], counts[1]


def planned_line(*, today: dt.date, partnership=None) -> str:
    """The dry run's line for `casereview retention` (privacy.retention.register_schedule)."""
    profiles = plan(today=today, partnership=partnership)
    if not (profiles.people or profiles.places):
        return ""
    return f"{profiles.people:,} person profile(s) and {profiles.places:,} place(s): {profiles.reason}"


def disposed_line(*, today: dt.date, partnership=None, actor_name: str) -> str:
    people_deleted, places_deleted = dispose(today=today, partnership=partnership, actor_name=actor_name)
    if not (people_deleted or places_deleted):
        return ""
    return f"{people_deleted:,} person profile(s) and {places_deleted:,} place(s) deleted"
