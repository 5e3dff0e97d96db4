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
    from .models import MeetingStatus
    from .selectors import case_meeting_latest, meeting_quorum

    current = case_meeting_latest(application)
    if current is None:
        return None
    # The quorum is shown for a meeting still to be held (panels/_case_section.html).
    scheduled = current.status == MeetingStatus.SCHEDULED
    return {"meeting": current, "quorum": meeting_quorum(current) if scheduled else None}
