"""Search terms that name people never appear in an address: every staff search form with a personal
field is posted, and its result pages and their links carry only an opaque key
(web/private_search.py)."""

import re

import pytest

from casereview.web.private_search import PERSONAL

pytestmark = pytest.mark.django_db

NAME = "Marigold Featherstonehaugh"

# (page, the personal field its search form has, who may use it)
SEARCH_PAGES = [
    ("/cases/", "q", "wn-csm"),
    ("/reports/", "location", "wn-csm"),
    ("/reviews/", "q", "wn-spoc"),
    ("/reviews/requests/", "q", "wn-police"),
    ("/panels/", "q", "wn-spoc"),
    ("/appeals/", "q", "wn-csm"),
    ("/audit/", "person", "wn-dpo"),
    ("/data-protection/requests/new/", "person", "wn-dpo"),
]


def _forms(html):
    return re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.DOTALL)


@pytest.mark.parametrize(("url", "field", "username"), SEARCH_PAGES)
def test_the_search_form_posts_and_the_result_address_names_no_one(client, demo, url, field, username):
    client.force_login(demo.user(username))
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    search_forms = [f for f in _forms(html) if f'name="{field}"' in f]
    assert search_forms, f"{url} has no form with a {field} field"
    for form in search_forms:
        assert 'method="post"' in form and 'name="private_search"' in form, url

    posted = client.post(url, {"private_search": "1", field: NAME})
    assert posted.status_code == 303
    address = posted["Location"]
    assert re.fullmatch(re.escape(url) + r"\?s=[A-Za-z0-9_-]+", address), address
    result = client.get(address)
    assert result.status_code == 200
    html = result.content.decode()
    assert f'value="{NAME}"' in html, f"{url} does not show what was searched for"
    for link in re.findall(r'href="([^"]*)"', html):
        assert "Marigold" not in link and "Featherstonehaugh" not in link, (url, link)


def test_the_key_is_only_good_in_the_session_that_made_it(client, demo):
    from django.test import Client

    from tests.conftest import VerifiedClient

    client.force_login(demo.user("wn-csm"))
    address = client.post("/cases/", {"private_search": "1", "q": NAME})["Location"]
    other = type("Client", (VerifiedClient, Client), {})()
    other.force_login(demo.user("wn-csm"))
    assert NAME not in other.get(address).content.decode()


def test_a_signed_out_post_keeps_nothing(client):
    response = client.post("/cases/", {"private_search": "1", "q": NAME})
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert "private_searches" not in client.session


def test_the_personal_fields_include_every_search_field_above():
    assert {field for _, field, _ in SEARCH_PAGES} <= PERSONAL
