from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "casereview.panels"
    label = "panels"
    verbose_name = "The review panel"

    def ready(self):
        from casereview.applications.case_sections import register
        from casereview.letters.context import register_extra_provider

        from .services import outcome_letter_extra

        # The outcome letter is issued from the panel page; this lets an issued one be corrected.
        register_extra_provider("outcome", outcome_letter_extra, issued_here=False)

        register("panel", title="The panel", template="panels/_case_section.html", context=_section, order=35)


def _section(request, application):
    from .selectors import can_read_panel_papers, meeting_quorum

    meetings = list(application.panel_meetings.all())
    if not meetings:
        return None
    current = meetings[0]
    return {
        "meeting": current,
        "quorum": meeting_quorum(current) if current.status != "cancelled" else None,
        "can_read_papers": can_read_panel_papers(request.user, current),
    }
