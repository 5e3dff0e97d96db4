from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "casereview.referrals"
    label = "referrals"
    verbose_name = "Referrals to the standing panels"
