"""Actions: what the panel (or an interim response to risk) agreed someone will do, by when.

The Ombudsman's most damaging findings are actions agreed and never done. Every action therefore
has an owner (an agency and a named person), a due date, and a status that only the actions
services change; overdue actions escalate up the ladder in the local policy.
"""

from django.conf import settings
from django.db import models


class ActionKind(models.TextChoices):
    PANEL = "panel", "Action plan (agreed at the panel)"
    INTERIM = "interim", "Interim action (immediate risk of harm)"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DELAYED = "delayed", "Delayed"
    NOT_VIABLE = "not_viable", "No longer viable"


class Action(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(max_length=10, choices=ActionKind.choices, default=ActionKind.PANEL)
    description = models.TextField()
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_owned",
    )
    due_on = models.DateField()
    share_with_victim = models.BooleanField(
        default=True, help_text="May this action be described to the victim in the outcome letter?"
    )
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_note = models.TextField(
        blank=True, help_text="What happened, why it is delayed, or why not viable."
    )
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="actions_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.application}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.DELAYED)
