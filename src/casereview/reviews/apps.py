from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "casereview.reviews"
    label = "reviews"
    verbose_name = "The review (SPOC, victim contact, risk, agencies' information)"

    def ready(self):
        from casereview.applications.case_sections import register
        from casereview.letters.context import register_extra_provider

        from .selectors import next_steps_letter_extra
        from .services import unreachable_closure_letter_extra

        register_extra_provider("next_steps", next_steps_letter_extra)
        # Issued from the review page after recording that the victim could not be reached; this
        # lets an issued one be corrected.
        register_extra_provider("unreachable_closure", unreachable_closure_letter_extra, issued_here=False)

        register(
            "review",
            title="The review",
            template="reviews/_case_section.html",
            context=_section,
            order=30,
            summary=True,  # SPOC, contact, risk: on the case's summary (ADR 0093)
        )

        from casereview.notifications.sweep import register as register_sweep

        from .reminders import information_request_reminders_due, information_request_reminders_send

        register_sweep(
            "agency reminder",
            order=30,
            due=information_request_reminders_due,
            send=information_request_reminders_send,
            describe=lambda request: (
                f"would remind agency: {request.application.reference} {request.agency.name} "
                f"(response due {request.due_on:%Y-%m-%d})"
            ),
        )


def _section(request, application):
    from casereview.applications.selectors import Status

    from .permissions import can_run_review
    from .selectors import review_section_summary

    if application.status in (Status.RECEIVED, Status.ACKNOWLEDGED, Status.AWAITING_CONSENT, Status.DECLINED):
        return None  # nothing to show before the case is accepted
    summary = review_section_summary(user=request.user, application=application)
    if not summary["full"] and not summary["requests"]:
        return None
    return {"summary": summary, "can_run": can_run_review(request.user, application)}
