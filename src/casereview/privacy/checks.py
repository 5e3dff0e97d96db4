"""Deployment checks (`casereview check --deploy`): refuse the development secrets in production."""

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
