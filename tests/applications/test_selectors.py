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


@pytest.mark.django_db
def test_clock_counts_are_per_visible_case(demo, time_machine):
    import datetime as dt

    from casereview.applications.selectors import clock_counts_for_user

    time_machine.move_to(dt.datetime(2025, 4, 28, 12, 0))
    wn = demo.partnership("west-northamptonshire")
    make_application(wn, received_on=dt.date(2025, 4, 15))  # acknowledge due 24 April: overdue
    make_application(
        wn,
        received_on=dt.date(2025, 4, 17),  # due 28 April: today; reported to the council only
        incidents=[(dt.date(2025, 4, 1), "council", dt.date(2025, 4, 2))],
    )
    today = dt.date(2025, 4, 28)
    assert clock_counts_for_user(demo.user("wn-csm"), today=today) == {"due_today": 1, "overdue": 1}
    assert clock_counts_for_user(demo.user("wn-police"), today=today) == {"due_today": 0, "overdue": 1}
    assert clock_counts_for_user(demo.user("is-csm"), today=today) == {"due_today": 0, "overdue": 0}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "found"),
    [("Llyr", True), ("llŷr jones", True), ("LLYR", True), ("Bill Jones", False), ("Jones", True)],
)
def test_name_search_ignores_accents_and_case(demo, typed, found):
    import datetime as dt

    from casereview.applications.selectors import case_list_for_user

    application = make_application(demo.partnership(), victim_name="Llŷr Jones")
    rows = case_list_for_user(demo.user("wn-csm"), today=dt.date(2025, 5, 1), search=typed)
    assert (application in list(rows)) is found


@pytest.mark.django_db
def test_name_search_finds_common_variants(demo):
    import datetime as dt

    from casereview.applications.selectors import case_list_for_user

    william = make_application(demo.partnership(), victim_name="William Price")
    dai = make_application(demo.partnership(), victim_name="David Rees")
    other = make_application(demo.partnership(), victim_name="Sam Price")
    rows = case_list_for_user(demo.user("wn-csm"), today=dt.date(2025, 5, 1), search="Bill Price")
    assert william in list(rows)
    assert other not in list(rows)
    rows = case_list_for_user(demo.user("wn-csm"), today=dt.date(2025, 5, 1), search="dai rees")
    assert list(rows) == [dai]
    assert other.victim.name_key == "sam price"


@pytest.mark.django_db
def test_an_agency_is_not_a_role_a_user_of_it_without_the_agency_officer_role_sees_nothing(demo):
    from casereview.accounts.models import Role

    wn = demo.partnership("west-northamptonshire")
    case = make_application(wn)  # the police are party to it
    officer = demo.user("wn-police")
    assert case in set(applications_visible_to(officer))
    officer.role_grants.filter(role=Role.AGENCY_OFFICER).delete()  # the role taken away, the agency kept
    officer = type(officer).objects.get(pk=officer.pk)
    assert officer.agency_id is not None and officer.roles == frozenset()
    assert not applications_visible_to(officer).exists()


@pytest.mark.django_db
def test_one_case_comes_with_its_partnership_and_victim_read_in_the_same_query(
    demo, django_assert_num_queries
):
    """Every case page reads the case's partnership and victim: they come with the case, not one
    query each afterwards (mutmut: `select_related("partnership", ...)` dropped survived)."""
    case = make_application(demo.partnership("west-northamptonshire"))
    got = application_get_for_user(demo.user("wn-csm"), case.reference)
    with django_assert_num_queries(0):
        assert got.partnership.slug == "west-northamptonshire"
        assert got.victim.full_name == case.victim.full_name
