import functools

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

# The staff menu: label, path, and who sees the link — None for every member of staff, or a
# permission name (`user.has_perm`), or a dotted path to a `(user) -> bool` (the same check the
# page itself makes), so nobody is shown a link that answers 404 for them.
STAFF_NAVIGATION = [
    ("Dashboard", "/dashboards/", "casereview.dashboards.views.may_see_any_dashboard"),
    ("Cases", "/cases/", None),
    ("Reviews", "/reviews/", None),
    ("Information requests", "/reviews/requests/", None),
    ("Panels", "/panels/", None),
    ("Actions", "/actions/", None),
    ("ASB reports", "/reports/", "casereview.reports.selectors.log_any_access"),
    ("People and places", "/people/", "casereview.people.selectors.may_search"),
    ("Interventions", "/interventions/", "casereview.interventions.selectors.may_see_list"),
    ("Cuckooing tracker", "/tracker/", "casereview.tracker.selectors.may_use_tracker"),
    ("Statistics", "/statistics/", None),
    ("Data return", "/returns/", "casereview.returns.views.may_take_return"),
    (
        "Policing body reviews",
        "/policing-body-reviews/",
        "casereview.lpbreviews.selectors.user_reviews_for_lpb",
    ),
    ("Data protection", "/data-protection/", "privacy.manage_data_subject_requests"),
    ("Audit", "/audit/", "privacy.view_audit_log"),
    ("Held letters", "/letters/held/", "casereview.letters.selectors.user_can_release_letters"),
    ("Administration", "/account/administration/", "casereview.accounts.services.user_can_administer"),
]


def _may_see(user, who) -> bool:
    if who is None:
        return True
    if "." in who and who.startswith("casereview."):
        return bool(_check(who)(user))
    return user.has_perm(who)


@functools.cache
def _check(path: str):
    """The check a menu item names, imported once a process (the names are STAFF_NAVIGATION's)."""
    from django.utils.module_loading import import_string

    return import_string(path)


def service(request):
    # Once a request: a case page renders each app's section with the request's context too.
    if not hasattr(request, "_service_context"):
        request._service_context = _service(request)
    return request._service_context


def _service(request):
    path = request.path
    # The most specific matching item is the current one (/reviews/requests/ is not also /reviews/).
    user = getattr(request, "user", None)
    shown = [
        (label, href)
        for label, href, who in STAFF_NAVIGATION
        if user is not None and user.is_authenticated and _may_see(user, who)
    ]
    matches = [href for _, href in shown if path.startswith(href)]
    current = max(matches, key=len, default=None)
    navigation = [{"label": label, "href": href, "active": href == current} for label, href in shown]
    partnership = getattr(getattr(request, "user", None), "partnership", None)
    return {
        # The public pages' name in the page's language (staff pages are always English).
        "service_name": getattr(settings, "SERVICE_NAME", None) or gettext("ASB Case Review"),
        "header_title": f"{partnership.name} – ASB Case Review"
        if partnership
        else gettext("ASB Case Review"),
        "staff_navigation": navigation,
        # Someone who works in several partnerships can change the one they are working in.
        "switch_partnership": bool(
            user is not None and user.is_authenticated and len(user.membership_list()) > 1
        ),
        "home_url": reverse("web:home"),
    }
