from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "casereview.returns"
    label = "returns"
    verbose_name = "Force areas and the data return"
