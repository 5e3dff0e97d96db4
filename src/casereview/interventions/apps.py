from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "casereview.interventions"
    label = "interventions"
    verbose_name = "Interventions and the enforcement ladder"

    def ready(self):
        from django.db.models.signals import post_save

        from casereview.applications.kinds import register_case_kind
        from casereview.core.case_kinds import INTERVENTION, INTERVENTION_KIND
        from casereview.privacy.retention import register_case_kind_retention, register_schedule
        from casereview.privacy.subject_access import register as register_subject_access

        from . import retention
        from .services import breach_check_link
        from .subject_access import interventions_about

        # A report's caller or location resolved to a person or place under an active requirement
        # flags a possible breach to the owning officer. The sender is named by its label: people
        # is below this app and knows nothing of it (ADR 0037).
        post_save.connect(breach_check_link, sender="people.ReportLink", dispatch_uid="interventions_breach")
        register_subject_access("interventions", interventions_about)
        # Each intervention is a case of its own kind on the kernel (ADR 0066).
        register_case_kind(INTERVENTION_KIND)
        # Closed interventions on the schedule of docs/data-protection.md (docs/interventions.md).
        register_schedule("interventions", plan=retention.planned_line, dispose=retention.disposed_line)
        # Their cases on the kernel go with them under that schedule (from the last timeline event,
        # the intervention's own rows first), not the case schedule's (ADR 0095).
        register_case_kind_retention(INTERVENTION, schedule_key="interventions", own_schedule="interventions")
