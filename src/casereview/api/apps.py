from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "casereview.api"
    label = "api"
    verbose_name = "Partner API"

    def ready(self):
        # Webhooks follow the case's timeline: a case event of a kind partners subscribe to queues a
        # delivery in the same transaction (webhooks.py). The sweep delivers what is queued.
        from django.apps import apps
        from django.db.models.signals import post_save

        from casereview.notifications.sweep import register as register_sweep

        from . import webhooks

        post_save.connect(
            webhooks.case_event_saved,
            sender=apps.get_model("applications", "CaseEvent"),
            dispatch_uid="api-webhooks-case-event",
        )
        register_sweep(
            "webhook",
            order=90,
            due=webhooks.deliveries_due,
            send=webhooks.deliveries_send,
            describe=lambda delivery: f"would deliver webhook {delivery.event} #{delivery.pk}",
        )
