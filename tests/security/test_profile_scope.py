"""Who opens a person's profile (people.selectors.people_visible_to, docs/access.md): an agency
officer opens the profiles of the people in the cases their agency may see — of every kind. The
agency that referred someone to a standing panel is party to the referral's case, so its officers
open the profile of the person (and of each household member) it referred; an agency not on that
case does not, and its officers get the same "page not found" as for a profile that does not exist."""

from __future__ import annotations

import pytest

from casereview.people.selectors import people_visible_to, places_visible_to
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def islington(demo):
    return demo.partnership("islington")


def test_the_referring_agency_opens_the_profile_of_the_person_it_referred(demo, islington, client):
    cmarac = islington.policy.panel_kind("cmarac")
    referral = refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    person = referral.person
    housing, health = demo.user("is-housing"), demo.user("is-health")

    assert people_visible_to(housing).filter(pk=person.pk).exists()
    client.force_login(housing)
    assert client.get(f"/people/{person.pk}/").status_code == 200

    # Another agency, not on the referral's case: as if there were no such profile.
    assert not people_visible_to(health).filter(pk=person.pk).exists()
    client.force_login(health)
    missing = client.get("/people/987654321/")
    refused = client.get(f"/people/{person.pk}/")
    assert refused.status_code == missing.status_code == 404


def test_a_referred_households_members_and_their_home_are_opened_by_the_referrer_only(demo, islington):
    from casereview.referrals import services

    referral = services.referral_make(
        partnership=islington,
        kind=islington.policy.panel_kind("cmarac"),
        data=services.ReferralData(
            summary="A family targeted by neighbours.",
            consent="given",
            vulnerabilities=["mental_health"],
            risk_answers={"harm_to_self": True, "harm_from_others": True},
            asb_reports=4,
            subject_kind="household",
            household_names=["Ada Household", "Ben Household"],
            address="Flat 4, 20 Holloway Road",
            postcode="N7 8JL",
        ),
        actor=demo.user("is-police"),
    )
    members = set(referral.household.values_list("pk", flat=True))
    assert len(members) == 2
    police, health = demo.user("is-police"), demo.user("is-health")
    assert set(people_visible_to(police).filter(pk__in=members).values_list("pk", flat=True)) == members
    assert places_visible_to(police).filter(pk=referral.place_id).exists()
    assert not people_visible_to(health).filter(pk__in=members).exists()
    assert not places_visible_to(health).filter(pk=referral.place_id).exists()
