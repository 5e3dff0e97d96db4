from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "casereview.statistics"
    label = "statistics"
