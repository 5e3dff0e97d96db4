"""The administrator's pages for API clients, under /api-clients/ (docs/api.md)."""

from django.urls import path

from . import pages

app_name = "api-pages"

urlpatterns = [
    path("", pages.clients, name="clients"),
    path("<int:pk>/rotate/", pages.client_rotate, name="rotate"),
    path("<int:pk>/revoke/", pages.client_revoke, name="revoke"),
]
