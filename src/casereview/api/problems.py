"""Errors as RFC 9457 problem details (`application/problem+json`, contracts §8).

A validation error lists each wrong field in `errors`, each with a `detail` and a `pointer` (a JSON
Pointer into the request body). The token endpoint alone answers as OAuth 2.0 does (RFC 6749 §5.2):
django-oauth-toolkit's own view, untouched by this handler.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

PROBLEM = "application/problem+json"
TYPE_BASE = "https://casereview.example/problems/"


class ProblemRenderer(JSONRenderer):
    media_type = PROBLEM
    format = "problem+json"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "This update needs an If-Match header with the ETag the record was read with."
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The record changed since it was read: read it again (new ETag) and retry."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


class UnprocessableContent(exceptions.APIException):
    status_code = 422
    default_code = "unprocessable"


class RuleRefused(exceptions.APIException):
    """The rules refused the write (a panel's criteria, the law on a step): nothing is stored; the
    problem's `reasons` member gives each reason in words."""

    status_code = 422
    default_code = "refused"

    def __init__(self, detail: str, reasons: list[str]):
        super().__init__(detail)
        self.reasons = reasons


TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    422: "Validation failed",
    428: "Precondition required",
    429: "Too many requests",
}


def _pointer(path: list) -> str:
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in path) if path else ""


def _flatten(detail, path: list, out: list) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            _flatten(value, [*path, key] if key not in ("non_field_errors", "__all__") else path, out)
    elif isinstance(detail, list):
        if detail and all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            for item in detail:
                out.append({"detail": str(item), "pointer": _pointer(path)})
        else:
            for index, item in enumerate(detail):
                if item:
                    _flatten(item, [*path, index], out)
    else:
        out.append({"detail": str(detail), "pointer": _pointer(path)})


def validation_errors(detail, prefix: list | None = None) -> list[dict]:
    out: list[dict] = []
    _flatten(detail, list(prefix or []), out)
    return out


def problem(
    status_code: int,
    detail: str,
    *,
    code: str = "",
    errors: list | None = None,
    headers=None,
    reasons: list | None = None,
):
    body = {
        "type": f"{TYPE_BASE}{code}" if code else "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    if reasons is not None:
        body["reasons"] = reasons
    response = Response(body, status=status_code, headers=headers, content_type=PROBLEM)
    return response


def exception_handler(exc, context):
    """DRF's exception handler, answering problem details."""
    if isinstance(exc, Http404):
        return problem(404, "No such record.", code="not-found")
    if isinstance(exc, DjangoPermissionDenied):
        return problem(403, str(exc) or "Not allowed.", code="forbidden")
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", "") == "stale":
            return problem(412, PreconditionFailed.default_detail, code="precondition-failed")
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        errors = [
            {"detail": message, "pointer": _pointer([key]) if key not in ("", "__all__") else ""}
            for key, messages in detail.items()
            for message in messages
        ]
        return problem(422, errors[0]["detail"] if errors else "Invalid.", code="validation", errors=errors)
    if isinstance(exc, RuleRefused):
        return problem(422, str(exc.detail), code="refused", reasons=exc.reasons)
    if isinstance(exc, exceptions.ValidationError):
        errors = validation_errors(exc.detail)
        return problem(422, "The request has errors: see `errors`.", code="validation", errors=errors)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        return problem(
            exc.status_code,
            str(exc.detail) if not isinstance(exc.detail, (dict, list)) else "Error.",
            code=code.replace("_", "-"),
            headers=headers,
        )
    return None


__all__ = ["exception_handler", "problem", "status"]
