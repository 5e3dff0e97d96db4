from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "casereview.appeals"
    label = "appeals"

    def ready(self):
        from casereview.applications.case_sections import register

        from .views import case_section_context

        register(
            "appeals",
            title="Appeals",
            template="appeals/_case_section.html",
            context=case_section_context,
            order=70,
        )
