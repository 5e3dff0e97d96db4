"""The cuckooing address tracker (seed 003): addresses where drug dealers have taken over a
vulnerable person's home, monitored by the Cuckooing Panel, archived, and re-opened when concern
resurfaces (docs/tracker.md, ADR 0063).

Each address of concern is a `people.Place` (the kernel's place, with its UPRN) with one
`TrackedAddress` per partnership. Its status is held in one field changed only by
`services.entry_status_change` (and `services.entries_reopen_for_reports`), each change written
as a `TrackerEvent` in the same transaction: the events are the timeline the page shows, the
history of visits and warrants, and what the counts over time are derived from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned


class TrackerStatus(models.TextChoices):
    OPEN = "open", "Open"
    MONITORING = "monitoring", "Monitoring"
    ARCHIVED = "archived", "Archived"


class TrackedAddress(Versioned):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("people.Place", on_delete=models.PROTECT, related_name="tracker_entries")
    status = models.CharField(max_length=12, choices=TrackerStatus.choices, default=TrackerStatus.OPEN)
    occupant = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracker_entries",
        help_text="The vulnerable occupant whose home is of concern.",
    )
    concerns = models.TextField(help_text="What the concern is: who visits, what has been seen or reported.")
    notes = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who is told when the address re-opens.",
    )
    added_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-added_on", "-id"]
        verbose_name = "tracked address"
        verbose_name_plural = "tracked addresses"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "place"], name="tracker_one_entry_per_place")
        ]
        indexes = [models.Index(fields=["partnership", "status"], name="tracker_partnership_status")]

    def __str__(self) -> str:
        return f"Tracked address {self.pk}"


class EventKind(models.TextChoices):
    ADDED = "added", "Added to the tracker"
    EDITED = "edited", "Details changed"
    STATUS = "status", "Status changed"
    REOPENED = "reopened", "Re-opened by a new report"
    VISIT = "visit", "Visit"
    WARRANT = "warrant", "Warrant"


class TrackerEvent(models.Model):
    """One dated entry of an address's history. A visit or a warrant names the agency and the
    officer; a status change its from, to and reason; a re-opening the report that caused it."""

    entry = models.ForeignKey(TrackedAddress, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=TrackerStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=TrackerStatus.choices, blank=True)
    reason = models.TextField(blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.CharField(max_length=200, blank=True, help_text="Name or collar number.")
    summary = models.TextField(blank=True)
    # No database constraint: the report log may be partitioned by year (ADR 0045), and a foreign
    # key cannot point at a partitioned table without its partition key; Django keeps it in step.
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    matched_by = models.CharField(max_length=10, blank=True, help_text="uprn or address (a re-opening).")

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"
