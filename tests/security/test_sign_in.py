"""Signing in: password, second factor, lockout, idle timeout (docs/access.md)."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from casereview.accounts.mfa import DEMO_TOTP_SECRET, secret_to_hex, totp_code
from casereview.audit.models import AccessEvent
from tests.conftest import assert_accessible, sign_in

PASSWORD = "demo-password-2026"


def password_step(client, username, password=PASSWORD, **extra):
    return client.post("/account/sign-in/", {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_password_alone_does_not_open_staff_pages(demo):
    client = Client()
    response = password_step(client, "wn-csm")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=")
    home = client.get("/home/")
    assert home.status_code == 302
    assert home["Location"] == "/account/two-factor/?next=%2Fhome%2F"
    assert client.get("/audit/").status_code == 302


@pytest.mark.django_db
def test_the_demo_code_completes_sign_in_and_a_wrong_code_is_explained(demo):
    client = Client()
    password_step(client, "wn-csm")
    wrong = client.post("/account/two-factor/", {"code": "000000", "next": "/home/"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    TOTPDevice.objects.filter(user__username="wn-csm").update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    not_digits = client.post("/account/two-factor/", {"code": "12ab", "next": "/home/"})
    assert "Enter the code as 6 digits" in not_digits.content.decode()
    right = client.post(
        "/account/two-factor/", {"code": totp_code(secret_to_hex(DEMO_TOTP_SECRET)), "next": "/home/"}
    )
    assert right.status_code == 302 and right["Location"] == "/home/"
    assert client.get("/home/").status_code == 302  # /home/ redirects to the case list: signed in
    assert client.get("/home/")["Location"] == "/cases/"
    assert AccessEvent.objects.filter(actor__username="wn-csm", action="sign_in").exists()


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(demo):
    code = totp_code(secret_to_hex(DEMO_TOTP_SECRET))
    first = Client()
    password_step(first, "wn-spoc")
    assert first.post("/account/two-factor/", {"code": code})["Location"] == "/home/"
    second = Client()
    password_step(second, "wn-spoc")
    replay = second.post("/account/two-factor/", {"code": code})
    assert replay.status_code == 200


@pytest.mark.django_db
def test_the_next_address_cannot_send_the_user_to_another_site(demo):
    client = Client()
    password_step(client, "wn-csm")
    response = client.post(
        "/account/two-factor/",
        {"code": totp_code(secret_to_hex(DEMO_TOTP_SECRET)), "next": "https://evil.example/phish"},
    )
    assert response["Location"] == "/home/"


@pytest.mark.django_db
def test_a_new_user_sets_up_an_authenticator_with_the_key_shown_as_text(demo):
    from casereview.accounts.models import User

    user = User.objects.create_user(
        "new-officer", password="a-long-unusual-passphrase", partnership=demo.partnership()
    )
    client = Client()
    response = password_step(client, "new-officer", "a-long-unusual-passphrase")
    assert response["Location"].startswith("/account/two-factor/set-up/")
    page = client.get(response["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    from casereview.accounts.mfa import secret_grouped

    assert secret_grouped(device.key) in html
    assert 'src="data:image/svg+xml' in html  # the QR code, with no JavaScript
    done = client.post("/account/two-factor/set-up/", {"code": totp_code(device.key)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # Once set up, the set-up page cannot be used to add another device with just the password.
    other = Client()
    password_step(other, "new-officer", "a-long-unusual-passphrase")
    assert other.get("/account/two-factor/set-up/")["Location"].startswith("/account/two-factor/")
    assert TOTPDevice.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_repeated_failures_lock_the_username_from_that_address(demo):
    client = Client()
    for _ in range(5):
        response = password_step(client, "wn-police", "wrong-password", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    locked = password_step(client, "wn-police", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    assert "You cannot sign in for 15 minutes" in locked.content.decode()
    # The same user from their own desk is not locked out by someone guessing elsewhere.
    elsewhere = password_step(Client(), "wn-police", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302
    assert AccessEvent.objects.filter(action="sign_in_failed", details__username="wn-police").count() >= 5
    # After the cool-off period the pair may try again.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        again = password_step(Client(), "wn-police", PASSWORD, REMOTE_ADDR="203.0.113.9")
        assert again.status_code == 302


@pytest.mark.django_db
def test_sessions_end_after_thirty_idle_minutes_and_activity_extends_them(demo, client):
    client.force_login(demo.user("wn-csm"))
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start + dt.timedelta(minutes=20)):
        assert client.get("/home/")["Location"] == "/cases/"
    with time_machine.travel(start + dt.timedelta(minutes=45)):
        assert client.get("/home/")["Location"] == "/cases/"  # 25 idle minutes since the last request
    with time_machine.travel(start + dt.timedelta(minutes=80)):
        assert client.get("/home/")["Location"].startswith("/account/sign-in/")


@pytest.mark.django_db
def test_the_idle_clock_is_written_to_the_session_at_most_once_a_minute(demo, client):
    from casereview.accounts.middleware import IdleTimeoutMiddleware

    key = IdleTimeoutMiddleware.SESSION_KEY
    client.force_login(demo.user("wn-csm"))
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        client.get("/home/")
    first = client.session[key]
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get("/home/")
        client.get("/cases/")
    assert client.session[key] == first  # not written again within the minute
    with time_machine.travel(start + dt.timedelta(seconds=75), tick=False):
        client.get("/home/")
    assert client.session[key] == pytest.approx(first + 75, abs=1)


@pytest.mark.django_db
def test_the_sign_in_cap_says_how_long_in_hours_and_minutes(demo, client, settings):
    import time

    settings.SIGN_IN_MAX_MINUTES = 90
    client.force_login(demo.user("wn-csm"))
    session = client.session
    session["signed_in_at"] = time.time() - 91 * 60
    session.save()
    response = client.get("/cases/", follow=True)
    assert (
        "You have been signed in for 1 hour 30 minutes, the most one sign-in lasts"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password1234", "12345678901234", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_with_the_second_factor_in_chromium(page, demo):
    page.goto("/account/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill("wn-csm")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # expect() waits for the page the POST leads to; reading page.url at once could still see the
    # sign-in page on a busy machine.
    expect(page).to_have_url(re.compile("/account/two-factor/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill("123")
    page.get_by_role("button", name="Continue").click()
    assert "Enter the code as 6 digits" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    sign_in(page, "wn-csm")  # the shared helper: twice in one step is fine
    assert "/account/" not in page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_setting_up_an_authenticator_in_chromium(page, demo):
    from casereview.accounts.models import User

    User.objects.create_user(
        "new-officer", password="a-long-unusual-passphrase", partnership=demo.partnership()
    )
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill("new-officer")
    page.get_by_label("Password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert_accessible(page)
    sign_in(page, "new-officer", "a-long-unusual-passphrase")
    assert "/account/" not in page.url
    assert TOTPDevice.objects.get(user__username="new-officer").confirmed


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_and_the_access_log_use_the_clients_address(demo, settings):
    """With CASEREVIEW_PROXY_COUNT=1 every request comes from the proxy (REMOTE_ADDR 10.0.0.1); the
    client is the proxy's entry in X-Forwarded-For, and an entry the client wrote itself further
    left is not believed."""
    settings.CASEREVIEW_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        password_step(
            Client(), "wn-police", "wrong-password", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", **proxy
        )
    locked = password_step(Client(), "wn-police", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked.status_code == 429
    # The officer at their own desk, through the same proxy, is not locked out by the guesser.
    own_desk = password_step(Client(), "wn-police", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.44", **proxy)
    assert own_desk.status_code == 302
    failed = AccessEvent.objects.filter(action="sign_in_failed", details__username="wn-police")
    assert set(failed.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # A header with no entry from the proxy: the connection's own address.
    settings.CASEREVIEW_PROXY_COUNT = 2
    from django.test import RequestFactory

    from casereview.web.client_address import client_address

    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"
