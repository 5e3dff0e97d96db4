import pytest
from django.http import Http404

from casereview.applications.selectors import application_get_for_user, applications_visible_to
from tests.factories import make_application


@pytest.mark.django_db
def test_agency_officer_sees_only_cases_their_agency_is_party_to(demo):
    wn = demo.partnership("west-northamptonshire")
    with_police = make_application(wn)
    without_police = make_application(
        wn,
        incidents=[
            (__import__("datetime").date(2025, 3, 1), "council", __import__("datetime").date(2025, 3, 2))
        ],
    )
    officer = demo.user("wn-police")
    visible = set(applications_visible_to(officer))
    assert with_police in visible
    assert without_police not in visible
    with pytest.raises(Http404):
        application_get_for_user(officer, without_police.reference)


@pytest.mark.django_db
def test_staff_never_see_another_partnerships_cases(demo):
    case = make_application(demo.partnership("west-northamptonshire"))
    assert case in set(applications_visible_to(demo.user("wn-csm")))
    assert not applications_visible_to(demo.user("is-csm")).filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_signed_out_sees_nothing(demo):
    from django.contrib.auth.models import AnonymousUser

    make_application(demo.partnership())
    assert not applications_visible_to(AnonymousUser()).exists()
