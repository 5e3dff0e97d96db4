"""Request-level guards for signed-in staff."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect

# Paths a signed-in user may reach before completing the second factor: the sign-in, two-factor and
# sign-out pages themselves, and static files.
_OPEN_BEFORE_SECOND_FACTOR = ("/account/",)


def _signed_out_to_sign_in(request, message: str):
    """Sign the person out, say why, and send them to sign in again, back to where they were."""
    from django.contrib import messages
    from django.contrib.auth import logout

    logout(request)
    messages.info(request, message)
    target = redirect(settings.LOGIN_URL)
    target["Location"] += "?" + urlencode({"next": request.get_full_path()})
    return target


class IdleTimeoutMiddleware:
    """Sign a member of staff out after SESSION_IDLE_MINUTES without a request (a shared office
    computer left signed in shows nobody's case). Each request renews the clock, but the session is
    written only when the stored time is more than `RENEW_AFTER_SECONDS` old: a page and its dozen
    quick requests write the session once, not a dozen times (the timeout is at most that late)."""

    SESSION_KEY = "_last_activity"
    RENEW_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            import time

            now = time.time()
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - float(last) > settings.SESSION_IDLE_MINUTES * 60:
                return _signed_out_to_sign_in(
                    request,
                    f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity, "
                    "to keep the records safe. Sign in again to continue.",
                )
            if last is None or now - float(last) >= self.RENEW_AFTER_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class SignInLifetimeMiddleware:
    """A sign-in lasts at most SIGN_IN_MAX_MINUTES however active the person is (ADR 0042): then
    they sign in again, and one through an identity provider has their roles checked again there —
    so a leaver disabled at their organisation loses access within that time at most."""

    SESSION_KEY = "signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            import time

            now = time.time()
            started = request.session.setdefault(self.SESSION_KEY, now)
            if now - float(started) > settings.SIGN_IN_MAX_MINUTES * 60:
                from django.utils.translation import gettext

                from casereview.web.dates import duration_words

                return _signed_out_to_sign_in(
                    request,
                    gettext(
                        "You have been signed in for %(duration)s, the most one sign-in lasts. "
                        "Sign in again to continue."
                    )
                    % {"duration": duration_words(settings.SIGN_IN_MAX_MINUTES)},
                )
        return self.get_response(request)


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


WORKING_PARTNERSHIP_SESSION_KEY = "working_partnership"

# Pages a user who works in several partnerships reaches before choosing one.
_OPEN_BEFORE_CHOOSING = (
    "/account/sign-in/",
    "/account/sign-out/",
    "/account/two-factor/",
    "/account/partnership/",
)


class WorkingPartnershipMiddleware:
    """The partnership a member of staff is working in (ADR 0041), remembered in the session.

    Every request, the signed-in user is set to work in the session's partnership
    (`User.work_in`), so `user.partnership`, `user.agency`, `user.roles` — and so every selector,
    page, export and search — are that partnership's only. A choice no longer backed by a
    membership is forgotten. Someone who works in several partnerships and has not chosen is
    sent to the chooser; someone who works in one works in it without choosing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.session.get(WORKING_PARTNERSHIP_SESSION_KEY)
            if chosen is not None and not user.work_in(chosen):
                request.session.pop(WORKING_PARTNERSHIP_SESSION_KEY, None)
                user.work_in(None)
            if (
                user.partnership_id is None
                and user.is_verified()
                and len(user.membership_list()) > 1
                and not request.path.startswith(_OPEN_BEFORE_CHOOSING)
                and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            ):
                response = redirect("accounts:choose_partnership")
                response["Location"] += "?" + urlencode({"next": request.get_full_path()})
                return response
        return self.get_response(request)
