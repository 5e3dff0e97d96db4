from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "casereview.returns"
    label = "returns"
    verbose_name = "Force areas and the data return"

    def ready(self):
        from casereview.lpbreviews.registry import register_policing_body_lookup

        from .selectors import policing_body_of_partnership

        # The review route (lpbreviews, a layer below) asks which body and nation a partnership has.
        register_policing_body_lookup(policing_body_of_partnership)
