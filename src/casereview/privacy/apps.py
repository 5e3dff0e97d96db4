from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "casereview.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        from casereview.applications.case_sections import register

        from . import checks  # noqa: F401 - registers the deployment checks
        from .signals import connect

        connect()

        register(
            "data_protection",
            title="Data protection",
            template="privacy/_case_section.html",
            context=_case_section,
            order=90,
        )


def _case_section(request, application):
    """Consent, legal holds and evidence files on the case page (the user can already see the case)."""
    user = request.user
    can_open = user.has_perm("privacy.manage_consent", application) or user.has_perm(
        "privacy.view_special_category", application
    )
    withdrawal = application.consent_withdrawals.filter(reinstated_at__isnull=True).first()
    return {
        "withdrawal": withdrawal,
        "active_holds": application.legal_holds.filter(lifted_at__isnull=True).count(),
        "evidence": list(application.evidence_files.all()),
        "can_open": can_open,
    }
