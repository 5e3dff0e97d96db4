from django.apps import AppConfig


class ApplyConfig(AppConfig):
    name = "casereview.apply"
    label = "apply"
