"""The demo's users (accounts.demo): written in bulk into an empty database, one by one otherwise;
both ways give the same users, memberships, roles and authenticators, and a second run adds
nothing."""

import io

import pytest
from django.contrib.auth.hashers import check_password
from django.db import transaction

from casereview.accounts import demo as accounts_demo
from casereview.accounts.models import Membership, RoleGrant, User

pytestmark = pytest.mark.django_db


def _demo_rows() -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    names = accounts_demo._demo_usernames()
    return {
        "users": sorted(
            User.objects.filter(username__in=names).values_list(
                "username",
                "first_name",
                "last_name",
                "email",
                "organisation__name",
                "job_title",
                "line_manager__username",
            )
        ),
        "memberships": sorted(
            Membership.objects.filter(user__username__in=names).values_list(
                "user__username", "partnership__slug", "agency__name"
            )
        ),
        "roles": sorted(
            RoleGrant.objects.filter(user__username__in=names).values_list(
                "user__username", "partnership__slug", "role"
            )
        ),
        "devices": sorted(
            TOTPDevice.objects.filter(user__username__in=names).values_list(
                "user__username", "name", "key", "confirmed"
            )
        ),
    }


class _Undo(Exception):
    pass


def _loaded(**options) -> dict:
    """The demo's rows after loading it into the empty test database, then undone."""
    try:
        with transaction.atomic():
            accounts_demo.load(io.StringIO(), **options)
            rows = _demo_rows()
            raise _Undo
    except _Undo:
        return rows


def test_bulk_and_one_by_one_give_the_same_demo():
    bulk = _loaded()
    assert len(bulk["users"]) == len(accounts_demo._demo_usernames()) > 30
    assert len(bulk["memberships"]) == len(bulk["roles"]) == len(bulk["devices"]) == len(bulk["users"])
    assert _loaded(one_by_one=True) == bulk


def test_a_second_load_changes_nothing_and_the_password_works():
    accounts_demo.load(io.StringIO())
    first = _demo_rows()
    accounts_demo.load(io.StringIO())
    assert _demo_rows() == first
    assert check_password(accounts_demo.DEMO_PASSWORD, User.objects.get(username="is-spoc").password)
