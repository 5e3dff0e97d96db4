from django.apps import AppConfig


class ApplyConfig(AppConfig):
    name = "casereview.apply"
    label = "apply"

    def ready(self) -> None:
        from casereview.notifications.services import register_message_outcome_handler
        from casereview.privacy.retention import register_schedule

        from .drafts import draft_message_blank, drafts_dispose, drafts_plan

        # Saved applications are deleted when their time is up (docs/apply.md, "Save and come back").
        register_schedule("apply_drafts", plan=drafts_plan, dispose=drafts_dispose)
        register_message_outcome_handler(draft_message_blank)
