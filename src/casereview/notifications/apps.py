from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "casereview.notifications"
    label = "notifications"
