from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "casereview.appeals"
    label = "appeals"
