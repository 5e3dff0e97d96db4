from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "casereview.audit"
    label = "audit"
    verbose_name = "Access log"

    def ready(self):
        from . import signals  # noqa: F401 - connects the change and sign-in handlers
