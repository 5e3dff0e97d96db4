from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "casereview.panels"
    label = "panels"
