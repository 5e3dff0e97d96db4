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

        register(
            "panel",
            title="The panel",
            template="panels/_case_section.html",
            context=_section,
            order=35,
            summary=True,  # the panel's date and state: on the case's summary (ADR 0093)
        )

        # A case review sitting's page links each review heard at it to its panel page (ADR 0088).
        from casereview.referrals.sittings import register_review_links

        from .selectors import review_links

        register_review_links("panels", review_links)


def _section(request, application):
    from .selectors import can_read_panel_papers, case_meetings, meeting_quorum

    meetings = case_meetings(application)
    if not meetings:
        return None
    current = meetings[0]
    return {
        "meeting": current,
        "quorum": meeting_quorum(current) if current.status != "cancelled" else None,
        "can_read_papers": can_read_panel_papers(request.user, current),
    }
