"""The review after acceptance: the SPOC, contact with the victim, the vulnerability risk
assessment, support referrals, information from the agencies and every disclosure made.

Each record here is written only by `casereview.reviews.services`, which records the matching
CaseEvent (spoc_appointed, victim_contact_attempted, victim_contacted, victim_unreachable,
risk_assessed, information_requested, agency_response_received …) in the same transaction.
What the victim says and how vulnerable they are is special category data: the case page shows
it only to the people running the review (see `casereview.reviews.selectors`).
"""

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned


class SpocAppointment(models.Model):
    """Who was appointed SPOC, by whom, and what the prior-involvement check found.

    `involvement` is the check's findings at the time (a list of plain-English lines); when it was
    not empty the appointment needed `override_reason`. A later appointment supersedes an earlier
    one; both stay on the record.
    """

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="spoc_appointments"
    )
    spoc = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_on = models.DateField()
    involvement = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-appointed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.spoc} for {self.application}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    VISIT = "visit", "Home visit"
    TEXT = "text", "Text message"


class ContactOutcome(models.TextChoices):
    REACHED = "reached", "Spoke to the victim"
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_LEFT = "message_left", "Left a message"
    NO_REPLY = "no_reply", "Sent, no reply yet"
    RETURNED = "returned", "Returned or bounced"
    NOT_HOME = "not_home", "Nobody at home"


class ContactAttempt(models.Model):
    """One try by the SPOC to reach the victim (seed 004 §11: letter, phone, email, visit)."""

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    attempted_on = models.DateField()
    outcome = models.CharField(max_length=14, choices=ContactOutcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.attempted_on}"


class VoicePreference(models.TextChoices):
    ATTEND = "attend", "Attend the start of the panel meeting"
    IMPACT_STATEMENT = "impact_statement", "Write a victim impact statement"
    BOTH = "both", "Attend and write a statement"
    NEITHER = "neither", "Neither: the SPOC will speak for them"
    UNDECIDED = "undecided", "Not decided yet"


class VictimContact(models.Model):
    """The ASB Case Review contact form: the victim's account in their own words."""

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="victim_contacts"
    )
    contacted_on = models.DateField()
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    incidents_in_own_words = models.TextField()
    agencies_involved = models.TextField(blank=True)
    desired_outcome = models.TextField()
    voice_preference = models.CharField(max_length=20, choices=VoicePreference.choices)
    support_needs = models.TextField(blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"Contact with the victim of {self.application} on {self.contacted_on}"


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class RiskAssessment(models.Model):
    """The vulnerability risk screening (questions and scoring in `casereview.reviews.risk`)."""

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    assessed_on = models.DateField()
    answers = models.JSONField(help_text="Question code → true/false.")
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    reasons = models.JSONField(default=list, help_text="Why this level, in plain English.")
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} risk ({self.assessed_on})"


class SupportReferral(models.Model):
    """Victim support offered (seed 004: the VOICE victims and witness service) and what happened."""

    class Outcome(models.TextChoices):
        REFERRED = "referred", "Referred with the victim's consent"
        DECLINED = "declined", "Offered, the victim declined"
        ALREADY_SUPPORTED = "already_supported", "Already supported by this service"

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="support_referrals"
    )
    service = models.CharField(max_length=200)
    offered_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    consent = models.BooleanField(help_text="Did the victim consent to their details being passed on?")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_outcome_display()})"


class LawfulBasis(models.TextChoices):
    """Why an agency may share personal data for the review (seed 004 §7; domain.md §5)."""

    ASB_ACT_SCH4_PARA7 = (
        "asb_2014_sch4_para7",
        "Anti-social Behaviour, Crime and Policing Act 2014, Schedule 4 paragraph 7",
    )
    CDA_1998_S115 = "cda_1998_s115", "Crime and Disorder Act 1998, section 115"
    CONSENT = "consent", "The data subject's consent"


class InformationRequest(Versioned):
    """The Agency Response form sent to one agency, and the agency's answer.

    Sending it makes the agency party to the case (its officers can then see the case); an
    agency officer sees only requests to their own agency (`selectors.information_requests_visible_to`).
    """

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting response"
        ANSWERED = "answered", "Answered"

    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="information_requests"
    )
    requested_on = models.DateField()
    due_on = models.DateField()
    message = models.TextField(blank=True, help_text="Anything the SPOC asks in particular.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    last_reminded_on = models.DateField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    # The agency's answer (the Agency Response form).
    reports_received = models.TextField(blank=True)
    actions_taken = models.TextField(blank=True)
    current_involvement = models.TextField(blank=True)
    other_information = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "agency"],
                condition=models.Q(status="open"),
                name="information_request_one_open_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"Information request to {self.agency} for {self.application}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Disclosure(models.Model):
    """One disclosure of personal data for the review: who, what, to whom, when, why, on what basis.

    Written by the services that move information between agencies (an agency's response to the
    SPOC, minutes and the action plan circulated to panel members, the chair's pack). `what`
    describes the categories of data, never the data itself.
    """

    application = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="disclosures")
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.CharField(max_length=300)
    what = models.CharField(max_length=500)
    purpose = models.CharField(max_length=300)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    disclosed_on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    information_request = models.ForeignKey(
        InformationRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosures"
    )

    class Meta:
        ordering = ["-disclosed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.what} to {self.recipient} ({self.disclosed_on})"
