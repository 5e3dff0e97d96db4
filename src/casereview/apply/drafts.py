"""Save and come back later (docs/apply.md): the answers so far kept for
`CASEREVIEW_APPLY_DRAFT_DAYS` (28 by default), reached again through a link sent to an email
address, then deleted — on return (single use) or by the retention schedule when it expires.

The page that asks for the address answers the same whatever is typed; the link's token is random
(256 bits) and kept only as its SHA-256; the answers are encrypted at rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casereview.notifications.services import message_queue

from .models import ApplicationDraft

PURPOSE = "apply_draft_saved"


def draft_days() -> int:
    return int(getattr(settings, "CASEREVIEW_APPLY_DRAFT_DAYS", 28))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def draft_save(*, answers: dict, email: str, language: str, link_base: str, now: dt.datetime | None = None):
    """Keep the answers and email the link to come back. Returns the draft (its expiry for the page)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    draft = ApplicationDraft.objects.create(
        token_hash=_hash(token),
        answers=json.dumps(answers),
        language=language if language == "cy" else "",
        saved_at=now,
        expires_at=now + dt.timedelta(days=draft_days()),
    )
    with translation.override(draft.language or "en"):
        until = date_format(timezone.localtime(draft.expires_at).date(), "l j F Y")
        subject = _("Your saved application for an ASB Case Review")
        body = _(
            "You can come back to your application until %(date)s:\n\n%(link)s\n\n"
            "The link works once. After %(date)s your answers are deleted and you would need to start "
            "again.\n\nIf you did not save an application, you can ignore this email."
        ) % {"date": until, "link": f"{link_base}{token}/"}
    message_queue(
        channel="email", purpose=PURPOSE, to=email, subject=subject, body=body, language=draft.language
    )
    return draft


@transaction.atomic
def draft_resume(*, token: str, now: dt.datetime | None = None) -> dict | None:
    """The saved answers for this link, deleting the draft (the link works once); None when the
    link is unknown, used or expired."""
    now = now or timezone.now()
    draft = ApplicationDraft.objects.select_for_update().filter(token_hash=_hash(token or "")).first()
    if draft is None:
        return None
    draft.delete()
    if draft.expires_at <= now:
        return None
    return json.loads(draft.answers)


def drafts_plan(*, today, partnership=None) -> str:
    count = ApplicationDraft.objects.filter(expires_at__lte=timezone.now()).count()
    return f"Saved online applications past their {draft_days()} days: {count} to delete." if count else ""


def drafts_dispose(*, today, partnership=None, actor_name: str) -> str:
    deleted, _ = ApplicationDraft.objects.filter(expires_at__lte=timezone.now()).delete()
    return f"Saved online applications past their {draft_days()} days: deleted {deleted}." if deleted else ""


def draft_message_blank(message) -> None:
    """The emailed link is the key to the answers: not kept readable in the outbox once sent."""
    if message.purpose != PURPOSE or message.body_deleted_at is not None:
        return
    message.body = "(A link to a saved application: removed once sent.)"
    message.body_deleted_at = timezone.now()
    message.save(update_fields=["body", "body_deleted_at"])
