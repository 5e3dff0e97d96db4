"""Referrals to the partnership's standing panels (issue 16): a partner agency refers a person to
a panel kind the local policy declares (Community MARAC first). The criteria are checked by the
pure core (`core.panel_kinds.referral_criteria_check`) and the decision is stored as reason codes
with the policy's digest (ADR 0039, ADR 0062), with the consent or the lawful basis for sharing.

A referral that does not meet the panel's criteria is not stored: the referrer is shown why, in
the core's words, and what to add. A referral that does is a case on the kernel (ADR 0048) of the
kind "panel:<code>" (ADR 0064): the Referral row is that case's own one-to-one table, the person
referred its `subject` party, the referring agency party to it, so `cases_visible_to` decides who
sees it. The panel hears it at a `StandingMeeting` (one meeting, many cases: a `MeetingItem` each).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned


class ConsentChoice(models.TextChoices):
    GIVEN = "given", "The person consented to the referral"
    NOT_SOUGHT = "not_sought", "Not sought: a lawful basis without consent applies"
    REFUSED = "refused", "Refused: a lawful basis without consent applies"


class SubjectKind(models.TextChoices):
    """Who or what is referred (ADR 0076): core.panel_kinds.SUBJECT_KINDS."""

    PERSON = "person", "A person"
    HOUSEHOLD = "household", "A household: several people at one address"
    ADDRESS = "address", "An address"


class ReferralSource(models.TextChoices):
    """How the referral arrived (core.panel_kinds.ARRIVAL_ROUTES), besides the form itself."""

    FORM = "", "The referral form"
    REPEAT_CALLER_TRIAGE = "repeat_caller_triage", "A repeat caller's triage"
    HOTSPOT = "hotspot", "A hotspot on the report log"


class Referral(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    panel_kind = models.CharField(max_length=60, help_text="The policy's panel kind code, e.g. cmarac.")
    # The subject (ADR 0076): a person (`person`); a household (`household`, every member, at
    # `place`; `person` is the first named); or an address (`place`, no person).
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices, default=SubjectKind.PERSON)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="panel_referrals"
    )
    household = models.ManyToManyField("people.Person", blank=True, related_name="household_referrals")
    place = models.ForeignKey(
        "people.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="panel_referrals"
    )
    source = models.CharField(max_length=24, choices=ReferralSource.choices, blank=True, default="")
    triage = models.ForeignKey(
        "reports.RepeatCallerTriage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The repeat-caller triage the referral came from.",
    )
    hotspot_location = models.CharField(
        max_length=300, blank=True, help_text="The report log's location key the hotspot was counted by."
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", help_text="The referring agency."
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    vulnerabilities = models.JSONField(default=list)
    risk_answers = models.JSONField(default=dict, help_text="The risk tool's questions answered yes.")
    risk_score = models.PositiveIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, blank=True)
    asb_reports = models.PositiveIntegerField(default=0)
    summary = models.TextField(
        help_text="Why the person is referred: what is happening, what has been tried."
    )
    consent = models.CharField(max_length=12, choices=ConsentChoice.choices)
    lawful_basis = models.CharField(max_length=40)
    consent_notes = models.TextField(blank=True)
    # The decision as the core made it: (code, params) pairs and the policy it was made under.
    reason_codes = models.JSONField(default=list)
    policy_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    # The case on the kernel (kind "panel:<code>"); its status, parties, agencies, timeline and
    # actions are the kernel's. Null only for a referral stored before panel cases existed.
    case = models.OneToOneField(
        "applications.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="panel_referral"
    )
    # Kept by the meeting services: the risk the panel last assessed, and when it hears it next.
    current_risk_level = models.CharField(max_length=10, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=30, blank=True, help_text="core.panel_kinds.CLOSE_REASONS")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.panel_kind}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"


class StandingMeeting(Versioned):
    """One meeting of a standing panel (ADR 0064): many cases, heard in the agenda's order. The ASB
    Case Review panel meets here too (ADR 0088): a meeting of the kind `case_review` is a *sitting*,
    each review heard at it an item, whose statutory record (quorum, independent chair, the victim's
    voice, the outcome letter) is the review's `panels.PanelMeeting`, one-to-one with the item."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    panel_kind = models.CharField(max_length=60)
    meeting_on = models.DateField()
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(null=True, blank=True)
    minutes_circulated_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_on", "-id"]
        indexes = [
            models.Index(fields=["partnership", "panel_kind", "meeting_on"], name="standingmeeting_kind")
        ]

    def __str__(self) -> str:
        return f"{self.panel_kind} meeting on {self.meeting_on}"


