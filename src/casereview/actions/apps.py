from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "casereview.actions"
    label = "actions"

    def ready(self):
        from casereview.applications.case_sections import register

        from .views import case_section_context

        register(
            "actions",
            title="Actions",
            template="actions/_case_section.html",
            context=case_section_context,
            order=60,
        )
