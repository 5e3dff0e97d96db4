from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "casereview.referrals"
    label = "referrals"
    verbose_name = "Referrals to the standing panels, their cases and meetings"

    def ready(self):
        from casereview.applications.kinds import register_case_kind_family
        from casereview.core.case_kinds import PANEL_CASE_PREFIX, panel_case_kind

        # Every panel the local policy declares is a kind of case "panel:<code>" (ADR 0064).
        register_case_kind_family(PANEL_CASE_PREFIX, panel_case_kind)

        # The report log's onward links: a repeat caller's triage and a hotspot to a panel.
        from casereview.reports.onward import register_onward_routes

        from .onward import hotspot_routes, triage_routes

        register_onward_routes(triage=triage_routes, hotspot=hotspot_routes)

        # A merge of people or places moves a referral's person, household and place (and an
        # unmerge puts them back, and asks where each made since goes), through this app's service.
        from casereview.people.merges import register_merge_links

        from .services import (
            referrals_merge_counts,
            referrals_merge_describe,
            referrals_merge_made_since,
            referrals_merge_move,
            referrals_merge_restore,
        )

        register_merge_links(
            "referrals",
            move=referrals_merge_move,
            restore=referrals_merge_restore,
            made_since=referrals_merge_made_since,
            counts=referrals_merge_counts,
            describe=referrals_merge_describe,
        )

        # A standing panel's minutes as issued (letters of no case) on the retention schedule of
        # docs/data-protection.md: the case review's own schedule never reaches them.
        from casereview.privacy.retention import register_schedule

        from . import retention

        register_schedule("panel_minutes", plan=retention.planned_line, dispose=retention.disposed_line)

        # The panels' cases themselves on the case schedule (ADR 0095): the case period from their
        # closure, the kind named by the policy; this app's own records of a case deleted before it.
        from casereview.privacy.retention import register_case_kind_retention, register_case_records

        register_case_kind_retention(
            PANEL_CASE_PREFIX, schedule_key="panel_case", words=retention.panel_case_words
        )
        register_case_records("referrals", records_delete=retention.panel_cases_records_delete)
