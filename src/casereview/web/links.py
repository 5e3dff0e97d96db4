"""Full addresses of the service's pages, for what is read away from it: emails and letters."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def public_url(path: str) -> str:
    """`path` (e.g. "/apply/") on the service's own address, CASEREVIEW_BASE_URL."""
    return settings.CASEREVIEW_BASE_URL.rstrip("/") + path


def apply_url() -> str:
    """Where the public apply for an ASB Case Review online (contracts §1: it stays at /apply/)."""
    return public_url(reverse("apply:start"))
