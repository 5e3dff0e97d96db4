from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "casereview.tracker"
    label = "tracker"
    verbose_name = "Cuckooing address tracker"

    def ready(self):
        from casereview.reports.ingest import register_reports_arrived

        from .services import entries_reopen_for_reports

        # A new report at an archived address re-opens it and tells its owner (docs/tracker.md).
        register_reports_arrived("tracker_reopen", entries_reopen_for_reports)
