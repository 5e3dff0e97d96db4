from django.apps import AppConfig


class LpbReviewsConfig(AppConfig):
    name = "casereview.lpbreviews"
    label = "lpbreviews"
    verbose_name = "The local policing body's reviews"

    def ready(self):
        from casereview.letters.context import register_lpb_review_route

        from .selectors import lpb_review_route_words

        # The not-met letter carries the route once it is in force (letters sit below this app).
        register_lpb_review_route(lpb_review_route_words)

        # Deleted with its case at the end of the case's retention (ADR 0095).
        from casereview.privacy.retention import register_case_records

        from . import retention

        register_case_records("lpbreviews", records_delete=retention.case_records_delete)
