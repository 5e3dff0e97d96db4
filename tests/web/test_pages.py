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


@pytest.mark.django_db
def test_every_menu_link_a_user_is_shown_opens_for_them(demo, client):
    """The staff menu shows each role only the pages it may open: no link that answers 404."""
    from casereview.accounts.models import User

    shown_to = {}
    for user in User.objects.filter(memberships__partnership__slug="west-northamptonshire").order_by(
        "username"
    ):
        client.force_login(user)
        links = client.get("/cases/").context["staff_navigation"]
        for link in links:
            # A link may lead on to the page meant for the user (the dashboards to their role's).
            answer = client.get(link["href"], follow=True)
            assert answer.status_code == 200, (user.username, link["href"])
        shown_to[user.username] = {link["label"] for link in links}
    assert "Audit" in shown_to["wn-dpo"] and "Data protection" in shown_to["wn-dpo"]
    assert "Audit" not in shown_to["wn-csm"] and "ASB reports" in shown_to["wn-csm"]
    assert "ASB reports" not in shown_to["wn-chair"] and "ASB reports" in shown_to["wn-police"]
