from __future__ import annotations

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle


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


class ClientRateThrottle(SimpleRateThrottle):
    """Each client's own rate (ApiClient.rate_limit), counted per client."""

    scope = "api_client"

    def __init__(self):  # the rate is the client's, read per request
        pass

    def allow_request(self, request, view):
        client = getattr(request, "_api_client", None)
        if client is None:
            return True
        self.rate = client.rate_limit
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return f"throttle_api_client_{request._api_client.pk}"
