"""The address a request came from, for the access log and the sign-in lockout — one rule for both.

Directly on the internet, that is the connection's own address (REMOTE_ADDR). Behind reverse
proxies, every request arrives from the nearest proxy; set CASEREVIEW_PROXY_COUNT to how many
proxies of yours stand in front of the service. Each appends the address it was reached from to
X-Forwarded-For, so the client's address is the entry that many places from the right. Anything
further left was written by the client and is not trusted. A header with fewer entries than that
did not come through all the proxies, so the connection's own address is used.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str | None:
    proxies = int(getattr(settings, "CASEREVIEW_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= proxies:
            return entries[-proxies]
    return request.META.get("REMOTE_ADDR") or None
