from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "casereview.actions"
    label = "actions"
