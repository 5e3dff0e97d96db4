from django.apps import AppConfig
from django.db.models import OuterRef


class PrivacyConfig(AppConfig):
    name = "casereview.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        from casereview.applications.case_sections import register
        from casereview.applications.selectors import register_withheld_from_agencies

        from . import checks  # noqa: F401 - registers the deployment checks
        from .signals import connect

        connect()

        # An agency officer does not see a case whose victim has withdrawn consent to sharing with
        # partner agencies: the case's one access selector asks this app (ADR 0037).
        register_withheld_from_agencies("consent_withdrawn", _consent_withdrawn)

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


def _consent_withdrawn():
    """The withdrawal in force on the case the query is correlated with (OuterRef("pk"))."""
    from .models import ConsentWithdrawal

    return ConsentWithdrawal.objects.filter(application=OuterRef("pk"), reinstated_at__isnull=True)
