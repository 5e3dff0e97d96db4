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
        # A referral to a standing panel (its form or the API) is a `referral.created` webhook: the
        # referrals app calls what is registered here, in the referral's transaction.
        from casereview.referrals.hooks import register_referral_made

        register_referral_made("api_webhook", webhooks.referral_made)
        register_sweep(
            "webhook",
            order=90,
            due=webhooks.deliveries_due,
            send=webhooks.deliveries_send,
            describe=lambda delivery: f"would deliver webhook {delivery.event} #{delivery.pk}",
        )
