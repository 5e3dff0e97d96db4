"""Writes of the partner API: machine clients (create, rotate, revoke) and idempotent answers.

A client's secret is made here, returned once, and stored only hashed (django-oauth-toolkit hashes
`client_secret` on save); rotating makes a new one and revokes every token issued with the old.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from oauth2_provider.models import AccessToken, get_application_model

from casereview.accounts.models import Agency, Membership, Partnership, Role, RoleGrant, User
from casereview.audit.services import access_event_record

from .models import ApiClient, IdempotentRequest, RateWindow, WebhookSubscription
from .scopes import scopes_parse


@dataclass(frozen=True)
class Credentials:
    client: ApiClient
    client_id: str
    client_secret: str


def _agency_named(partnership: Partnership, name: str) -> Agency:
    agency = Agency.objects.filter(partnership=partnership, name__iexact=name.strip()).first()
    if agency is None:
        known = ", ".join(partnership.agencies.order_by("name").values_list("name", flat=True))
        raise ValidationError({"agency": f"No agency named {name!r} in {partnership.slug}; known: {known}"})
    return agency


def api_client_create(
    *, partnership: Partnership, agency_name: str, scopes: str, rate_limit: str = "600/min", actor=None
) -> Credentials:
    """A client for one agency's system: its service account (an agency officer of the agency,
    without a password), its OAuth 2.0 application (client credentials) and its scopes."""
    try:
        scope_list = scopes_parse(scopes)
    except ValueError as error:
        raise ValidationError({"scopes": str(error)}) from None
    agency = _agency_named(partnership, agency_name)
    secret = secrets.token_urlsafe(32)
    Application = get_application_model()
    with transaction.atomic():
        client_id = secrets.token_urlsafe(18)
        user = User.objects.create(
            username=f"api-{client_id[:20]}"[:150],
            first_name=f"{agency.name} system",
            last_name="(API)",
            organisation=agency.organisation,
            is_active=True,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, partnership=partnership, agency=agency)
        RoleGrant.objects.create(user=user, partnership=partnership, role=Role.AGENCY_OFFICER)
        application = Application.objects.create(
            name=f"{agency.name} ({partnership.slug})"[:255],
            client_id=client_id,
            client_secret=secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            user=user,
        )
        client = ApiClient.objects.create(
            application=application,
            partnership=partnership,
            agency=agency,
            service_user=user,
            scopes=" ".join(scope_list),
            rate_limit=rate_limit,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        access_event_record(
            action="create",
            user=actor,
            object_type="api.apiclient",
            object_id=str(client.pk),
            summary=f"API client created for {agency.name}",
            details={"client_id": client_id, "scopes": scope_list, "partnership": partnership.slug},
        )
    return Credentials(client=client, client_id=client_id, client_secret=secret)


def api_client_rotate(*, client: ApiClient, actor=None) -> Credentials:
    """A new secret (shown once); the old one and every token issued with it stop working."""
    if client.revoked_at:
        raise ValidationError({"client_id": "This client is revoked: create a new one."})
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        application = client.application
        application.client_secret = secret
        application.save()
        AccessToken.objects.filter(application=application).delete()
        client.rotated_at = timezone.now()
        client.save(update_fields=["rotated_at"])
        access_event_record(
            action="update",
            user=actor,
            object_type="api.apiclient",
            object_id=str(client.pk),
            summary=f"API client secret rotated for {client.agency}",
            details={"client_id": client.client_id},
        )
    return Credentials(client=client, client_id=client.client_id, client_secret=secret)


def api_client_revoke(*, client: ApiClient, actor=None) -> ApiClient:
    """Revoked for good: tokens deleted, the service account switched off."""
    with transaction.atomic():
        AccessToken.objects.filter(application=client.application).delete()
        client.revoked_at = client.revoked_at or timezone.now()
        client.save(update_fields=["revoked_at"])
        user = client.service_user
        user.is_active = False
        user.save(update_fields=["is_active"])
        access_event_record(
            action="update",
            user=actor,
            object_type="api.apiclient",
            object_id=str(client.pk),
            summary=f"API client revoked for {client.agency}",
            details={"client_id": client.client_id},
        )
    return client


# --- Idempotency keys --------------------------------------------------------------------------------


class IdempotencyConflict(Exception):
    """The key was used before with another body."""


def body_digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent_answer(*, client: ApiClient, key: str, method: str, path: str, digest: str):
    """(status, body) kept for this key, or None when the key is new. Refuses another body."""
    kept = IdempotentRequest.objects.filter(client=client, key=key, method=method, path=path).first()
    if kept is None:
        return None
    if kept.body_sha256 != digest:
        raise IdempotencyConflict(key)
    return kept.status_code, kept.response


def idempotent_keep(*, client: ApiClient, key: str, method: str, path: str, digest: str, status: int, body):
    """Keep the answer, in the caller's transaction (with the write it answers for). A concurrent
    first use of the same key loses here and its whole write rolls back: one `INSERT … ON CONFLICT
    DO NOTHING RETURNING` (no savepoint), which inserts nothing when the key is already kept.

    Bookkeeping, not a record of anyone, so no access-log row of its own (the write it answers for
    has one); a push of a batch stays one access-log row."""
    meta = IdempotentRequest._meta
    connection = connections[router.db_for_write(IdempotentRequest)]
    values = {
        "client_id": client.pk,
        "key": key,
        "method": method,
        "path": path,
        "body_sha256": digest,
        "status_code": status,
        "response": body,
        "created_at": timezone.now(),
    }
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in values)
    unique = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column)
        for name in ("client_id", "key", "method", "path")
    )
    params = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in values.items()]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608 - our table
            f"VALUES ({', '.join(['%s'] * len(values))}) ON CONFLICT ({unique}) DO NOTHING RETURNING 1",
            params,
        )
        if cursor.fetchone() is None:
            raise IdempotencyConflict(key)


# --- Rate limits (ADR 0070) -------------------------------------------------------------------------

RATE_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def rate_parse(text: str) -> tuple[int, int]:
    """ "600/min" -> (600, 60): calls allowed and the window's length in seconds."""
    number, _, unit = text.partition("/")
    return int(number), RATE_UNITS[unit.strip().lower() or "s"]


