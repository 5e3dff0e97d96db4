import datetime as dt

import pytest

from casereview.accounts.models import Partnership
from casereview.apply.selectors import (
    acknowledgement_due_on,
    acknowledgement_period,
    area_question,
    partnerships_covering_postcode,
    postcode_normalise,
)


@pytest.mark.django_db
def test_postcodes_choose_the_area_from_each_policy(areas):
    assert area_question() == "postcode"
    assert [p.slug for p in partnerships_covering_postcode("NN1 1ED")] == ["west-northamptonshire"]
    assert [p.slug for p in partnerships_covering_postcode("N1 2UD")] == ["islington"]
    # N19 is Islington's, but N1 must not match N19 nor NN1 match NN12 by string prefix.
    assert [p.slug for p in partnerships_covering_postcode("N19 3AB")] == ["islington"]
    assert partnerships_covering_postcode("SW1A 1AA") == []


@pytest.mark.django_db
def test_one_partnership_means_no_area_question(areas):
    for other in Partnership.objects.exclude(slug="west-northamptonshire"):  # Islington, Cardiff
        other.agencies.all().delete()
        other.delete()
    assert area_question() is None


@pytest.mark.django_db
def test_a_partnership_without_postcodes_means_a_choice_of_areas(areas):
    # A council's own policy without a [postcodes] section.
    from casereview.core.policy import PRESETS  # noqa: F401 - the core is installed

    islington = Partnership.objects.get(slug="islington")
    islington.policy_ref = "statutory"
    islington.save()
    assert area_question() == "choice"


@pytest.mark.django_db
def test_acknowledgement_is_due_in_working_days_skipping_bank_holidays(areas):
    wn = Partnership.objects.get(slug="west-northamptonshire")
    assert acknowledgement_period(wn) == "5 working days"
    # Wednesday 18 March 2026: five working days later is Wednesday 25 March.
    assert acknowledgement_due_on(wn, dt.date(2026, 3, 18)) == dt.date(2026, 3, 25)
    # Thursday 2 April 2026: Good Friday 3 and Easter Monday 6 April are bank holidays.
    assert acknowledgement_due_on(wn, dt.date(2026, 4, 2)) == dt.date(2026, 4, 13)


def test_postcodes_are_normalised():
    assert postcode_normalise(" nn11ed ") == "NN1 1ED"
    assert postcode_normalise("ec1v 9aa") == "EC1V 9AA"
