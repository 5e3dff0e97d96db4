"""Static files, with GOV.UK Frontend's fonts and images at the address its stylesheet expects.

GOV.UK Frontend's precompiled stylesheet refers to its fonts and images as `/assets/...` (the
`$govuk-assets-path` it was built with), not under our STATIC_URL. Unserved, every page asked
Django for `/assets/fonts/...`: the fonts never loaded, and for a half-signed-in user each such
request was redirected to the two-factor page — a page render that re-sent the CSRF cookie and could
race a sign-in form in the same browser. WhiteNoise serves that folder at `/assets/` too, before
sessions, CSRF or sign-in are consulted, so a font request never touches them.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

ASSETS_PREFIX = "/assets/"


def govuk_assets_dir():
    """Where GOV.UK Frontend's `assets` folder is: in node_modules when it was installed there,
    otherwise in the collected static files (a production image may carry only those)."""
    installed = settings.NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets"
    if installed.is_dir() or not settings.STATIC_ROOT:
        return installed
    from pathlib import Path

    return Path(settings.STATIC_ROOT) / "govuk" / "assets"


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise as configured in settings, plus GOV.UK Frontend's assets at `/assets/`."""

    def __init__(self, get_response=None):
        super().__init__(get_response)
        assets = govuk_assets_dir()
        if assets.is_dir():
            self.add_files(str(assets), prefix=ASSETS_PREFIX)
