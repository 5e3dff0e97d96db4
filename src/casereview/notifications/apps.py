from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "casereview.notifications"
    label = "notifications"

    def ready(self):
        from casereview.web.pagination import register_layout_count

        from .reminders import reminders_due, reminders_send
        from .selectors import notices_unread_for_layout
        from .sweep import register

        # The unread notices beside "Notices" on every staff page, counted with a list's counts.
        register_layout_count("unread_notices", notices_unread_for_layout)

        register(
            "reminder",
            order=20,
            due=reminders_due,
            send=reminders_send,
            describe=lambda planned: (
                f"would remind: {planned.case.reference} {planned.label} ({planned.purpose})"
            ),
        )
