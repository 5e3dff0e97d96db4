from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "casereview.reports"
    label = "reports"
    verbose_name = "ASB report log"

    def ready(self):
        from casereview.applications.case_sections import register

        from .views import case_section_context

        register(
            "reports",
            title="Reports in the ASB report log",
            template="reports/_case_section.html",
            context=case_section_context,
            order=15,
        )

        from casereview.privacy.subject_access import register as register_subject_access

        from .subject_access import report_log_about

        register_subject_access("report_log", report_log_about)
