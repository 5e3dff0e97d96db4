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
