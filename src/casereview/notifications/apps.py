from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "casereview.notifications"
    label = "notifications"

    def ready(self):
        from .reminders import reminders_due, reminders_send
        from .sweep import register

        register(
            "reminder",
            order=20,
            due=reminders_due,
            send=reminders_send,
            describe=lambda planned: (
                f"would remind: {planned.case.reference} {planned.label} ({planned.purpose})"
            ),
        )
