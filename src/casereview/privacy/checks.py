"""System checks: refuse the development secrets in production (`casereview check --deploy`), and
a kind of case with no retention rule (every `check`, so `migrate` and `runserver` too)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def development_secrets_check(app_configs, **kwargs):
    from casereview import settings as project_settings

    errors = []
    if settings.SECRET_KEY == project_settings._DEV_SECRET:
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is the development key.",
                hint="Set DJANGO_SECRET_KEY.",
                id="casereview.E001",
            )
        )
    if project_settings._DEV_FIELD_KEY in settings.CASEREVIEW_FIELD_KEYS:
        errors.append(
            Error(
                "CASEREVIEW_FIELD_KEY is (or includes) the development key: special category data would "
                "be encrypted with a published key.",
                hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
                id="casereview.E002",
            )
        )
    return errors


@register()
def case_kinds_retention_check(app_configs, **kwargs):
    """Every kind of case has a retention rule (ADR 0095): a kind without one would keep its closed
    cases, and the personal data in them, for ever."""
    from .retention import kinds_without_retention

    return [
        Error(
            f"The case kind {kind!r} has no retention rule: its closed cases would never be deleted.",
            hint="Register one in its app's ready() with privacy.retention.register_case_kind_retention.",
            id="casereview.E003",
        )
        for kind in kinds_without_retention()
    ]
