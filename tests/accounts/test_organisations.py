"""Organisations across partnerships (issue 15, ADR 0041): a housing association working in two
boroughs; its officer works in each with the roles granted there, choosing which."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casereview.accounts.models import Membership, Organisation, Role, RoleGrant, User
from casereview.applications.selectors import applications_visible_to
from tests.factories import make_application
from tests.stale import form_version


@pytest.fixture
def association(demo):
    """One housing association, the housing agency of both demo partnerships; its officer works in
    both, an agency officer in West Northamptonshire and a data protection officer in Islington."""
    wn, islington = demo.partnership("west-northamptonshire"), demo.partnership("islington")
    wn_homes, is_homes = demo.agency("west-northamptonshire", "housing"), demo.agency("islington", "housing")
    organisation = Organisation.objects.create(name="Two Boroughs Homes", kind="housing")
    for agency in (wn_homes, is_homes):
        agency.organisation = organisation
        agency.save()
    officer = User.objects.create_user(
        username="tb-officer", first_name="Tay", last_name="Brook", partnership=wn, agency=wn_homes
    )
    Membership.objects.create(user=officer, partnership=islington, agency=is_homes)
    RoleGrant.objects.create(user=officer, partnership=wn, role=Role.AGENCY_OFFICER)
    RoleGrant.objects.create(user=officer, partnership=islington, role=Role.DATA_PROTECTION_OFFICER)
    wn_case = make_application(wn, victim_name="Wendy Northside")
    is_case = make_application(islington, victim_name="Isla Upperstreet")
    return {"wn": wn, "is": islington, "officer": officer, "wn_case": wn_case, "is_case": is_case}


def _case_list(client, q=""):
    return client.get("/cases/", {"q": q} if q else {}).content.decode()


@pytest.mark.django_db
def test_the_chooser_comes_after_sign_in_and_the_choice_scopes_every_page(association, client):
    officer, wn_case, is_case = association["officer"], association["wn_case"], association["is_case"]
    client.force_login(officer)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:choose_partnership") + "?next=%2Fcases%2F"
    chooser = client.get(response["Location"]).content.decode()
    assert "West Northamptonshire Council" in chooser and "Islington Council" in chooser

    client.post(reverse("accounts:choose_partnership"), {"partnership": association["wn"].pk})
    listed = _case_list(client)
    assert wn_case.reference in listed and is_case.reference not in listed
    assert is_case.reference not in _case_list(client, "Isla Upperstreet")  # search stays inside
    assert client.get(f"/cases/{wn_case.reference}/").status_code == 200
    assert client.get(f"/cases/{is_case.reference}/").status_code == 404
    # As an agency officer in West Northamptonshire: not a data protection officer there.
    assert client.get("/audit/export.csv").status_code == 404
    header = client.get("/cases/").content.decode()
    assert "Working in West Northamptonshire Council" in header and "change partnership" in header

    # Switching: Islington's case, with the role granted there (data protection officer sees all).
    client.post(reverse("accounts:choose_partnership"), {"partnership": association["is"].pk})
    listed = _case_list(client)
    assert is_case.reference in listed and wn_case.reference not in listed
    assert wn_case.reference not in _case_list(client, "Wendy Northside")
    assert client.get(f"/cases/{wn_case.reference}/").status_code == 404
    exported = client.get("/audit/export.csv")
    assert exported.status_code == 200
    body = b"".join(exported.streaming_content).decode() if exported.streaming else exported.content.decode()
    assert is_case.reference in body
    # West Northamptonshire's log is not Islington's: only this user's own refused attempt on its
    # reference, made while working in Islington, is (the access log records attempts).
    wn_lines = [line for line in body.splitlines() if wn_case.reference in line]
    assert wn_lines and all("Refused" in line and "/cases/" in line for line in wn_lines), wn_lines


@pytest.mark.django_db
def test_a_role_granted_in_one_partnership_gives_nothing_in_the_other(association):
    officer = User.objects.get(pk=association["officer"].pk)
    assert officer.partnership_id is None and not applications_visible_to(officer).exists()  # not chosen
    assert officer.work_in(association["wn"].pk)
    assert officer.roles == {Role.AGENCY_OFFICER} and officer.agency.partnership == association["wn"]
    assert set(applications_visible_to(officer)) == {association["wn_case"]}
    assert officer.work_in(association["is"].pk)
    assert officer.roles == {Role.DATA_PROTECTION_OFFICER}
    assert set(applications_visible_to(officer)) == {association["is_case"]}
    RoleGrant.objects.filter(user=officer, partnership=association["is"]).delete()
    officer.work_in(association["is"].pk)
    assert officer.roles == frozenset() and not applications_visible_to(officer).exists()
    # A partnership they do not work in cannot be chosen.
    assert not officer.work_in(association["wn"].pk + association["is"].pk + 1000)
    assert officer.partnership_id is None and not applications_visible_to(officer).exists()


@pytest.mark.django_db
def test_a_membership_ended_forgets_the_choice(association, client):
    officer = association["officer"]
    client.force_login(officer)
    client.post(reverse("accounts:choose_partnership"), {"partnership": association["is"].pk})
    assert client.get(f"/cases/{association['is_case'].reference}/").status_code == 200
    Membership.objects.filter(user=officer, partnership=association["is"]).delete()
    # One membership left: they work in it without choosing, and Islington's case is gone.
    assert client.get(f"/cases/{association['is_case'].reference}/").status_code == 404
    assert client.get(f"/cases/{association['wn_case'].reference}/").status_code == 200


@pytest.mark.django_db
def test_each_partnerships_administrator_manages_only_their_own_grants(association, client, unchanged_rows):
    officer = association["officer"]
    client.force_login(User.objects.get(username="wn-admin"))
    home = client.get("/account/administration/").content.decode()
    assert (
        "tb-officer" in home
        and "Data protection officer" not in home.split("tb-officer")[1].split("</tr>")[0]
    )
    form = {"first_name": "Tay", "last_name": "Brook", "email": "", "job_title": "", "is_active": "on"}
    form["agency"] = association["officer"].memberships.get(partnership=association["wn"]).agency_id
    url = reverse("accounts:administration_user", args=[officer.pk])
    form["version"] = form_version(client.get(url))
    client.post(url, {**form, "roles": [Role.AGENCY_OFFICER, Role.SPOC]})
    grants = set(RoleGrant.objects.filter(user=officer).values_list("partnership__slug", "role"))
    assert grants == {
        ("west-northamptonshire", Role.AGENCY_OFFICER),
        ("west-northamptonshire", Role.SPOC),
        ("islington", Role.DATA_PROTECTION_OFFICER),
    }
    # What is theirs in every partnership (here: deactivating them) is refused, nothing written.
    form["version"] = form_version(client.get(url))
    with unchanged_rows(User, RoleGrant, Membership):
        refused = client.post(
            reverse("accounts:administration_user", args=[officer.pk]),
            {**{k: v for k, v in form.items() if k != "is_active"}, "roles": [Role.AGENCY_OFFICER]},
        )
        assert refused.status_code == 200
        assert "also works in another partnership" in refused.content.decode()
    assert User.objects.get(pk=officer.pk).is_active
