"""The migration to organisations (accounts 0002, ADR 0041) loses nothing: each agency becomes an
organisation's membership of its partnership, each user's partnership and agency a membership,
and each role grant is granted in the user's partnership."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_organisations_across_partnerships")]


@pytest.mark.django_db(transaction=True)
def test_users_agencies_and_grants_move_onto_memberships():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Partnership, Agency = old.get_model("accounts", "Partnership"), old.get_model("accounts", "Agency")
    User, RoleGrant = old.get_model("accounts", "User"), old.get_model("accounts", "RoleGrant")
    wn = Partnership.objects.create(slug="wn", name="WN", policy_ref="statutory", reference_prefix="WN")
    police = Agency.objects.create(partnership=wn, name="Police", kind="police")
    officer = User.objects.create(username="officer", partnership=wn, agency=police)
    manager = User.objects.create(username="manager", partnership=wn)
    loose = User.objects.create(username="loose")
    for user, role in (
        (officer, "agency_officer"),
        (manager, "spoc"),
        (manager, "panel_chair"),
        (loose, "analyst"),
    ):
        RoleGrant.objects.create(user=user, role=role)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Membership = new.get_model("accounts", "Membership")
    NewAgency, NewUser = new.get_model("accounts", "Agency"), new.get_model("accounts", "User")
    NewGrant = new.get_model("accounts", "RoleGrant")
    agency = NewAgency.objects.get(pk=police.pk)
    assert (agency.organisation.name, agency.organisation.kind) == ("Police", "police")
    assert set(Membership.objects.values_list("user__username", "partnership_id", "agency_id")) == {
        ("officer", wn.pk, police.pk),
        ("manager", wn.pk, None),
    }
    assert NewUser.objects.get(username="officer").organisation_id == agency.organisation_id
    assert set(NewGrant.objects.values_list("user__username", "partnership_id", "role")) == {
        ("officer", wn.pk, "agency_officer"),
        ("manager", wn.pk, "spoc"),
        ("manager", wn.pk, "panel_chair"),
        ("loose", None, "analyst"),  # kept: a user in no partnership keeps what they held
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
