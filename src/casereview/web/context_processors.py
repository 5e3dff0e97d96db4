from django.conf import settings
from django.urls import reverse

# The staff menu. Plain paths, so each part of the product adds its pages without editing here.
STAFF_NAVIGATION = [
    ("Cases", "/cases/"),
    ("Reviews", "/reviews/"),
    ("Information requests", "/reviews/requests/"),
    ("Panels", "/panels/"),
    ("Actions", "/actions/"),
    ("ASB reports", "/reports/"),
    ("Statistics", "/statistics/"),
    ("Audit", "/audit/"),
]


def service(request):
    path = request.path
    # The most specific matching item is the current one (/reviews/requests/ is not also /reviews/).
    matches = [href for _, href in STAFF_NAVIGATION if path.startswith(href)]
    current = max(matches, key=len, default=None)
    navigation = [
        {"label": label, "href": href, "active": href == current} for label, href in STAFF_NAVIGATION
    ]
    partnership = getattr(getattr(request, "user", None), "partnership", None)
    return {
        "service_name": getattr(settings, "SERVICE_NAME", "ASB Case Review"),
        "header_title": f"{partnership.name} – ASB Case Review" if partnership else "ASB Case Review",
        "staff_navigation": navigation,
        "home_url": reverse("web:home"),
    }