def rate_take(*, client: ApiClient, now: float) -> tuple[bool, float | None]:
    """Count one call of `client` in its current window, in one statement that every process
    sharing the database sees (an upsert: atomic on PostgreSQL and SQLite). (allowed, seconds to
    wait before the next window when not)."""
    limit, length = rate_parse(client.rate_limit)
    bucket = int(now // length)
    table = RateWindow._meta.db_table
    connection = connections[router.db_for_write(RateWindow)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, bucket, hits) VALUES (%s, %s, 1) "  # noqa: S608 - our table
            f"ON CONFLICT (client_id, bucket) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [client.pk, bucket],
        )
        (hits,) = cursor.fetchone()
        if hits == 1:  # a new window: the client's earlier ones are spent
            cursor.execute(
                f"DELETE FROM {table} WHERE client_id = %s AND bucket <> %s",  # noqa: S608
                [client.pk, bucket],
            )
    if hits <= limit:
        return True, None
    return False, max(1, math.ceil((bucket + 1) * length - now))


# --- Webhook subscriptions -------------------------------------------------------------------------


def webhook_subscribe(*, client: ApiClient, url: str, events: list[str]) -> tuple[WebhookSubscription, str]:
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            client=client, url=url, events=events, secret=secret
        )
        access_event_record(
            action="create",
            user=client.service_user,
            object_type="api.webhooksubscription",
            object_id=str(subscription.pk),
            summary=f"Webhook subscription for {client.agency}",
            details={"events": events},
        )
    return subscription, secret


def webhook_unsubscribe(*, subscription: WebhookSubscription) -> None:
    subscription.active = False
    subscription.save(update_fields=["active"])
