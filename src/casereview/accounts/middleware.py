"""Request-level guards for signed-in staff."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect

# Paths a signed-in user may reach before completing the second factor: the sign-in, two-factor and
# sign-out pages themselves, and static files.
_OPEN_BEFORE_SECOND_FACTOR = ("/account/",)


class SecondFactorRequiredMiddleware:
    """Multi-factor authentication is required for staff: a user who has signed in with a password
    but not yet entered a code from their authenticator is treated as not yet signed in — every
    page except the account pages sends them to the two-factor step (or to set one up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_BEFORE_SECOND_FACTOR)
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            from .mfa import confirmed_device

            target = "accounts:two_factor" if confirmed_device(user) else "accounts:two_factor_setup"
            response = redirect(target)
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
            return response
        return self.get_response(request)


class NoStoreForStaffMiddleware:
    """Pages shown to a signed-in user hold personal data: tell browsers and proxies not to keep
    them (so the back button after sign-out, or a shared computer's cache, shows nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response
