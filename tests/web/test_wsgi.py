"""The WSGI module loads the URLconf and the API at import (issue 14): gunicorn preloads it in the
master, so the forked workers share those modules instead of each loading them on its first
request (about a second of CPU per worker)."""

import os
import subprocess
import sys

LOADED = (
    "import sys; import casereview.wsgi; "
    "from django.urls import get_resolver; "
    "print(','.join(str(name in sys.modules) for name in "
    "('casereview.urls', 'casereview.api.views', 'casereview.reports.views', 'rest_framework.views'))); "
    "print(get_resolver()._populated)"
)


def test_importing_the_wsgi_module_loads_the_urlconf_and_the_api():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", LOADED], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.split() == ["True,True,True,True", "True"]
