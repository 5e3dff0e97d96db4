from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "casereview.applications"
    label = "applications"

    def ready(self):
        from casereview.audit.selectors import register_case_lookup

        from .selectors import access_events_about_person, case_references_of_partnership

        # The access log sits below the case (ADR 0037): the case tells it which rows are whose.
        register_case_lookup(
            references_of_partnership=case_references_of_partnership,
            events_about_person=access_events_about_person,
        )
