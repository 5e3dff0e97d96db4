"""Save and come back later (GOV.UK pattern, docs/apply.md): the answers kept for the configured
days, encrypted, reached through a link emailed once, then deleted — on return or when expired."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from casereview.apply import drafts
from casereview.apply.models import ApplicationDraft
from casereview.notifications.models import Message
from casereview.privacy.retention import registered_dispose
from tests.apply.conftest import follow_post

pytestmark = pytest.mark.django_db(transaction=True)


def started(client) -> None:
    follow_post(client, "/apply/", {})
    follow_post(client, "/apply/danger/", {"in_danger": "no"})


def link_from_mail() -> str:
    return re.search(r"http://testserver(/apply/return/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_save_then_come_back_in_another_browser(client, areas, settings):
    settings.CASEREVIEW_APPLY_DRAFT_DAYS = 28
    started(client)
    page = client.get("/apply/area/").content.decode()
    assert 'href="/apply/save/"' in page and "Save and come back later" in page
    assert follow_post(client, "/apply/save/", {"email": "jo@example.com"}) == "/apply/saved/"
    assert "Your answers have been saved" in client.get("/apply/saved/").content.decode()
    # The answers left this browser: only the saved draft holds them, encrypted.
    assert client.get("/apply/area/").status_code == 302
    draft = ApplicationDraft.objects.get()
    assert (draft.expires_at - draft.saved_at).days == 28
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM apply_applicationdraft")
        assert "in_danger" not in cursor.fetchone()[0]
    link = link_from_mail()
    assert mail.outbox[-1].to == ["jo@example.com"]
    assert link.split("/")[-2] not in draft.token_hash
    assert Message.objects.get(purpose=drafts.PURPOSE).body_deleted_at is not None  # the link not kept
    other = Client()
    response = other.get(link)
    assert response.status_code == 302 and response["Location"] == "/apply/area/"
    assert other.get("/apply/area/").status_code == 200
    assert not ApplicationDraft.objects.exists()  # single use
    gone = Client().get(link)
    assert gone.status_code == 404 and "This link no longer works" in gone.content.decode()


def test_an_email_address_is_needed(client, areas, unchanged_rows):
    started(client)
    with unchanged_rows(ApplicationDraft, Message):
        response = client.post("/apply/save/", {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()


def test_an_expired_draft_is_deleted_by_the_retention_schedule_and_its_link_fails(client, areas):
    started(client)
    follow_post(client, "/apply/save/", {"email": "jo@example.com"})
    link = link_from_mail()
    ApplicationDraft.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    lines = registered_dispose(today=timezone.localdate(), actor_name="test")
    assert any("deleted 1" in line for line in lines)
    assert not ApplicationDraft.objects.exists()
    assert Client().get(link).status_code == 404


def test_the_email_is_in_welsh_after_saving_in_welsh(client, areas):
    client.post("/i18n/setlang/", {"language": "cy", "next": "/apply/"})
    started(client)
    follow_post(client, "/apply/save/", {"email": "jo@example.com"})
    assert mail.outbox[-1].subject != "Your saved application for an ASB Case Review"
