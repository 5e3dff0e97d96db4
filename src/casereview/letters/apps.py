from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "casereview.letters"
    label = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from casereview.applications.case_sections import register
        from casereview.notifications.services import (
            register_disclosure_check,
            register_message_outcome_handler,
            register_provider_status_handler,
        )

        from .checks import perpetrator_details_in
        from .dispatch import dispatch_message_outcome, dispatch_provider_status

        register_message_outcome_handler(dispatch_message_outcome)
        register_provider_status_handler(dispatch_provider_status)
        # Every message to a victim or applicant is checked as letters are (notifications._disclosure_hold).
        register_disclosure_check(perpetrator_details_in)

        # The case page's alleged perpetrators offer a warning letter to those who may issue one.
        import rules

        from .selectors import user_can_issue_letters

        rules.add_perm(
            "letters.issue_warning",
            rules.predicate(
                lambda user, application: (
                    user_can_issue_letters(user, "warning")
                    and application is not None
                    and application.partnership_id == user.partnership_id
                )
            ),
        )

        register(
            "letters", title="Letters", template="letters/_case_section.html", context=_section, order=40
        )


def _section(request, case):
    """The case page's Letters section: only the letters this user may open, and a count of the rest."""
    from .selectors import (
        letters_for_application,
        letters_hidden_count,
        user_can_issue_letters,
        user_can_see_victim_letters,
    )

    letters = list(letters_for_application(request.user, case))
    # The page reached this case through the access selector, and a partnership-wide role may open
    # every letter of a case it can see: none is hidden from it, so nothing needs counting.
    wide = user_can_see_victim_letters(request.user)
    return {
        "letters": letters,
        "hidden": 0 if wide else letters_hidden_count(request.user, case, visible=len(letters)),
        "can_issue": user_can_issue_letters(request.user),
    }
