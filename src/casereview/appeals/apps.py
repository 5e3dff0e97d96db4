from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "casereview.appeals"
    label = "appeals"

    def ready(self):
        from casereview.applications.case_sections import register
        from casereview.letters.context import register_extra_provider

        from .services import appeal_decision_letter_extra

        # The decision letter is issued when the appeal is decided; this lets it be corrected.
        register_extra_provider("appeal_decision", appeal_decision_letter_extra, issued_here=False)

        from .views import case_section_context

        register(
            "appeals",
            title="Appeals",
            template="appeals/_case_section.html",
            context=case_section_context,
            order=70,
        )
