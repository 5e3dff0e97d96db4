"""`unread_notice_count` for the layout (the header link to /notices/).

Add to TEMPLATES OPTIONS context_processors in settings.py:
    "casereview.notifications.context_processors.notices",
"""

from .selectors import notices_unread_count


def notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Once a request: the case page renders each app's section with the request's context too.
    if not hasattr(request, "_unread_notice_count"):
        request._unread_notice_count = notices_unread_count(user)
    return {"unread_notice_count": request._unread_notice_count}
