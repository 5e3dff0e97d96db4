"""Demo repeat application: the victim of the applications demo's declined case applies again
(a new application, the same name and email, the same street), recognised and linked as a repeat,
with its material change assessment recorded. Idempotent: keyed on the new application's summary."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Partnership, User
from casereview.applications.demo import DEMO_DOMAIN, THREE_GOOD, _incidents
from casereview.applications.models import Application, Channel, Person

from .selectors import repeat_candidates
from .services import material_change_assess, repeat_confirm

SUMMARY = "Applying again: the dog barking has started again and now the neighbour shouts at my children."


def load(stdout) -> None:
    from casereview.applications.services import application_create

    today = timezone.localdate()
    created = 0
    for partnership in Partnership.objects.order_by("slug"):
        earlier = Application.objects.filter(
            partnership=partnership, victim__email=f"declined@{DEMO_DOMAIN}"
        ).first()
        csm = User.objects.filter(username=f"{partnership.reference_prefix.lower()}-csm").first()
        if (
            earlier is None
            or csm is None
            or Application.objects.filter(partnership=partnership, summary=SUMMARY).exists()
        ):
            continue
        victim = earlier.victim
        received = today - dt.timedelta(days=2)
        application = application_create(
            partnership=partnership,
            channel=Channel.EMAIL,
            received_on=received,
            victim=Person(
                full_name=victim.full_name,
                address=victim.address,
                postcode=victim.postcode,
                email=victim.email,
                phone=victim.phone,
            ),
            summary=SUMMARY,
            location=earlier.location,
            incidents=_incidents(partnership, received, THREE_GOOD),
            actor=csm,
        )
        if any(c.application.pk == earlier.pk for c in repeat_candidates(application)):
            application = repeat_confirm(application=application, previous=earlier, actor=csm)
            material_change_assess(
                application=application,
                actor=csm,
                material_change=True,
                what_changed="Three new incidents since the last decision, reported within days, and the "
                "victim's children are now targeted.",
                decision="consider",
                reasons="A material change of circumstances: the application is considered on its merits.",
                assessed_on=today,
            )
        created += 1
    stdout.write(f"Demo repeat applications: {created} created.")
