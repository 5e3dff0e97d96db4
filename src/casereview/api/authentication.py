"""Bearer tokens from the token endpoint (django-oauth-toolkit), for live clients only; the call is
then attributed in the access log to the client and to the person its system declares acting."""

from __future__ import annotations

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_validators import OAuth2Validator
from rest_framework import exceptions

from casereview.audit import context

from .models import ApiClient

ACTING_HEADER = "X-Acting-User"


class ClientAuthentication(OAuth2Authentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            if request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer "):
                raise exceptions.AuthenticationFailed("The access token is invalid or expired.")
            return None
        _, token = result
        # One query for the client with what every call uses (its account, partnership and agency).
        client = (
            ApiClient.objects.select_related("service_user", "partnership", "agency")
            .filter(application_id=token.application_id)
            .first()
        )
        if client is not None:
            client.application = token.application  # already read with the token
        # A client-credentials token carries no user: the call acts as the client's service account.
        user = client.service_user if client is not None else None
        if client is None or client.revoked_at is not None or not user.is_active:
            raise exceptions.AuthenticationFailed("This client has been revoked.")
        request._api_client = client
        ctx = context.get()
        if ctx is not None:
            ctx.user = user
            ctx.api_client = client.client_id
            ctx.acting_person = request.META.get("HTTP_X_ACTING_USER", "")[:200]
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ClientScopesValidator(OAuth2Validator):
    """A client gets at most the scopes it was created with; asking for none gives them all."""

    def _allowed(self, client) -> list[str]:
        api_client = getattr(client, "api_client", None)
        if api_client is None or api_client.revoked_at is not None:
            return []
        return api_client.scope_list

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        return set(scopes) <= set(self._allowed(client))

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return self._allowed(request.client)

    def authenticate_client(self, request, *args, **kwargs):
        ok = super().authenticate_client(request, *args, **kwargs)
        if ok and getattr(getattr(request.client, "api_client", None), "revoked_at", None):
            return False
        return ok


try:
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class ClientAuthenticationScheme(OpenApiAuthenticationExtension):
        """The OpenAPI document's security: OAuth 2.0 client credentials, the view's one scope."""

        target_class = ClientAuthentication
        name = "oauth2"

        def get_security_requirement(self, auto_schema):
            scope = getattr(auto_schema.view, "required_scope", None)
            return {self.name: [scope] if scope else []}

        def get_security_definition(self, auto_schema):
            from .scopes import SCOPES

            return {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "/api/v1/oauth/token", "scopes": dict(SCOPES)}},
            }
except ImportError:  # pragma: no cover - drf-spectacular is a dependency
    pass
