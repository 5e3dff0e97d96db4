from __future__ import annotations

import time

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle


class HasScope(BasePermission):
    """The view's `required_scope` must be among the token's scopes; a 403 names the one missing."""

    def has_permission(self, request, view):
        needed = getattr(view, "required_scope", None)
        if needed is None:
            return True
        token = request.auth
        if token is None:
            raise exceptions.NotAuthenticated()
        if needed not in (token.scope or "").split():
            raise exceptions.PermissionDenied(f"This call needs the scope {needed}.")
        return True


class ClientRateThrottle(BaseThrottle):
    """Each client's own rate (ApiClient.rate_limit), counted in the database (ADR 0070), so the
    limit holds across processes; over it, 429 as problem details with Retry-After."""

    def __init__(self):
        self._wait = None

    def allow_request(self, request, view):
        client = getattr(request, "_api_client", None)
        if client is None:
            return True
        from .services import rate_take

        allowed, self._wait = rate_take(client=client, now=time.time())
        return allowed

    def wait(self):
        return self._wait
