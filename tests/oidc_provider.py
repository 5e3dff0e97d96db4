"""A small, real OpenID Connect provider the tests start (issue 18): a WSGI app on a local port in
a thread, signing ID tokens (RS256) with an RSA key generated at start, serving discovery, JWKS,
authorisation and token endpoints. The person "signed in at the provider" is whoever the test
says (`provider.person = {...claims}`); nothing of the product's own code is replaced.

With `client_key` (the client's public key, as GOV.UK One Login holds it), the token endpoint
authenticates the client by `private_key_jwt` only (RFC 7523, as One Login does): a signed
`client_assertion` whose iss and sub are the client id and aud the token endpoint — a secret is
refused.

    with LocalOIDCProvider(client_id="casereview", client_secret="s3cret") as provider:
        provider.person = {"sub": "u1", "email": "a@example.org", "groups": ["g1"], "amr": ["pwd", "mfa"]}
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class LocalOIDCProvider:
    def __init__(
        self, *, client_id: str = "casereview", client_secret: str = "provider-secret", client_key=None
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self.client_key = client_key  # an RSAKey (public part used): private_key_jwt only
        self.assertions_seen: list[dict] = []
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": secrets.token_hex(4), "use": "sig", "alg": "RS256"}
        )
        self.signing_key = None  # a test sets another key here to sign with one not published
        self.person: dict = {}
        self.codes: dict[str, dict] = {}
        self.authorize_queries: list[dict] = []  # what each authorisation request asked (vtr, …)
        self.token_requests = 0
        self._server = make_server("127.0.0.1", 0, self._app, handler_class=_Quiet)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    # --- the endpoints -----------------------------------------------------------------------

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if path == "/.well-known/openid-configuration":
            return self._json(start_response, self.discovery())
        if path == "/jwks":
            return self._json(start_response, KeySet([self.key]).as_dict(private=False))
        if path == "/authorize":
            return self._authorize(start_response, query)
        if path == "/token" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
            return self._token(start_response, environ, form)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": (
                ["private_key_jwt"] if self.client_key else ["client_secret_basic", "client_secret_post"]
            ),
            "scopes_supported": ["openid", "email", "profile"],
        }

    def _authorize(self, start_response, query):
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"unknown client"]
        self.authorize_queries.append(dict(query))
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": query.get("nonce"),
            "redirect_uri": query["redirect_uri"],
            "claims": dict(self.person),
        }
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
        start_response("302 Found", [("Location", location)])
        return [b""]

    def _token(self, start_response, environ, form):
        self.token_requests += 1
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        grant = self.codes.pop(form.get("code", ""), None)
        if self.client_key is not None:
            if not self._client_assertion_valid(form):
                return self._json(start_response, {"error": "invalid_client"}, "401 Unauthorized")
        elif (client_id, client_secret) != (self.client_id, self.client_secret):
            return self._json(start_response, {"error": "invalid_client"}, "401 Unauthorized")
        if grant is None or form.get("grant_type") != "authorization_code":
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, **grant["claims"]}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        key = self.signing_key or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)
        body = {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }
        return self._json(start_response, body)

    def _client_assertion_valid(self, form) -> bool:
        """RFC 7523 §3: signed by the client's key; iss = sub = client id; aud the token endpoint;
        not expired; and no client secret alongside."""
        if form.get("client_secret") or form.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return False
        try:
            token = jwt.decode(form.get("client_assertion", ""), self.client_key)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.client_id},
                sub={"essential": True, "value": self.client_id},
                aud={"essential": True, "value": f"{self.issuer}/token"},
                exp={"essential": True},
                jti={"essential": True},
            ).validate(token.claims)
        except Exception:  # noqa: BLE001 - any bad assertion is an unknown client
            return False
        self.assertions_seen.append(dict(token.claims))
        return True

    @staticmethod
    def _json(start_response, body, status="200 OK"):
        start_response(status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")])
        return [json.dumps(body).encode()]
