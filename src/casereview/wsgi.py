"""The WSGI application (gunicorn: deploy/gunicorn.conf.py, which preloads it in the master).

Django imports the URLconf — and with it every app's views, the partner API and Django REST
framework — only when the first request arrives. Under gunicorn's ``preload_app`` that first
request is each *worker's*, after the fork, so every worker paid about a second of CPU for it
(issue 14). Loading them here, once, in the master, lets every forked worker share them.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
application = get_wsgi_application()


def _load_at_import() -> None:
    """Import the URLconf (every app's views and the API) and build its lookup tables now."""
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports ROOT_URLCONF and every included module
    resolver.reverse_dict  # noqa: B018 - builds the name and pattern tables (default language)


_load_at_import()
