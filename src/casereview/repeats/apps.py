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
