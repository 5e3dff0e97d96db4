"""Actions: what the panel (or an interim response to risk) agreed someone will do, by when.

The Ombudsman's most damaging findings are actions agreed and never done. Every action therefore
has an owner (an agency and a named person), a due date, and a status that only the actions
services change; overdue actions escalate up the ladder in the local policy.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce

from casereview.web.concurrency import Versioned


class ActionKind(models.TextChoices):
    PANEL = "panel", "Action plan (agreed at the panel)"
    INTERIM = "interim", "Interim action (immediate risk of harm)"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DELAYED = "delayed", "Delayed"
    NOT_VIABLE = "not_viable", "No longer viable"


class Action(Versioned):
    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="actions")
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
    revised_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="A new date agreed when the action was delayed; due_on keeps the original.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="actions_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The open actions by the date they are now due: the list's "open" and "overdue" views.
            models.Index(
                Coalesce("revised_due_on", "due_on"),
                "id",
                name="action_open_effective_due",
                condition=models.Q(status__in=["open", "delayed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.DELAYED)

    @property
    def effective_due_on(self):
        """The date the action is now due: the revised date when it has been delayed, else the
        agreed one. Escalation runs from this date (docs/actions.md)."""
        return self.revised_due_on or self.due_on


class ActionUpdateKind(models.TextChoices):
    DONE = "done", "Marked done"
    DELAYED = "delayed", "Delayed"
    NOT_VIABLE = "not_viable", "Marked no longer viable"
    NOTE = "note", "Progress note"


class ActionUpdate(models.Model):
    """One report from an action's owner (or the SPOC) on progress: the action's history.

    Rows are only added, never changed, by the actions services; the action's own `status`,
    `status_note`, `revised_due_on` and `completed_on` hold the latest state.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=ActionUpdateKind.choices)
    note = models.TextField(help_text="What happened, why it is delayed, or why it is no longer viable.")
    happened_on = models.DateField(help_text="The day it was done, or the day the update was reported.")
    revised_due_on = models.DateField(null=True, blank=True)
    previous_due_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_updates")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.kind} {self.happened_on}"


class EscalationSent(models.Model):
    """A rung of the escalation ladder that has been reached and sent for one action.

    The unique constraint on (action, step) is what makes the sweep safe to run every few minutes
    and from two machines at once: the row is inserted *before* anything is sent, in the same
    transaction, and a sweep that loses the race gets an IntegrityError and sends nothing.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(max_length=40, help_text="The policy's name for the step, e.g. line_manager.")
    position = models.PositiveSmallIntegerField(help_text="1 for the first rung of the ladder, and so on.")
    recipient_role = models.CharField(
        max_length=40, help_text="Who the step went to, as the policy names it (after any variant)."
    )
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    due_on = models.DateField(help_text="The due date the step was counted from.")
    reached_on = models.DateField(help_text="The sweep's 'today' when the step was sent.")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "step"], name="escalation_sent_once_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.step}"

    @property
    def recipient_label(self) -> str:
        from .ladder import recipient_label

        return recipient_label(self.recipient_role)

    @property
    def title(self) -> str:
        """ "Step 4: the Chief Executive", as the ladder names the rung (actions.ladder.rung_title)."""
        from .ladder import rung_title

        return rung_title(self.position, self.recipient_role)
