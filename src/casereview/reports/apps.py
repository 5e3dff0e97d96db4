from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "casereview.reports"
    label = "reports"
    verbose_name = "ASB report log"

    def ready(self):
        from casereview.applications.case_sections import register

        from .views import case_section_context

        register(
            "reports",
            title="Reports in the ASB report log",
            template="reports/_case_section.html",
            context=case_section_context,
            order=15,
        )

        from casereview.privacy.subject_access import register as register_subject_access

        from .subject_access import report_log_about

        register_subject_access("report_log", report_log_about)

        from casereview.privacy.deletion_log import register_before_delete

        register_before_delete("reports.report", _leave_daily_counts)


def _leave_daily_counts(reports) -> None:
    """Reports the retention schedule deletes (or a restore deletes again) leave the daily counts,
    so the hotspots of later dates do not change."""
    from .services import daily_counts_remove

    by_partnership: dict[int, list] = {}
    for row in reports:
        by_partnership.setdefault(row.partnership_id, []).append(row)
    for partnership_id, rows in by_partnership.items():
        daily_counts_remove(partnership_id=partnership_id, reports=rows)
