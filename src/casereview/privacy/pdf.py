"""PDFs from HTML (WeasyPrint) that can never reach out: the URL fetcher allows only data: URIs
and the site's own static files, so markup that slipped into a document (an <img src> in
someone's free text) cannot make the server fetch anything (no SSRF, no file:// reads)."""

from __future__ import annotations

from django.contrib.staticfiles import finders

_STATIC_PREFIX = "/static/"


class BlockedFetch(ValueError):
    pass


def safe_url_fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    marker = url.find(_STATIC_PREFIX)
    if url.startswith(("file://", "http://pdf.local/")) and marker != -1:
        found = finders.find(url[marker + len(_STATIC_PREFIX) :])
        if found:
            return default_url_fetcher("file://" + found, *args, **kwargs)
    raise BlockedFetch(f"Refused to fetch {url[:80]!r} while making a PDF")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url="http://pdf.local/", url_fetcher=safe_url_fetcher).write_pdf()