class MeetingItem(models.Model):
    """One case on a meeting's agenda, and what the panel recorded about it: the discussion, the
    risk (by the policy's tool), the next review date, and whether the panel agreed to close it.
    `case` is the kernel's case heard; `referral` is set for a referred panel case and empty for a
    review heard at a case review sitting (ADR 0088), whose record is the review's own."""

    meeting = models.ForeignKey(StandingMeeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="+")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="meeting_items"
    )
    position = models.PositiveSmallIntegerField()
    why = models.CharField(max_length=30, help_text="core.panel_kinds.AgendaItem.why")
    discussion = models.TextField(blank=True)
    risk_answers = models.JSONField(default=dict, blank=True)
    risk_score = models.PositiveIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, blank=True)
    risk_tool = models.CharField(max_length=200, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    close_agreed = models.BooleanField(default=False)
    close_reason = models.CharField(max_length=30, blank=True)
    heard = models.BooleanField(default=False)
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="+")

    class Meta:
        ordering = ["meeting", "position"]
        # A referred case is on a meeting's agenda once. A review may be heard twice at one sitting
        # (a further review the same day, seed 004 §11): each hearing is its own item (ADR 0088).
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=models.Q(referral__isnull=False),
                name="meetingitem_case_once",
            )
        ]

    def __str__(self) -> str:
        return f"Item {self.position} of meeting {self.meeting_id}"

    def save(self, *args, **kwargs):
        # A referred case's item hears the referral's case (the agenda's, and any made by hand).
        if self.case_id is None and self.referral_id is not None:
            self.case_id = self.referral.case_id
        super().save(*args, **kwargs)


class AgencyAttendance(models.Model):
    """An agency at a meeting: present (with who came) or sent apologies."""

    meeting = models.ForeignKey(StandingMeeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField()
    names = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.agency_id} {'present' if self.present else 'apologies'} at {self.meeting_id}"


class AgencyShare(models.Model):
    """What an agency on the case shares about it before the meeting (as the review's agency
    information requests are answered). Seen only by those who see the case."""

    item = models.ForeignKey(MeetingItem, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_at", "id"]

    def __str__(self) -> str:
        return f"Shared by {self.agency_id} for item {self.item_id}"


class MinutesDocument(models.Model):
    """The minutes of a held meeting as issued to one agency (ADR 0086): a letter of the letters app
    (`standing_panel_minutes`, a PDF as issued, emailed through the outbox to the agency's contact
    address) holding only the cases that agency is on. Issued again with a reason, each agency's
    new letter supersedes its last (`issue` counts the issues of the meeting's minutes)."""

    meeting = models.ForeignKey(StandingMeeting, on_delete=models.CASCADE, related_name="minutes_documents")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    letter = models.OneToOneField("letters.Letter", on_delete=models.PROTECT, related_name="+")
    issue = models.PositiveSmallIntegerField(help_text="1 for the first issue of the minutes, then 2 …")
    case_ids = models.JSONField(default=list, help_text="The cases whose sections it holds.")
    reason = models.TextField(blank=True, help_text="Why the minutes were issued again.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField()

    class Meta:
        ordering = ["meeting", "-issue", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency", "issue"], name="minutesdocument_once")
        ]

    def __str__(self) -> str:
        return f"Minutes of meeting {self.meeting_id}, issue {self.issue}, to agency {self.agency_id}"
