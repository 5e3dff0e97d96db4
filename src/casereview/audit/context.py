"""Who is acting, and from where, for the duration of one request (set by AuditMiddleware).

Services called from a view record their audit rows without being handed the request; commands
and tests that run outside a request record the actor they are given, with no address.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    user: object = None
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""
    method: str = ""
    recorded: int = field(default=0)
    # A partner API call (casereview.api): the client's id and the person its system declares
    # acting (the X-Acting-User header), recorded as declared on every row of the request.
    api_client: str = ""
    acting_person: str = ""


current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("audit_request", default=None)


def get() -> RequestContext | None:
    return current.get()
