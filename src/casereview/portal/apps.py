from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The victim's own view of their review (docs/portal.md)."""

    name = "casereview.portal"
    label = "portal"
    verbose_name = "The victim's own view"

    def ready(self) -> None:
        from casereview.applications.case_sections import register as register_case_section
        from casereview.notifications.services import register_message_outcome_handler
        from casereview.privacy.retention import register_schedule

        from .retention import uploads_dispose, uploads_plan
        from .signin import code_message_blank
        from .staff_views import case_section

        # A sign-in code is never kept readable once it has left (hashed at rest, ADR 0054).
        register_message_outcome_handler(code_message_blank)
        register_schedule("portal_uploads", plan=uploads_plan, dispose=uploads_dispose)
        # What the victim's side sent, on the case page for the SPOC (ADR 0072).
        register_case_section(
            "own_view",
            title="The victim's own view",
            template="portal/staff/_case_section.html",
            context=case_section,
            order=65,
        )
