"""The site's addresses. `/apply/` and `/statistics/` are public and fixed by contract (§1):
councils link to them from their own websites."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("casereview.web.urls")),
    path("apply/", include("casereview.apply.urls")),
    path("my-review/", include("casereview.portal.urls")),
    # What the victim sent from their own view, for the staff (ADR 0072); English, staff only.
    path("own-view/", include("casereview.portal.staff_urls")),
    path("statistics/", include("casereview.statistics.urls")),
    path("account/", include("casereview.accounts.urls")),
    path("cases/", include("casereview.applications.urls")),
    path("letters/", include("casereview.letters.urls")),
    path("reviews/", include("casereview.reviews.urls")),
    path("panels/", include("casereview.panels.urls")),
    path("actions/", include("casereview.actions.urls")),
    path("appeals/", include("casereview.appeals.urls")),
    path("repeats/", include("casereview.repeats.urls")),
    path("notices/", include("casereview.notifications.urls")),
    path("audit/", include("casereview.audit.urls")),
    path("data-protection/", include("casereview.privacy.urls")),
    path("reports/", include("casereview.reports.urls")),
    path("people/", include("casereview.people.urls")),
    path("interventions/", include("casereview.interventions.urls")),
    path("returns/", include("casereview.returns.urls")),
    path("policing-body-reviews/", include("casereview.lpbreviews.urls")),
    path("dashboards/", include("casereview.dashboards.urls")),
    # The partner API (contracts §8, docs/api.md).
    path("api/v1/", include("casereview.api.urls")),
    path("api-clients/", include("casereview.api.page_urls")),
    path("tracker/", include("casereview.tracker.urls")),
    path("referrals/", include("casereview.referrals.urls")),
    # The public pages' language switch (Django's set_language; web/language.py).
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

handler404 = "casereview.web.views.page_not_found"
