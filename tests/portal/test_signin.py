"""Sign-in to the person's own view with a one-time code (ADR 0054)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.utils import timezone

from casereview.audit.models import AccessEvent
from casereview.notifications.models import Message
from casereview.portal import signin
from casereview.portal.models import SignInCode, SignInRequest

pytestmark = pytest.mark.django_db(transaction=True)


def _ask(client, reference, contact):
    return client.post("/my-review/sign-in/", {"reference": reference, "contact": contact})


def _code_from_mail() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_a_code_by_email_signs_the_victim_in(client, case):
    response = _ask(client, case.reference.lower(), "JO@example.com ")
    assert response.status_code == 302 and response["Location"] == "/my-review/sign-in/code/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jo@example.com"]
    code = _code_from_mail()
    # Hashed at rest: neither the code row nor the sent message keeps it readable.
    row = SignInCode.objects.get()
    assert code not in row.code_hash and row.role == "victim" and row.channel == "email"
    message = Message.objects.get(purpose=signin.PURPOSE)
    assert code not in message.body and message.body_deleted_at is not None
    response = client.post("/my-review/sign-in/code/", {"code": code})
    assert response["Location"] == "/my-review/"
    page = client.get("/my-review/")
    assert page.status_code == 200 and case.reference in page.content.decode()
    # Every page view is in the access log as the person.
    assert AccessEvent.objects.filter(
        case_reference=case.reference, actor_username="victim (own view)", action="view"
    ).exists()
    assert AccessEvent.objects.filter(case_reference=case.reference, action="sign_in").exists()


def test_the_answer_is_the_same_for_an_unknown_reference_or_contact(client, case):
    known = _ask(client, case.reference, "jo@example.com")
    unknown_reference = _ask(client, "WNC-1999-9999", "jo@example.com")
    unknown_contact = _ask(client, case.reference, "someone@example.com")
    assert known.status_code == unknown_reference.status_code == unknown_contact.status_code == 302
    assert known["Location"] == unknown_reference["Location"] == unknown_contact["Location"]
    pages = []
    for _ in range(2):
        pages.append(
            re.sub(
                r'name="csrfmiddlewaretoken" value="[^"]+"',
                "",
                client.get("/my-review/sign-in/code/").content.decode(),
            )
        )
    assert pages[0] == pages[1]
    assert len(mail.outbox) == 1  # only the known one was sent
    # A wrong code on an unknown pending sign-in says the same as a wrong code on a known one.
    wrong = client.post("/my-review/sign-in/code/", {"code": "000000"})
    assert "The security code is wrong" in wrong.content.decode()


def test_the_answer_takes_the_same_time_known_or_not(client, case, settings):
    settings.CASEREVIEW_PORTAL_CODE_SECONDS = 0.6
    _ask(client, "WARM-UP", "jo@example.com")  # the first request loads templates
    timings = {"known": [], "unknown": []}
    for _ in range(2):
        for label, reference in (("known", case.reference), ("unknown", "WNC-1999-9999")):
            started = time.monotonic()
            _ask(client, reference, "jo@example.com")
            timings[label].append(time.monotonic() - started)
    known, unknown = min(timings["known"]), min(timings["unknown"])
    assert known >= 0.6 and unknown >= 0.6
    assert abs(known - unknown) < 0.2, timings


def test_no_code_by_a_way_the_person_refused(client, case):
    victim = case.victim
    victim.contact_refusals = "email"
    victim.save(update_fields=["contact_refusals"])
    response = _ask(client, case.reference, "jo@example.com")
    assert response["Location"] == "/my-review/sign-in/code/"  # the same answer
    assert mail.outbox == [] and not SignInCode.objects.exists()


def test_no_text_without_gov_uk_notify(client, case):
    """A text goes through GOV.UK Notify only: by SMTP it would be a staff task showing the code."""
    _ask(client, case.reference, "+44 7700 900123")
    assert not SignInCode.objects.exists() and not Message.objects.exists()


def test_rate_limited_per_reference_known_or_not(client, case):
    for _ in range(signin.REFERENCE_LIMIT):
        _ask(client, case.reference, "jo@example.com")
    assert len(mail.outbox) == signin.REFERENCE_LIMIT
    response = _ask(client, case.reference, "jo@example.com")
    assert response.status_code == 200 and "too many codes" in response.content.decode()
    assert len(mail.outbox) == signin.REFERENCE_LIMIT
    for _ in range(signin.REFERENCE_LIMIT):
        _ask(client, "WNC-1999-9999", "jo@example.com")
    assert "too many codes" in _ask(client, "WNC-1999-9999", "jo@example.com").content.decode()
    assert SignInRequest.objects.count() == 2 * signin.REFERENCE_LIMIT + 2


def test_rate_limited_per_ip_address(case):
    now = timezone.now()
    for number in range(signin.IP_LIMIT):
        signin.code_request(reference=f"X-{number}", contact="a@example.com", ip="192.0.2.7", now=now)
    _, limited = signin.code_request(
        reference=case.reference, contact="jo@example.com", ip="192.0.2.7", now=now
    )
    assert limited and not SignInCode.objects.exists()


def test_a_code_expires_after_ten_minutes(case):
    now = timezone.now()
    token, _ = signin.code_request(reference=case.reference, contact="jo@example.com", ip=None, now=now)
    code = _code_from_mail()
    assert signin.code_verify(token=token, code=code, now=now + dt.timedelta(minutes=10, seconds=1)) is None
    assert signin.code_verify(token=token, code=code, now=now + dt.timedelta(minutes=9)) is not None


def test_five_wrong_codes_spend_it(case):
    now = timezone.now()
    token, _ = signin.code_request(reference=case.reference, contact="jo@example.com", ip=None, now=now)
    code = _code_from_mail()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(signin.CODE_TRIES):
        assert signin.code_verify(token=token, code=wrong, now=now) is None
    assert signin.code_verify(token=token, code=code, now=now) is None


def test_the_code_message_is_welsh_on_a_welsh_case(client, case):
    case.language = "cy"
    case.save(update_fields=["language"])
    _ask(client, case.reference, "jo@example.com")
    assert mail.outbox[0].subject != "Your code to see your ASB Case Review"  # Welsh


def test_pages_need_sign_in(client, case):
    for path in (
        "/my-review/",
        "/my-review/diary/",
        "/my-review/upload/",
        "/my-review/appeal/",
        "/my-review/withdraw/",
    ):
        assert client.get(path)["Location"] == "/my-review/sign-in/"


def test_accept_language_cy_gets_the_pages_in_welsh(client, case):
    page = client.get("/my-review/sign-in/", HTTP_ACCEPT_LANGUAGE="cy")
    html = page.content.decode()
    assert '<html lang="cy"' in html and "Anfon cod ataf" in html
    assert page["Content-Language"] == "cy"
    english = client.get("/my-review/sign-in/").content.decode()
    assert '<html lang="en"' in english and "Send me a code" in english


def test_a_used_code_signs_nobody_in_again(client, case):
    _ask(client, case.reference, "jo@example.com")
    code = _code_from_mail()
    pending = client.session["portal_pending"]["token"]
    assert client.post("/my-review/sign-in/code/", {"code": code})["Location"] == "/my-review/"
    assert signin.code_verify(token=pending, code=code) is None
