"""The ASB Case Review panel: the meeting, its members, what it decided and the action plan.

A case normally has one meeting; a further review when circumstances change significantly
(seed 004 §11) is another meeting on the same case with the next `round`. Everything here is
written by `casereview.panels.services`, which records case events (panel_scheduled, panel_held,
recommendation_made, victim_consulted, action_plan_finalised, minutes_circulated …) in the same
transaction. Minutes and the chair's pack may hold a perpetrator's personal data: they go to panel
members only, never to the victim; the outcome letter goes through the letters app, which refuses
any victim-facing document containing a recorded perpetrator's details.
"""

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class VictimVoice(models.TextChoices):
    ATTENDED = "attended", "The victim attended the start of the meeting"
    IMPACT_STATEMENT = "impact_statement", "A written victim impact statement was read"
    BOTH = "both", "The victim attended and a statement was read"
    SPOC_PRESENTED = "spoc_presented", "The SPOC presented the victim's views"
    DECLINED = "declined", "The victim chose not to take part"


class PanelMeeting(Versioned):
    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="panel_meetings")
    round = models.PositiveSmallIntegerField(default=1, help_text="2 or more for a further review.")
    further_review_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    meeting_on = models.DateField()
    starts_at = models.TimeField()
    location = models.CharField(max_length=300, blank=True, help_text="The room and address.")
    online = models.BooleanField(default=False)
    joining_details = models.CharField(
        max_length=300, blank=True, help_text="How to join online (shared with members only)."
    )
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The review's hearing at the case review panel's sitting on `meeting_on` (ADR 0088): an item of
    # a `referrals.StandingMeeting` of the kind `case_review`. Empty once the meeting is cancelled.
    item = models.OneToOneField(
        "referrals.MeetingItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The record of the meeting.
    held_on = models.DateField(null=True, blank=True)
    victim_voice = models.CharField(max_length=20, choices=VictimVoice.choices, blank=True)
    impact_statement = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    # Held without its quorum (core.panels.held_shortfalls), decided when the meeting is recorded;
    # then the chair's reason for going ahead anyway is required.
    inquorate = models.BooleanField(default=False)
    inquorate_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The action plan.
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="panel_meetings")
    plan_finalised_on = models.DateField(null=True, blank=True)
    plan_finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_without_consultation_reason = models.TextField(blank=True)
    minutes_circulated_on = models.DateField(null=True, blank=True)
    # The letter that carried the minutes to the members: the latest version, after corrections.
    minutes_letter = models.OneToOneField(
        "letters.Letter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_summary = models.TextField(
        blank=True, help_text="What the victim is told about the outcome (checked before it is issued)."
    )
    outcome_issued_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_on", "-id"]

    def __str__(self) -> str:
        return f"Panel for {self.case} on {self.meeting_on:%-d %B %Y}"

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def status_label(self) -> str:
        """The status as every list and page shows it: "Held (inquorate)" for a meeting held
        without its quorum."""
        if self.is_held and self.inquorate:
            return "Held (inquorate)"
        return self.get_status_display()

    @property
    def plan_is_final(self) -> bool:
        return self.plan_finalised_on is not None


class MemberRole(models.TextChoices):
    REPRESENTATIVE = "representative", "Agency representative"
    SPOC = "spoc", "SPOC (presents the case)"
    INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
    MINUTE_TAKER = "minute_taker", "Minute taker"
    ADVISER = "adviser", "Adviser or support service"


class PanelMember(models.Model):
    """A person invited to the meeting. `user` is set for staff who sign in; members from outside
    the product (a mental health trust, a drug and alcohol service) are held by name."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="panel_seats"
    )
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="panel_seats"
    )
    attended = models.BooleanField(null=True, blank=True, help_text="Recorded when the meeting is held.")

    class Meta:
        ordering = ["role", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Recommendation(Versioned):
    """A recommendation of the review, to a named body exercising public functions, which has a
    duty to have regard to it (2014 Act Schedule 4). Changed through a form that carries its
    version (web.concurrency)."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="recommendations")
    body = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField()
    share_with_victim = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"To {self.body}: {self.text[:60]}"


class VictimConsultation(models.Model):
    """The victim's view of the action plan before it is final (seed 001: "an action plan will be
    discussed with the victim")."""

    class View(models.TextChoices):
        AGREES = "agrees", "Agrees with the plan"
        CONCERNS = "concerns", "Has concerns (recorded below)"
        DISAGREES = "disagrees", "Disagrees with the plan"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="consultations")
    consulted_on = models.DateField()
    method = models.CharField(
        max_length=10,
        choices=[
            ("phone", "Phone call"),
            ("visit", "Home visit"),
            ("meeting", "Meeting"),
            ("email", "Email"),
            ("letter", "Letter"),
        ],
    )
    view = models.CharField(max_length=10, choices=View.choices)
    victim_comments = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-consulted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_view_display()} ({self.consulted_on})"


class VictimViewHow(models.TextChoices):
    """How the victim wants their voice heard at the panel (seed 004: at the start of the meeting,
    by a written statement, or by someone who speaks for them)."""

    ATTEND = "attend", "Coming to the start of the meeting"
    STATEMENT = "statement", "A written statement the panel reads"
    REPRESENTATIVE = "representative", "Someone speaking for them"


class VictimView(models.Model):
    """The victim's own say on how their voice is heard at a meeting, given before it meets —
    from their own view of the review (casereview.portal) or recorded by the SPOC. The latest for a
    meeting is the one that counts; earlier ones stay as the record of what they said."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="victim_views")
    how = models.CharField(max_length=15, choices=VictimViewHow.choices)
    statement = models.TextField(blank=True, help_text="Their written statement, in their words.")
    representative = models.CharField(
        max_length=200, blank=True, help_text="Who speaks for them, and how they know them."
    )
    given_by = models.CharField(
        max_length=10, choices=[("victim", "The victim"), ("applicant", "The applicant")], default="victim"
    )
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_how_display()} ({self.given_at:%d %B %Y})"
