"""Turn a partnership's invalid local policy into a page that says what is wrong.

A policy is validated when it is saved (`Partnership.clean`), but a preset file can change under a
running service, or a policy be written straight into the database. Any page that reads it then
meets the core's `PolicyError`, which names the offending key (e.g. `threshold.window`). Staff are
shown that key and the problem, so the administrator can correct the policy; the public, who can do
nothing about it, are told only that the service cannot work it out now. Either way the response is
503 — the page cannot work until the policy is fixed — and the error is logged in full.
"""

import logging

from django.shortcuts import render

from casereview.core.errors import PolicyError

logger = logging.getLogger(__name__)


class PolicyErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PolicyError):
            return None
        logger.error("Local policy error on %s: %s", request.path, exception)
        user = getattr(request, "user", None)
        staff = bool(user is not None and user.is_authenticated)
        return render(
            request,
            "web/policy_error.html",
            {"error": exception, "show_detail": staff},
            status=503,
        )
