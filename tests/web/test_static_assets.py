"""GOV.UK Frontend's stylesheet asks for its fonts and images at /assets/: they must be served there,
to anyone, without a session, a CSRF cookie or the sign-in pages getting involved."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.security.test_sign_in import password_step


def stylesheet_asset_urls():
    css = (settings.NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.css").read_text()
    return sorted(set(re.findall(r"url\((/assets/[^)\"']+)\)", css)))


def test_the_stylesheet_refers_to_fonts_and_images_under_assets():
    urls = stylesheet_asset_urls()
    assert any(url.endswith(".woff2") for url in urls), urls


@pytest.mark.django_db
def test_every_asset_the_stylesheet_names_is_served_even_half_signed_in(demo):
    client = Client()
    assert password_step(client, "wn-csm")["Location"].startswith("/account/two-factor/")
    for url in stylesheet_asset_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, f"{url} set {list(response.cookies)}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        on_disk = settings.NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / url.lstrip("/")
        assert body == on_disk.read_bytes(), url


@pytest.mark.django_db
def test_an_unknown_asset_is_not_found_not_redirected():
    assert Client().get("/assets/fonts/no-such-font.woff2").status_code == 404
