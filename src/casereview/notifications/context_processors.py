"""`unread_notice_count` for the layout (the header link to /notices/).

Add to TEMPLATES OPTIONS context_processors in settings.py:
    "casereview.notifications.context_processors.notices",
"""

from casereview.web.pagination import layout_count

from .selectors import notices_unread_count


def notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Once a request: the case page renders each app's section with the request's context too.
    if not hasattr(request, "_unread_notice_count"):
        # A list page may have counted it already, with its own counts (web.pagination).
        counted = layout_count(request, "unread_notices")
        request._unread_notice_count = counted if counted is not None else notices_unread_count(user)
    return {"unread_notice_count": request._unread_notice_count}
