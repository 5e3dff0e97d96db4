from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "casereview.people"
    label = "people"
    verbose_name = "People and places"

    def ready(self):
        from casereview.applications.access_grants import register as register_access_grant
        from casereview.applications.case_sections import register as register_case_section
        from casereview.privacy.retention import register_schedule
        from casereview.privacy.subject_access import register as register_subject_access
        from casereview.reports.callers import register_caller_people

        from . import retention
        from .selectors import caller_people, granted_application_ids
        from .subject_access import people_about
        from .views import case_section_context

        # A case the lead agency granted an agency access to is visible to that agency's officers
        # through the one selector (applications.selectors.applications_visible_to).
        register_access_grant("people_access_requests", granted_application_ids)
        register_case_section(
            "people",
            title="People and places",
            template="people/_case_section.html",
            context=case_section_context,
            order=12,
        )
        register_subject_access("people_and_places", people_about)
        # The repeat-callers page shows each person with every key they reported under.
        register_caller_people(caller_people)
        # Profiles, identifiers, places and links on the schedule of docs/data-protection.md.
        register_schedule("people_and_places", plan=retention.planned_line, dispose=retention.disposed_line)
