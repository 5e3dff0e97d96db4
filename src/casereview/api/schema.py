"""The OpenAPI 3.1 document, generated from the code (drf-spectacular), closed: every object schema
declares `additionalProperties: false`, so an undeclared property in an answer is a schema
violation (the Schemathesis tests). docs/api/openapi.json is this document, committed
(`casereview api-schema > docs/api/openapi.json`; tests/api/test_openapi.py fails on drift)."""

from __future__ import annotations

import json
from functools import lru_cache

from .scopes import SCOPES


def close_objects(result, generator, request, public):
    """drf-spectacular post-processing hook: no undeclared properties anywhere."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    result["paths"] = {"/api/v1/oauth/token": TOKEN_PATH, **result.get("paths", {})}
    result.setdefault("components", {}).setdefault("securitySchemes", {})["oauth2"] = {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": "/api/v1/oauth/token", "scopes": dict(SCOPES)}},
    }
    result["components"].setdefault("schemas", {})["OAuthError"] = {
        "type": "object",
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
        "required": ["error"],
    }
    walk(result.get("components", {}))
    walk(result["paths"])
    return result


TOKEN_PATH = {
    "post": {
        "operationId": "oauth_token",
        "summary": "An access token (OAuth 2.0 client credentials, RFC 6749 §4.4)",
        "description": "Form-encoded `grant_type=client_credentials` (optionally `scope`), the client's id "
        "and secret by HTTP Basic authentication. Errors as RFC 6749 §5.2, not problem details.",
        "tags": ["oauth"],
        "security": [],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials"]},
                            "scope": {"type": "string"},
                        },
                        "required": ["grant_type"],
                    }
                }
            },
        },
        "responses": {
            "200": {
                "description": "The token",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "access_token": {"type": "string"},
                                "token_type": {"type": "string", "enum": ["Bearer"]},
                                "expires_in": {"type": "integer"},
                                "scope": {"type": "string"},
                            },
                            "required": ["access_token", "token_type", "expires_in", "scope"],
                        }
                    }
                },
            },
            "400": {
                "description": "RFC 6749 §5.2 error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}},
            },
            "401": {
                "description": "invalid_client (with WWW-Authenticate)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}},
            },
        },
    }
}


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator(patterns=None)
    document = generator.get_schema(request=None, public=True)
    return json.loads(json.dumps(document, default=str))


def openapi_text() -> str:
    return json.dumps(openapi_document(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def only_api_paths(endpoints):
    """drf-spectacular pre-processing hook: the document covers /api/v1/ only, not the token view."""
    return [e for e in endpoints if e[0].startswith("/api/v1/") and "oauth" not in e[0]]
