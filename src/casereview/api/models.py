"""The partner API's own records (ADR 0051): the machine clients, the answers kept for idempotency
keys, and webhook subscriptions with their delivery history.

An API client is a django-oauth-toolkit Application (client credentials) whose `user` is a service
account of the client's agency: an agency officer of that agency in that partnership, with no
password. Every call therefore sees exactly what an officer of the agency sees through the one
access selector, and goes through the same services as the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiClient(models.Model):
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="api_clients")
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    scopes = models.CharField(max_length=500, help_text="Space-separated scopes (casereview.api.scopes).")
    rate_limit = models.CharField(
        max_length=20, default="600/min", help_text="Requests allowed, e.g. 600/min or 20/s."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "agency__name", "id"]

    def __str__(self) -> str:
        return f"{self.agency} ({self.client_id})"

    @property
    def client_id(self) -> str:
        return self.application.client_id

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class IdempotentRequest(models.Model):
    """A creating call made with an `Idempotency-Key`: the same key again with the same body answers
    what was answered the first time, and stores nothing again; with another body it is refused."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    body_sha256 = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key", "method", "path"], name="api_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} key {self.key}"


class RateWindow(models.Model):
    """Calls a client made in one fixed window of its rate (ADR 0070): counted in the database, so
    the limit holds across every process and server that shares it. One row per client and window;
    a client's earlier windows are deleted when its next one starts."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    bucket = models.BigIntegerField(help_text="The window's number: seconds since the epoch // its length.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "bucket"], name="api_rate_window")]

    def __str__(self) -> str:
        return f"{self.client_id} window {self.bucket}: {self.hits}"


class WebhookEvent(models.TextChoices):
    INFORMATION_REQUEST_CREATED = "information_request.created", "A new information request to the agency"
    ACTION_ASSIGNED = "action.assigned", "An action given to the agency"
    ACTION_OVERDUE = "action.overdue", "An action of the agency's overdue (escalated)"
    REFERRAL_CREATED = "referral.created", "A case the agency is party to referred to a panel"


class WebhookSubscription(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100, help_text="The HMAC-SHA256 key, shown once.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be delivered"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up after the last retry"

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    event_id = models.CharField(
        max_length=40, help_text="The same on every retry: receivers de-duplicate on it."
    )
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} ({self.status})"
