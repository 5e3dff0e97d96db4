"""Signing in: password, then a code from an authenticator app (docs/access.md, ADR 0004)."""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import mfa
from .forms import CodeForm
from .middleware import SignInLifetimeMiddleware


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    """The password step. On success the session is signed in but not yet verified: every page
    except the two-factor pages stays closed until a code is entered."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from .oidc import providers_for_sign_in

        return {**super().get_context_data(**kwargs), "providers": providers_for_sign_in()}

    def form_valid(self, form):
        from .oidc import password_refused_for

        provider = password_refused_for(form.get_user())
        if provider is not None:
            # Their organisation signs them in: a password (a leaver's included) opens nothing.
            form.add_error(
                None,
                f"{provider.organisation} signs its staff in through {provider.name}: "
                f"use \u201cSign in with {provider.name}\u201d below.",
            )
            return self.form_invalid(form)
        next_url = self.get_success_url()
        super().form_valid(form)
        import time

        self.request.session[SignInLifetimeMiddleware.SESSION_KEY] = time.time()
        user = form.get_user()
        target = "accounts:two_factor" if mfa.confirmed_device(user) else "accounts:two_factor_setup"
        return redirect(reverse(target) + "?" + urlencode({"next": next_url}))


def _finish(request, device):
    django_otp.login(request, device)
    request.session.cycle_key()
    from casereview.audit.services import access_event_record

    access_event_record(request=request, action="sign_in", summary="Signed in with a second factor")
    return redirect(_safe_next(request))


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor(request):
    """Enter the code from the authenticator app."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    device = mfa.confirmed_device(request.user)
    if device is None:
        return redirect(reverse("accounts:two_factor_setup") + "?" + urlencode({"next": _safe_next(request)}))
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        return _finish(request, device)
    return render(request, "accounts/two_factor.html", {"form": form, "next": _safe_next(request)})


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_setup(request):
    """First sign-in: set up an authenticator app. Once a device is confirmed it can be replaced
    only by an administrator (who removes it), never by someone holding just the password."""
    if mfa.confirmed_device(request.user):
        return redirect(reverse("accounts:two_factor") + "?" + urlencode({"next": _safe_next(request)}))
    device = mfa.pending_device(request.user)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _finish(request, device)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": _safe_next(request),
            "secret": mfa.secret_grouped(device.key),
            "qr": mfa.qr_svg_data_uri(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


class PartnershipChoiceForm(forms.Form):
    partnership = forms.TypedChoiceField(
        label="Which partnership are you working in?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the partnership you are working in",
            "invalid_choice": "Choose the partnership you are working in",
        },
        help_text="You see only that partnership's cases, reports, exports and searches, with the roles "
        "it granted you. You can change it at any time from the top of every page.",
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.pk, p.name) for p in partnerships]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def choose_partnership(request):
    """Choose (or change) the partnership to work in: only those the user works in are offered,
    and the choice is kept in the session (`WorkingPartnershipMiddleware`)."""
    from casereview.audit.services import access_event_record

    from .middleware import WORKING_PARTNERSHIP_SESSION_KEY
    from .selectors import partnerships_of

    if not request.user.is_verified():
        return redirect(reverse("accounts:two_factor") + "?" + urlencode({"next": _safe_next(request)}))
    partnerships = partnerships_of(request.user)
    form = PartnershipChoiceForm(
        request.POST or None, partnerships=partnerships, initial={"partnership": request.user.partnership_id}
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["partnership"]
        request.session[WORKING_PARTNERSHIP_SESSION_KEY] = chosen
        request.user.work_in(chosen)
        access_event_record(
            request=request,
            action="update",
            summary=f"Working in partnership {request.user.partnership.slug}",
            details={"partnership": request.user.partnership.slug},
        )
        return redirect(_safe_next(request))
    return render(
        request,
        "accounts/choose_partnership.html",
        {"form": form, "next": _safe_next(request), "partnerships": partnerships},
    )


def locked_out(request, original_response=None, credentials=None):
    """Shown (status 429) while a username and address are locked out after repeated failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
