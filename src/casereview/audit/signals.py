"""Changes to personal data are attributable: every save and delete of a product record is logged
with who did it (from the request context) and which fields changed — names only, never values,
so the audit log does not become a second copy of the data it protects."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Action

# Product apps whose records are audited on change; the log itself and bookkeeping are not.
_AUDITED_APP_PREFIX = "casereview."
_NOT_AUDITED = {"audit.accessevent"}


def _audited(sender) -> bool:
    """A model opts out with `audit_changes = False`: only rows derived from audited records (the
    stored clocks, recomputed from the case's events), whose every change is already logged as the
    change that caused it."""
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.label_lower in _NOT_AUDITED or not getattr(sender, "audit_changes", True):
        return False
    return meta.app_config is not None and meta.app_config.name.startswith(_AUDITED_APP_PREFIX)


@receiver(post_save, dispatch_uid="audit_post_save")
def _record_save(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    from .services import access_event_record

    fields = sorted(update_fields) if update_fields else []
    access_event_record(
        action=Action.CREATE if created else Action.UPDATE,
        obj=instance,
        summary=f"{'Created' if created else 'Changed'} {sender._meta.verbose_name} {instance.pk}",
        details={"fields": fields} if fields else {},
    )


@receiver(post_delete, dispatch_uid="audit_post_delete")
def _record_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    from .services import access_event_record

    access_event_record(
        action=Action.DELETE, obj=instance, summary=f"Deleted {sender._meta.verbose_name} {instance.pk}"
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _record_login_failed(sender, credentials, request=None, **kwargs):
    from .services import access_event_record

    # The username tried, never the password (Django already masks it).
    access_event_record(
        action=Action.SIGN_IN_FAILED,
        request=request,
        summary="Failed sign-in",
        details={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(user_logged_out, dispatch_uid="audit_logged_out")
def _record_logout(sender, request, user, **kwargs):
    from .services import access_event_record

    if user is not None:
        access_event_record(action=Action.SIGN_OUT, user=user, request=request, summary="Signed out")
