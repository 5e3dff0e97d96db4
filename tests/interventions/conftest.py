import datetime as dt

import pytest

from casereview.interventions import services
from casereview.people.services import PersonData, PlaceData, person_create, place_create


@pytest.fixture
def world(demo):
    partnership = demo.partnership()
    council = demo.agency(partnership.slug, "council")
    police = demo.agency(partnership.slug, "police")
    csm = demo.user("wn-csm")
    teen = person_create(
        partnership=partnership,
        data=PersonData(full_name="Sam Young", date_of_birth=dt.date(2011, 5, 1)),
        actor=csm,
    )
    adult = person_create(
        partnership=partnership,
        data=PersonData(full_name="Lee Adult", date_of_birth=dt.date(1990, 1, 1)),
        actor=csm,
    )
    flat = place_create(
        partnership=partnership, data=PlaceData(address="Flat 3, 9 Mill Lane", uprn="100031234567"), actor=csm
    )

    class World:
        pass

    w = World()
    w.partnership, w.council, w.police, w.csm, w.teen, w.adult, w.flat = (
        partnership,
        council,
        police,
        csm,
        teen,
        adult,
        flat,
    )
    w.police_user = demo.user("wn-police")

    def open_for(person=None, premises=None, opened_on=dt.date(2026, 1, 5)):
        return services.intervention_open(
            partnership=partnership,
            lead_agency=council,
            officer=csm,
            opened_on=opened_on,
            summary="Intimidating neighbours",
            person=person,
            premises=premises,
            actor=csm,
        )

    w.open_for = open_for
    return w
