"""Building reports for the tests through the real services and imports."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from casereview.accounts.models import Agency, AgencyKind, Partnership
from casereview.reports.models import Precision, Report, ReportSource
from casereview.reports.services import daily_counts_add


def agency(partnership: Partnership, kind: str = AgencyKind.COUNCIL) -> Agency:
    return Agency.objects.filter(partnership=partnership, kind=kind).order_by("id").first()


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


_counter = {"n": 0}


def make_report(
    partnership: Partnership,
    *,
    day: dt.date,
    location: str = "Bemerton Estate",
    caller: str = "",
    channel: str = "asb_line",
    kind: str = AgencyKind.COUNCIL,
    month_only: bool = False,
    hate: bool = False,
    category: str = "noise",
    hour: int = 12,
) -> Report:
    """A report saved directly (fast, for rule tests), counted into the daily counts the way every
    write does (services.daily_counts_add, same transaction); the services have their own tests."""
    _counter["n"] += 1
    owner = agency(partnership, kind)
    with transaction.atomic():
        report = Report.objects.create(
            partnership=partnership,
            agency=owner,
            agency_kind=owner.kind,
            agency_reference=f"T-{_counter['n']}",
            occurred_on=day.replace(day=1) if month_only else day,
            reported_at=None if month_only else at(day, hour),
            reported_on=day.replace(day=1) if month_only else day,
            date_precision=Precision.MONTH if month_only else Precision.DAY,
            channel=channel,
            category=category,
            location=location,
            caller=caller,
            hate=hate,
            source=ReportSource.RECORDED,
        )
        daily_counts_add(partnership_id=partnership.id, reports=[report])
    return report


def generate_reports(
    partnership: Partnership, *, seed: int, n: int, start: dt.date, days: int
) -> list[Report]:
    """Random reports with skewed locations and callers, some month-only, several channels and
    agency kinds: enough to make hotspots and repeat callers appear."""
    rng = random.Random(seed)
    locations = [f"Location {i}" for i in range(12)]
    callers = [""] + [f"0770090{i:04d}" for i in range(8)]
    channels = ["out_of_hours_line", "asb_line", "police_101", "online"]
    kinds = [AgencyKind.POLICE, AgencyKind.COUNCIL, AgencyKind.HOUSING]
    made = []
    for _ in range(n):
        made.append(
            make_report(
                partnership,
                day=start + dt.timedelta(days=rng.randrange(days)),
                location=locations[min(int(rng.paretovariate(1.2)) - 1, len(locations) - 1)],
                caller=callers[min(int(rng.paretovariate(0.9)) - 1, len(callers) - 1)],
                channel=rng.choice(channels),
                kind=rng.choice(kinds),
                month_only=rng.random() < 0.1,
            )
        )
    return made
