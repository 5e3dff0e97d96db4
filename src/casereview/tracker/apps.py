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

        # A merge of people or places moves an entry's occupant or place to the kept record, and
        # an unmerge puts it back (and asks where each entry added since goes).
        from casereview.people.merges import register_merge_links

        from .services import (
            tracker_merge_counts,
            tracker_merge_describe,
            tracker_merge_made_since,
            tracker_merge_move,
            tracker_merge_restore,
        )

        register_merge_links(
            "tracker",
            move=tracker_merge_move,
            restore=tracker_merge_restore,
            made_since=tracker_merge_made_since,
            counts=tracker_merge_counts,
            describe=tracker_merge_describe,
        )
