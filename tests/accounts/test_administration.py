"""A partnership's administrator manages only its own users, agencies and roles (issue 13); the
Django admin is for the deployment's superusers only.

The attack issue 13 found: in /django-admin/ a West Northamptonshire administrator changed an
Islington user and gave a user a role in Islington. Here every way of doing that is tried, and
each is refused with the grants, users and agencies the same before and after.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from casereview.accounts import services
from casereview.accounts.models import Agency, Membership, Role, RoleGrant, User
from casereview.audit.models import AccessEvent
from tests.conftest import VerifiedClient
from tests.stale import form_version


@pytest.fixture
def as_user():
    from django.test import Client

    def sign_in(user):
        client = type("Client", (VerifiedClient, Client), {})()
        client.force_login(user)
        return client

    return sign_in


def _state():
    return (
        sorted(RoleGrant.objects.values_list("user_id", "partnership_id", "role")),
        sorted(User.objects.values_list("pk", "username", "is_active")),
        sorted(Membership.objects.values_list("user_id", "partnership_id", "agency_id")),
        sorted(Agency.objects.values_list("pk", "partnership_id", "name")),
    )


@pytest.mark.django_db
def test_the_django_admin_is_for_superusers_only(demo, as_user):
    for username in ("wn-admin", "wn-csm", "is-admin"):
        user = demo.user(username)
        User.objects.filter(pk=user.pk).update(is_staff=True)  # even a staff flag opens nothing
        response = as_user(User.objects.get(pk=user.pk)).get("/django-admin/accounts/user/")
        assert response.status_code == 302 and "/django-admin/login/" in response["Location"], username
    root = User.objects.create_superuser("deploy-root", "root@example.org", "x" * 20)
    assert as_user(root).get("/django-admin/accounts/user/").status_code == 200


@pytest.mark.django_db
def test_no_cross_partnership_change_or_grant_through_the_pages(demo, as_user):
    admin = as_user(demo.user("wn-admin"))
    islington_user = demo.user("is-police")
    islington_agency = Agency.objects.filter(partnership__slug="islington").first()
    own_user = demo.user("wn-police")
    before = _state()
    attempts = [
        ("get", reverse("accounts:administration_user", args=[islington_user.pk]), {}),
        (
            "post",
            reverse("accounts:administration_user", args=[islington_user.pk]),
            {"first_name": "X", "last_name": "Y", "roles": [Role.ADMINISTRATOR], "is_active": "on"},
        ),
        ("post", reverse("accounts:administration_user_reset_second_factor", args=[islington_user.pk]), {}),
        (
            "post",
            reverse("accounts:administration_agency", args=[islington_agency.pk]),
            {"name": "Z", "kind": "police"},
        ),
    ]
    for method, url, data in attempts:
        assert getattr(admin, method)(url, data).status_code == 404, url
    # Their own user moved into another partnership's agency: the agency is not a choice at all.
    response = admin.post(
        reverse("accounts:administration_user", args=[own_user.pk]),
        {"first_name": "Pat", "last_name": "Okafor", "agency": islington_agency.pk, "is_active": "on"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    # A new user is always of the administrator's own partnership.
    response = admin.post(
        reverse("accounts:administration_user_new"),
        {"username": "sneaky", "first_name": "S", "last_name": "N", "agency": islington_agency.pk},
    )
    assert response.status_code == 200
    assert _state() == before
    # Every other role of the partnership reaches none of the pages.
    for username in ("wn-csm", "wn-senior", "wn-dpo", "wn-police"):
        client = as_user(demo.user(username))
        assert client.get(reverse("accounts:administration")).status_code == 404
        assert client.post(reverse("accounts:administration_user", args=[own_user.pk]), {}).status_code == 404
    assert _state() == before


@pytest.mark.django_db
def test_no_cross_partnership_grant_through_the_services(demo, unchanged_rows):
    admin = demo.user("wn-admin")
    islington_user = demo.user("is-police")
    islington_agency = Agency.objects.filter(partnership__slug="islington").first()
    before = _state()
    data = services.UserData(first_name="A", last_name="B", roles=(Role.ADMINISTRATOR,))
    with unchanged_rows(), pytest.raises(services.AdministrationRefused):
        services.user_update(actor=admin, user=islington_user, data=data)
    with unchanged_rows(), pytest.raises(services.AdministrationRefused):
        services.user_second_factor_reset(actor=admin, user=islington_user)
    with unchanged_rows(), pytest.raises(services.AdministrationRefused):
        services.agency_save(actor=admin, name="Z", kind="police", agency=islington_agency)
    own = demo.user("wn-police")
    with unchanged_rows(), pytest.raises(services.AdministrationRefused):
        services.user_update(
            actor=admin,
            user=own,
            data=services.UserData(first_name="P", last_name="O", agency=islington_agency),
        )
    with unchanged_rows(), pytest.raises(services.AdministrationRefused):
        services.user_create(
            actor=admin,
            username="x1",
            data=services.UserData(first_name="A", last_name="B", agency=islington_agency),
        )
    with unchanged_rows(), pytest.raises(services.AdministrationRefused):
        services.user_update(actor=demo.user("wn-csm"), user=own, data=data)
    assert _state() == before


@pytest.mark.django_db
def test_an_administrator_manages_their_own_partnership_and_each_grant_is_logged(demo, as_user):
    actor = demo.user("wn-admin")
    admin = as_user(actor)
    assert admin.get(reverse("accounts:administration")).status_code == 200
    wn_agency = Agency.objects.filter(partnership__slug="west-northamptonshire").first()
    response = admin.post(
        reverse("accounts:administration_user_new"),
        {
            "username": "new-officer",
            "first_name": "Nia",
            "last_name": "Ward",
            "agency": wn_agency.pk,
            "roles": [Role.AGENCY_OFFICER],
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "one-time password" in response.content.decode()
    created = User.objects.get(username="new-officer")
    assert created.partnership.slug == "west-northamptonshire" and created.roles == {Role.AGENCY_OFFICER}
    assert not created.is_staff and not created.is_superuser
    grant = AccessEvent.objects.filter(actor=actor, details__granted=Role.AGENCY_OFFICER)
    assert grant.count() == 1 and grant.get().partnership_slug == "west-northamptonshire"

    # Deactivate, grant another role, remove one.
    url = reverse("accounts:administration_user", args=[created.pk])
    response = admin.post(
        url,
        {
            "version": form_version(admin.get(url)),
            "first_name": "Nia",
            "last_name": "Ward",
            "agency": wn_agency.pk,
            "roles": [Role.SPOC],
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert not created.is_active and set(created.role_grants.values_list("role", flat=True)) == {Role.SPOC}
    assert AccessEvent.objects.filter(actor=actor, details__revoked=Role.AGENCY_OFFICER).count() == 1

    TOTPDevice.objects.create(user=created, name="phone", confirmed=True)
    assert (
        admin.post(reverse("accounts:administration_user_reset_second_factor", args=[created.pk])).status_code
        == 302
    )
    assert not TOTPDevice.objects.filter(user=created).exists()

    # An administrator cannot remove their own administrator role (no partnership left without one).
    response = admin.post(
        reverse("accounts:administration_user", args=[actor.pk]),
        {"first_name": "Ash", "last_name": "Taylor", "roles": [Role.SPOC], "is_active": "on"},
    )
    assert response.status_code == 200 and actor.role_grants.filter(role=Role.ADMINISTRATOR).exists()

    response = admin.post(
        reverse("accounts:administration_agency_new"), {"name": "Neighbourhood Mediation", "kind": "other"}
    )
    assert response.status_code == 302
    assert Agency.objects.get(name="Neighbourhood Mediation").partnership.slug == "west-northamptonshire"
