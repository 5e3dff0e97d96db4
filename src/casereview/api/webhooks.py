"""Webhooks to partners' systems (docs/api.md, "Webhooks").

A case event of a kind partners subscribe to queues one delivery per matching subscription, in the
transaction that records the event (so a rolled-back change sends nothing). `casereview sweep`
delivers what is due: POST with a JSON body, signed

    X-Casereview-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

and retried with exponential backoff (1, 2, 4, … minutes, at most ATTEMPTS tries) until a 2xx.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid

import requests
from django.db import transaction
from django.utils import timezone

from .models import ApiClient, WebhookDelivery, WebhookEvent, WebhookSubscription

ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def signature_verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now=None) -> bool:
    """What a receiver does (and the tests): the timestamp fresh, the MAC equal."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def _agencies_for(event) -> tuple[str | None, set[int]]:
    """The webhook event a case event is, and the agencies it is for."""
    data = event.data or {}
    if event.kind == "information_requested" and data.get("agency"):
        return WebhookEvent.INFORMATION_REQUEST_CREATED, {int(data["agency"])}
    if event.kind in ("action_created", "interim_action_created", "action_reassigned", "action_escalated"):
        from casereview.actions.selectors import action_owner_agency_id

        agency = data.get("to_agency") or (data.get("action") and action_owner_agency_id(data["action"]))
        kind = (
            WebhookEvent.ACTION_OVERDUE if event.kind == "action_escalated" else WebhookEvent.ACTION_ASSIGNED
        )
        return kind, {int(agency)} if agency else set()
    if event.kind == "panel_scheduled":
        from casereview.applications.selectors import case_party_agencies

        return WebhookEvent.REFERRAL_CREATED, {a.pk for a in case_party_agencies(event.application)}
    return None, set()


def case_event_saved(sender, instance, created, **kwargs):
    if not created:
        return
    name, agencies = _agencies_for(instance)
    if not name or not agencies:
        return
    data = instance.data or {}
    payload_data = {"case_reference": instance.application.reference}
    if "request" in data:
        payload_data["information_request_id"] = data["request"]
    if "action" in data:
        payload_data["action_id"] = data["action"]
    deliveries_queue(name=name, agencies=agencies, data=payload_data, occurred_at=instance.at)


def referral_made(*, referral, actor=None) -> None:
    """The referrals app's hook (referrals.hooks, registered at ready()): a referral to a standing
    panel, made on its form or through the API, is a `referral.created` event for every agency
    party to its case (the referring agency, at least), in the referral's transaction."""
    from casereview.applications.selectors import case_party_agencies

    if referral.case_id is None:
        return
    agencies = {agency.pk for agency in case_party_agencies(referral.case)}
    deliveries_queue(
        name=WebhookEvent.REFERRAL_CREATED,
        agencies=agencies,
        data={
            "case_reference": referral.case.reference,
            "referral_id": referral.pk,
            "panel_kind": referral.panel_kind,
        },
        occurred_at=referral.created_at,
    )


def deliveries_queue(*, name: str, agencies: set[int], data: dict, occurred_at) -> list[WebhookDelivery]:
    """One delivery of event `name` to each live subscription to it of a client of these agencies,
    in the caller's transaction (so a rolled-back change sends nothing)."""
    if not agencies:
        return []
    subscriptions = [
        sub
        for sub in WebhookSubscription.objects.filter(
            active=True, client__agency_id__in=agencies, client__revoked_at__isnull=True
        ).select_related("client")
        if name in sub.events
    ]
    queued = []
    for sub in subscriptions:
        event_id = str(uuid.uuid4())
        queued.append(
            WebhookDelivery.objects.create(
                subscription=sub,
                event=name,
                event_id=event_id,
                payload={"id": event_id, "type": name, "occurred_at": occurred_at.isoformat(), "data": data},
            )
        )
    return queued


def deliveries_due(*, today: dt.date | None = None) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .select_related("subscription")
        .order_by("next_attempt_at", "id")[:500]
    )


def delivery_attempt(delivery: WebhookDelivery) -> WebhookDelivery:
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "casereview-webhooks/1",
        "X-Casereview-Event": delivery.event,
        "X-Casereview-Delivery": delivery.event_id,
        "X-Casereview-Signature": signature(delivery.subscription.secret, timestamp, body),
    }
    delivery.attempts += 1
    try:
        answer = requests.post(delivery.subscription.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
        delivery.last_status_code = answer.status_code
        delivery.last_error = "" if answer.ok else f"HTTP {answer.status_code}"
        ok = answer.ok
    except requests.RequestException as error:
        delivery.last_status_code = None
        delivery.last_error = f"{type(error).__name__}"[:300]
        ok = False
    now = timezone.now()
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.next_attempt_at = now + dt.timedelta(minutes=2 ** (delivery.attempts - 1))
    delivery.save()
    return delivery


def deliveries_send(*, today: dt.date | None = None) -> dict[str, int]:
    sent = skipped = 0
    for delivery in deliveries_due():
        with transaction.atomic():
            locked = (
                WebhookDelivery.objects.select_for_update(skip_locked=True)
                .select_related("subscription")
                .filter(pk=delivery.pk, status=WebhookDelivery.Status.PENDING)
                .first()
            )
            if locked is None:
                continue
        delivered = delivery_attempt(locked)
        if delivered.status == WebhookDelivery.Status.DELIVERED:
            sent += 1
        else:
            skipped += 1
    return {"sent": sent, "skipped": skipped}


def deliveries_of(client: ApiClient):
    return WebhookDelivery.objects.filter(subscription__client=client).order_by("-created_at", "-id")
