"""Every request by signed-in staff is attributable (ADR 0004).

Sets the audit context (who, from where) for the services and signal handlers to use, and, for a
page that showed an identified record (a URL with an identifier in it) or a search, records a
read when nothing more specific was recorded during the request — so a page that forgets to call
`audit_read` is still on the log.
"""

from __future__ import annotations

from . import context
from .models import Action
from .services import _client_ip, access_event_record

_SKIP_PREFIXES = ("/static/", "/account/", "/favicon")


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.RequestContext(
            user=getattr(request, "user", None),
            ip_address=_client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            path=request.path,
            method=request.method,
        )
        token = context.current.set(ctx)
        try:
            response = self.get_response(request)
            self._record_page_read(request, response, ctx)
            return response
        finally:
            context.current.reset(token)

    def _record_page_read(self, request, response, ctx) -> None:
        user = getattr(request, "user", None)
        if (
            ctx.recorded
            or request.method != "GET"
            or response.status_code != 200
            or user is None
            or not user.is_authenticated
            or request.path.startswith(_SKIP_PREFIXES)
        ):
            return
        match = getattr(request, "resolver_match", None)
        kwargs = dict(match.kwargs) if match else {}
        query = {k: v for k, v in request.GET.items() if k not in {"page", "sort", "order", "s"} and v}
        if not kwargs and not query:
            return
        reference = str(kwargs.get("reference", ""))
        access_event_record(
            action=Action.VIEW if kwargs else Action.SEARCH,
            request=request,
            case_reference=reference,
            summary=f"Page {match.view_name if match else request.path}",
            purpose="Staff page",
            details={
                "url_kwargs": {k: str(v) for k, v in kwargs.items()},
                **({"query": query} if query else {}),
            },
        )
