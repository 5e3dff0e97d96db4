from django.apps import AppConfig


class LawConfig(AppConfig):
    name = "casereview.law"
    label = "law"
    verbose_name = "The law in force: commencement dates"
