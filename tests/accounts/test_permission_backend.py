"""The model permissions backend (ADR 0092): Django's ModelBackend, asked only about a permission a
Permission row can name. The product's rules cost no query; model permissions (the deployment
administration's) are answered exactly as before, from the user's and their groups' rows."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casereview.accounts.backends import model_permission_names


def _permission_queries(check):
    with CaptureQueriesContext(connection) as captured:
        answer = check()
    return answer, [q["sql"] for q in captured.captured_queries if "auth_permission" in q["sql"]]


@pytest.mark.django_db
def test_a_rule_is_answered_without_reading_permission_rows(demo):
    manager = demo.user("wn-csm")
    answer, read = _permission_queries(lambda: manager.has_perm("privacy.view_audit_log"))
    assert answer is False and read == []
    dpo = demo.user("wn-dpo")
    answer, read = _permission_queries(lambda: dpo.has_perm("privacy.view_audit_log"))
    assert answer is True and read == []


@pytest.mark.django_db
def test_no_permission_row_names_a_rule_and_every_row_is_a_model_permission(demo):
    names = model_permission_names()
    assert "privacy.view_audit_log" not in names and "applications.record_application" not in names
    rows = {
        f"{app}.{code}" for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert rows and rows <= names


@pytest.mark.django_db
def test_model_permissions_are_read_as_before(demo):
    from casereview.accounts.models import User

    root = User.objects.create_superuser("deploy-root", "root@example.org", "x" * 20)
    assert root.has_perm("privacy.view_disposal") and root.has_perm("accounts.change_user")
    assert root.has_perm("privacy.view_audit_log")  # Django: an active superuser holds every one

    officer = demo.user("wn-police")
    assert not officer.has_perm("privacy.view_disposal")
    officer.user_permissions.add(Permission.objects.get(codename="view_disposal"))
    officer = User.objects.get(pk=officer.pk)
    answer, read = _permission_queries(lambda: officer.has_perm("privacy.view_disposal"))
    assert answer is True and read != []

    group = Group.objects.create(name="Disposals")
    group.permissions.add(Permission.objects.get(codename="change_disposal"))
    officer.groups.add(group)
    officer = User.objects.get(pk=officer.pk)
    assert officer.has_perm("privacy.change_disposal")
