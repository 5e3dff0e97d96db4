from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "casereview.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
