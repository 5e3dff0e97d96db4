"""Retention of interventions (docs/interventions.md, "Data protection").

A closed intervention whose last timeline event is older than the schedule's years
(`interventions`, the case schedule's years by default) is deleted with its steps, support
referrals, breach flags and timeline; the access log's rows about it are scrubbed and the disposal
register gets one line. Open interventions are kept. The people run keeps a profile while an
intervention is about it, so the profile becomes due on a later run.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from casereview.applications.services import cases_of_kind_delete
from casereview.core.case_kinds import INTERVENTION
from casereview.letters.services import letter_files_remove, letters_of_cases_delete

from .models import Intervention, Status

BATCH = 500


def years() -> int:
    overrides = getattr(settings, "CASEREVIEW_RETENTION_SCHEDULE", {})
    return overrides.get("interventions", settings.CASEREVIEW_RETENTION_YEARS)


def _cutoff(today: dt.date) -> dt.datetime:
    from django.utils import timezone

    from casereview.privacy.retention import add_years

    return timezone.make_aware(dt.datetime.combine(add_years(today, -years()), dt.time.max))


def due(*, today: dt.date, partnership=None):
    rows = (
        Intervention.objects.filter(status=Status.CLOSED)
        .annotate(last_event=Max("events__at"))
        .filter(last_event__lte=_cutoff(today))
    )
    return rows.filter(partnership=partnership) if partnership is not None else rows


def _reason(today: dt.date) -> str:
    return (
        f"closed interventions with nothing recorded for {years()} years "
        f"(on or before {_cutoff(today):%-d %B %Y})"
    )


def planned_line(*, today: dt.date, partnership=None) -> str:
    count = due(today=today, partnership=partnership).count()
    return f"{count:,} intervention(s): {_reason(today)}" if count else ""


def disposed_line(*, today: dt.date, partnership=None, actor_name: str) -> str:
    from casereview.audit.services import access_events_scrub
    from casereview.privacy.deletion_log import deletion_log_record

    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                due(today=today, partnership=partnership).order_by("pk").values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            # Their own cases on the kernel (ADR 0066) go with them: the documents served (and
            # their files, once committed), the case's events, agencies and parties.
            case_ids = list(
                Intervention.objects.filter(pk__in=ids, casework__isnull=False).values_list(
                    "casework_id", flat=True
                )
            )
            Intervention.objects.filter(pk__in=ids).delete()
            files = letters_of_cases_delete(case_ids=case_ids)
            cases_of_kind_delete(kind=INTERVENTION, case_ids=case_ids)
            transaction.on_commit(lambda files=files: letter_files_remove(files))
            access_events_scrub(object_type="interventions.intervention", object_ids=ids)
            deletion_log_record(model_label="interventions.Intervention", pks=ids, reason=_reason(today))
            deleted += len(ids)
    return f"{deleted:,} intervention(s) deleted" if deleted else ""
