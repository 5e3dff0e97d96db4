"""Demo interventions: in each partnership, a person on the Early Intervention Scheme's ladder (a
warning letter, support offered, a CPW, a CPN) and a cuckooed address with a 24-hour closure notice
served yesterday, whose hearing deadline is near. Idempotent: keyed on the intervention's summary."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Partnership, User

from . import services
from .models import Intervention

PERSON_SUMMARY = "Demo: intimidating neighbours and shouting in the stairwell at night."
PREMISES_SUMMARY = "Demo: a cuckooed flat; visitors at all hours and drug dealing reported."


def load(stdout) -> None:
    from casereview.people.services import PersonData, PlaceData, person_create, place_create

    today = timezone.localdate()
    made = 0
    for partnership in Partnership.objects.order_by("slug"):
        csm = User.objects.filter(username=f"{partnership.reference_prefix.lower()}-csm").first()
        council = partnership.agencies.filter(kind="council").order_by("id").first()
        if csm is None or council is None:
            continue
        if Intervention.objects.filter(partnership=partnership, summary=PERSON_SUMMARY).exists():
            continue
        nation = "wales" if partnership.slug == "cardiff" else "england"
        person = person_create(
            partnership=partnership,
            data=PersonData(
                full_name="Riley Demo-Subject", date_of_birth=today.replace(year=today.year - 24)
            ),
            actor=csm,
        )
        intervention = services.intervention_open(
            partnership=partnership,
            lead_agency=council,
            officer=csm,
            opened_on=today - dt.timedelta(days=90),
            summary=PERSON_SUMMARY,
            person=person,
            nation=nation,
            actor=csm,
        )

        def step(kind, days_ago, intervention=intervention, council=council, csm=csm, **extra):
            return services.step_record(
                intervention=intervention,
                data=services.StepData(
                    kind=kind,
                    issuing_agency=council,
                    served_on=today - dt.timedelta(days=days_ago),
                    how_served="in_person",
                    prohibitions="Do not shout or bang doors in the shared stairwell.",
                    **extra,
                ),
                actor=csm,
            )

        step("warning_letter", 85)
        services.referral_offer(
            intervention=intervention,
            service="drug_alcohol",
            offered_on=today - dt.timedelta(days=85),
            actor=csm,
        )
        step("cpw", 60, comply_by=today - dt.timedelta(days=46))
        step("cpn", 40, requirements="Attend the mediation service's first meeting.")

        place = place_create(
            partnership=partnership, data=PlaceData(address="Flat 7, 1 Demo Court"), actor=csm
        )
        closure = services.intervention_open(
            partnership=partnership,
            lead_agency=council,
            officer=csm,
            opened_on=today - dt.timedelta(days=3),
            summary=PREMISES_SUMMARY,
            premises=place,
            nation=nation,
            actor=csm,
        )
        services.step_record(
            intervention=closure,
            data=services.StepData(
                kind="closure_notice",
                issuing_agency=council,
                served_on=today,
                how_served="affixed",
                served_at=timezone.now() - dt.timedelta(hours=38),
                duration_hours=24,
                prohibitions="No one may enter the premises except those who live there.",
                duties=["occupants_informed", "appropriate_consulted"],
            ),
            actor=csm,
        )
        made += 2
    stdout.write(f"Interventions: {made} demo interventions created.")
