from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "casereview.actions"
    label = "actions"

    def ready(self):
        from casereview.applications.case_sections import register
        from casereview.letters.context import register_action_plan

        from .selectors import actions_for_letter
        from .views import case_section_context

        register_action_plan(actions_for_letter)

        from casereview.notifications.sweep import register as register_sweep

        from .services import actions_escalate, escalations_due

        register_sweep(
            "escalation",
            order=10,
            due=escalations_due,
            send=actions_escalate,
            describe=lambda planned: (
                f"would escalate action {planned.action.pk} on {planned.action.case.reference}: "
                f"step {planned.rung.position} {planned.rung.name} -> {planned.rung.recipient}"
            ),
        )

        register(
            "actions",
            title="Actions",
            template="actions/_case_section.html",
            context=case_section_context,
            order=60,
        )
