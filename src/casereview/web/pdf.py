"""PDFs from HTML (WeasyPrint) that can never reach out: the URL fetcher allows only data: URIs
and the site's own static files, so markup that slipped into a document (an <img src> in
someone's free text) cannot make the server fetch anything (no SSRF, no file:// reads).
Every PDF the product makes goes through `html_to_pdf` (a test checks no other module calls
WeasyPrint)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher

_STATIC_PREFIX = "/static/"
BASE_URL = "http://pdf.local/"


class BlockedFetch(ValueError):
    pass


class SafeURLFetcher(URLFetcher):
    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(BASE_URL + _STATIC_PREFIX.lstrip("/")):
            found = finders.find(url[len(BASE_URL + _STATIC_PREFIX.lstrip("/")) :].split("?")[0])
            if found:
                return super().fetch("file://" + str(found), headers)
        raise BlockedFetch(f"Refused to fetch {url[:80]!r} while making a PDF")


def safe_url_fetcher(url: str):
    return SafeURLFetcher().fetch(url)


def html_to_pdf(html: str, *, variant: str | None = None) -> bytes:
    """The PDF of `html`. `variant` is WeasyPrint's `pdf_variant` ("pdf/ua-1" for an accessible,
    tagged PDF). Relative URLs resolve against a host that does not exist, so only the site's own
    static files (through the fetcher) and data: URIs can be read."""
    from weasyprint import HTML

    options = {"pdf_variant": variant} if variant else {}
    return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).write_pdf(**options)
