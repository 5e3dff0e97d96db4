from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "casereview.dashboards"
    label = "dashboards"

    def ready(self):
        # A Chief Executive, Head of Service or senior manager lands on their dashboard, not the
        # case list (web.views.home asks the landings registered here).
        from casereview.web.landing import register_landing

        from .views import landing_for

        register_landing(landing_for)
