"""Small helpers that build real records through the services, for tests."""

from __future__ import annotations

import datetime as dt

from casereview.accounts.models import Agency, Partnership, User
from casereview.applications.models import Person
from casereview.applications.services import IncidentData, ReportData, application_create


class DemoWorld:
    """Handy access to the demo partnerships and users loaded by the `demo` fixture."""

    def partnership(self, slug: str = "west-northamptonshire") -> Partnership:
        return Partnership.objects.get(slug=slug)

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def agency(self, slug: str, kind: str) -> Agency:
        return Agency.objects.filter(partnership__slug=slug, kind=kind).order_by("id").first()


def make_application(
    partnership: Partnership,
    *,
    received_on: dt.date = dt.date(2025, 4, 15),
    incidents: list[tuple[dt.date, str, dt.date]] | None = None,
    victim_name: str = "Jo Bloggs",
    channel: str = "online",
    actor=None,
    **extra,
):
    """An application with incidents given as (occurred_on, agency_kind, reported_on)."""
    if incidents is None:
        incidents = [
            (dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12)),
            (dt.date(2025, 2, 2), "council", dt.date(2025, 2, 3)),
            (dt.date(2025, 3, 1), "housing", dt.date(2025, 3, 20)),
        ]
    agencies = {a.kind: a for a in partnership.agencies.all()}
    return application_create(
        partnership=partnership,
        channel=channel,
        received_on=received_on,
        victim=Person(
            full_name=victim_name, email="jo@example.com", address="1 High Street", postcode="NN1 1AA"
        ),
        incidents=[
            IncidentData(
                occurred_on=occurred,
                description=f"Noise and shouting on {occurred:%d %B}",
                reports=[ReportData(agency_kind=kind, agency=agencies.get(kind), reported_on=reported)],
            )
            for occurred, kind, reported in incidents
        ],
        actor=actor,
        **extra,
    )
