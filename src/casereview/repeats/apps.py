from django.apps import AppConfig


class RepeatsConfig(AppConfig):
    name = "casereview.repeats"
    label = "repeats"

    def ready(self):
        from casereview.applications.case_sections import register

        from .views import case_section_context

        register(
            "repeats",
            title="Earlier applications and repeat requests",
            template="repeats/_case_section.html",
            context=case_section_context,
            order=15,
        )

        # On the retention schedule of the cases it points at with PROTECT (ADR 0095).
        from casereview.privacy.retention import register_case_records

        from . import retention

        register_case_records(
            "repeats",
            records_delete=retention.case_records_delete,
            kept_because=retention.cases_kept_because,
        )
