import pytest

from tests.conftest import assert_accessible


@pytest.mark.django_db
def test_start_page_links_to_the_application_form(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/apply/"' in response.content
    assert b"Ask for an ASB Case Review" in response.content


@pytest.mark.django_db
def test_staff_pages_need_sign_in(client):
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_start_page_is_accessible_in_chromium(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ask for an ASB Case Review"
    assert_accessible(page)
