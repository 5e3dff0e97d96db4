"""Staff sign-in through the organisation's OpenID Connect provider (issue 18, ADR 0042).

Authlib is the relying party: it fetches the provider's discovery document and keys, sends the
person to the provider with a state and a nonce, exchanges the code, and verifies the ID token
(signature against the provider's published keys, issuer, audience, expiry, nonce). What the
verified claims give is decided in the pure core (`core.provider_sign_in`) and applied in
`services.provider_sign_in_apply`, at every sign-in. The second factor is left to the provider
only when its `amr`/`acr` holds a value the organisation accepts; otherwise the person goes on to
our authenticator-app step as after a password.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import django_otp
import requests
from authlib.integrations.django_client import OAuth, OAuthError
from django.contrib.auth import login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from joserfc.errors import JoseError

from casereview.audit.services import Action, access_event_record
from casereview.core.provider_sign_in import GROUPS_OVERAGE, RoleMapping, decide_sign_in

from . import mfa, services
from .middleware import SignInLifetimeMiddleware
from .models import IdentityProvider, ProviderSecondFactor

# What can go wrong talking to the provider or checking its token: a refusal page, never a 500.
PROVIDER_ERRORS = (OAuthError, JoseError, requests.RequestException, ValueError, KeyError)
NEXT_SESSION_KEY = "provider_sign_in_next"
PROVIDER_SESSION_KEY = "signed_in_through_provider"


def _client(provider: IdentityProvider):
    return OAuth().register(
        name=f"provider-{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.discovery_url,
        client_kwargs={"scope": "openid email profile"},
    )


def _provider(provider_id) -> IdentityProvider:
    return get_object_or_404(
        IdentityProvider.objects.select_related("organisation"), pk=provider_id, enabled=True
    )


def mappings_of(provider: IdentityProvider) -> list[RoleMapping]:
    return [
        RoleMapping(
            partnership_id=m.partnership_id,
            role=m.role,
            group_id=m.group_id,
            email=m.email,
            agency_id=m.agency_id,
        )
        for m in provider.mappings.all()
    ]


@never_cache
def start(request, provider_id):
    """Send the person to their organisation's provider."""
    from .views import _safe_next

    provider = _provider(provider_id)
    request.session[NEXT_SESSION_KEY] = _safe_next(request)
    callback = request.build_absolute_uri(reverse("accounts:provider_callback", args=[provider.pk]))
    try:
        return _client(provider).authorize_redirect(request, callback)
    except PROVIDER_ERRORS as error:
        return _unavailable(request, provider, error)


def _unavailable(request, provider, error, status=502):
    access_event_record(
        request=request,
        action=Action.SIGN_IN_FAILED,
        summary=f"Sign-in through {provider.name} failed: {type(error).__name__}",
    )
    return render(
        request,
        "accounts/provider_refused.html",
        {"provider": provider, "reason": "unavailable"},
        status=status,
    )


@never_cache
def callback(request, provider_id):
    """The provider sends the person back here with a code: verify, decide, sign in or refuse."""
    provider = _provider(provider_id)
    try:
        token = _client(provider).authorize_access_token(request)
    except PROVIDER_ERRORS as error:
        # A bad code or state, or an ID token that fails verification (signature, issuer,
        # audience, expiry, nonce): nobody is signed in.
        return _unavailable(request, provider, error, status=403)
    claims = dict(token.get("userinfo") or {})
    decision = decide_sign_in(
        claims,
        mappings=mappings_of(provider),
        groups_claim=provider.groups_claim,
        accepted_second_factor=provider.accepted_second_factor_values,
    )
    user = services.provider_sign_in_apply(provider=provider, claims=claims, decision=decision)
    if decision.refused or user is None or not user.is_active:
        access_event_record(
            user=user,
            request=None if user else request,
            action=Action.SIGN_IN_FAILED,
            summary=f"Sign-in through {provider.name} refused: {decision.refused or 'account deactivated'}",
        )
        reason = decision.refused if user is None or user.is_active else "deactivated"
        context = {"provider": provider, "reason": reason, "overage": reason == GROUPS_OVERAGE}
        return render(request, "accounts/provider_refused.html", context, status=403)
    next_url = request.session.pop(NEXT_SESSION_KEY, None) or reverse("web:home")
    login(request, user, backend="casereview.accounts.backends.ModelPermissionBackend")
    request.session[SignInLifetimeMiddleware.SESSION_KEY] = time.time()
    request.session[PROVIDER_SESSION_KEY] = provider.pk
    if decision.second_factor_by_provider:
        device, _ = ProviderSecondFactor.objects.get_or_create(
            user=user,
            provider=provider,
            defaults={"name": f"Second factor at {provider.name}", "confirmed": True},
        )
        django_otp.login(request, device)
        request.session.cycle_key()
        access_event_record(
            request=request,
            user=user,
            action=Action.SIGN_IN,
            summary=f"Signed in through {provider.name} (second factor by the provider)",
        )
        return redirect(next_url)
    # The provider did not say a second factor was used: our authenticator app, as after a password.
    target = "accounts:two_factor" if mfa.confirmed_device(user) else "accounts:two_factor_setup"
    return redirect(reverse(target) + "?" + urlencode({"next": next_url}))


def providers_for_sign_in() -> list[IdentityProvider]:
    return list(IdentityProvider.objects.filter(enabled=True).order_by("name"))


def password_refused_for(user) -> IdentityProvider | None:
    """The provider a user's organisation signs its staff in through: they may not use a
    password (a leaver's old password must open nothing)."""
    if user is None or user.organisation_id is None:
        return None
    return IdentityProvider.objects.filter(organisation_id=user.organisation_id, enabled=True).first()
