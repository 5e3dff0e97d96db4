"""Sign-in lockout (django-axes) in front of the ordinary backends, and the model permissions'
backend that reads the database only when a row could answer."""

from functools import cache

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while the username and address are locked out after repeated failures.

    Axes needs the request to know where an attempt came from. Every sign-in through a page passes
    it; `authenticate()` without a request (the test client's `login()`, a management command) has
    no address to throttle, so this backend steps aside and the next backend decides.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ModelPermissionBackend(ModelBackend):
    """Django's model permissions (the deployment administration's, ADR 0092), asked only about a
    permission a database row can name.

    Django's ModelBackend answers every `has_perm` by reading the user's and their groups' rows
    (two queries a request, on every page whose menu or view asks a rule). The product's own
    permissions ("privacy.view_audit_log", "applications.record_application") are rules
    (`rules.add_perm`, the ObjectPermissionBackend before this one); no Permission row names them,
    so the ModelBackend could only ever answer no. This one answers that no without reading: the
    names a row can hold are the models' (each model's default and Meta permissions, the rows
    Django's migrate creates). For those it is the ModelBackend exactly.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if perm not in model_permission_names():
            return False
        return super().has_perm(user_obj, perm, obj)


@cache
def model_permission_names() -> frozenset[str]:
    """Every "app_label.codename" a Permission row can hold: each installed model's default
    permissions (add, change, delete, view) and its Meta.permissions."""
    from django.apps import apps
    from django.contrib.auth import get_permission_codename

    names = set()
    for model in apps.get_models():
        opts = model._meta
        names.update(
            f"{opts.app_label}.{get_permission_codename(action, opts)}" for action in opts.default_permissions
        )
        names.update(f"{opts.app_label}.{codename}" for codename, _name in opts.permissions)
    return frozenset(names)
