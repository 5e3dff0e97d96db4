"""The case kernel (ADR 0048) and its first kind, the ASB Case Review: who asked, about what, and
what was decided.

`Case` is every case of every kind; `Application` is the review's proxy of it. A case's `status`
is changed only by `casereview.applications.services.case_status_change` (driven by its kind's
table, `core.case_kinds`), which records a case event in the same transaction; the timeline the
user sees and the audit trail are the same rows (CaseEvent).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from casereview.accounts.models import AgencyKind
from casereview.core.case_kinds import CASE_REVIEW, REVIEW_KIND, CaseKindTable
from casereview.web.concurrency import Versioned

from .kinds import case_kind


class Channel(models.TextChoices):
    ONLINE = "online", "Online form"
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class PersonKind(models.TextChoices):
    INDIVIDUAL = "individual", "A person"
    BUSINESS = "business", "A business"
    COMMUNITY_GROUP = "community_group", "A community group"


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"


#: Safe-contact answers: the ways a person said we must not contact them (the person causing the
#: problem sees their post, shares their phone …). Letters (letters.dispatch) and messages
#: (notifications.victim_notify) never use a refused way: they become a task for staff saying why.
# Marked for translation: the public form offers them in Welsh too (staff pages are in English).
SAFE_CONTACT_REFUSALS = {
    "post": gettext_lazy("Do not send letters by post"),
    "email": gettext_lazy("Do not email"),
    "phone": gettext_lazy("Do not phone"),
    "voicemail": gettext_lazy("Do not leave voicemail or answerphone messages"),
    "text": gettext_lazy("Do not send text messages"),
    "visit": gettext_lazy("Do not visit or hand letters over at home"),
}


class Person(models.Model):
    """A victim or a third-party applicant. Alleged perpetrators are held apart (AllegedPerpetrator)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="people")
    kind = models.CharField(max_length=20, choices=PersonKind.choices, default=PersonKind.INDIVIDUAL)
    full_name = models.CharField(max_length=200)
    # core.names.fold(full_name): accents, case and punctuation gone, so "Llyr" finds "Llŷr" with a
    # plain `contains` on SQLite and PostgreSQL alike. Written by the service that saves the person
    # (applications.services.person_name_key_set); filled for older rows by a data migration.
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    organisation_name = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    safe_contact_times = models.CharField(max_length=300, blank=True)
    contact_safety_notes = models.TextField(
        blank=True, help_text="Anything staff must know to contact this person safely."
    )
    contact_refusals = models.CharField(
        max_length=100,
        blank=True,
        help_text="Ways this person must not be contacted, comma separated (SAFE_CONTACT_REFUSALS): "
        "every channel that sends anything honours them.",
    )
    format_needs = models.CharField(
        max_length=300, blank=True, help_text="Large print, easy read, braille, audio, BSL …"
    )
    language = models.CharField(max_length=100, blank=True, help_text="Preferred language, if not English.")
    accessibility_needs = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.organisation_name or self.full_name

    @property
    def refused_contact(self) -> set[str]:
        return {part.strip() for part in self.contact_refusals.split(",") if part.strip()}

    @property
    def refused_contact_words(self) -> list[str]:
        return [str(SAFE_CONTACT_REFUSALS[k]) for k in SAFE_CONTACT_REFUSALS if k in self.refused_contact]


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    AWAITING_CONSENT = "awaiting_consent", "Awaiting the victim's consent"
    DECLINED = "declined", "Threshold not met"
    ACCEPTED = "accepted", "Accepted for review"
    IN_REVIEW = "in_review", "Review in progress"
    PANEL_HELD = "panel_held", "Panel held"
    MONITORING = "monitoring", "Action plan being monitored"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The review's table (core.case_kinds.REVIEW_KIND) under the names code used before kinds existed.
OPEN_STATUSES = REVIEW_KIND.open_statuses
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = dict(REVIEW_KIND.transitions)


class Concern(models.TextChoices):
    """Concerns that make the review the wrong route (WNC policy §9)."""

    CPS_DECISION = "cps_decision", "A decision by the Crown Prosecution Service"
    COURT_DECISION = "court_decision", "A court's decision"
    SERVICE_PROVISION_ONLY = "service_provision_only", "A complaint about the service received only"


class Language(models.TextChoices):
    """The language a case's correspondence is in: the one the application was made in (the
    public pages are in English or Welsh, docs/apply.md). Letters and messages follow it."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh (Cymraeg)"


class Case(Versioned):
    """One case of any kind (ADR 0048): the ASB Case Review is the kind "case_review"; later issues
    add Community MARAC, cuckooing and intervention kinds. A kind's statuses and transitions are its
    table (`core.case_kinds`, registered in `applications.kinds`); its people are `CaseParty` rows;
    its agencies `ApplicationAgency`; its timeline `CaseEvent`; who sees it `cases_visible_to`.

    The fields below `status` that only the review needs (consent, concerns, the applicant's words,
    the language of its letters, the repeat link) stay on this one table: a case of another kind
    leaves them empty. `victim` is the review's shortcut to its victim party (null for a kind that
    has none); the same services that set it write the matching CaseParty row.
    """

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(max_length=40, default=CASE_REVIEW, db_index=True)
    reference = models.CharField(max_length=20, unique=True)
    received_on = models.DateField()
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)

    victim = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="applications_as_victim"
    )
    applicant = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_as_applicant",
        help_text="A third party applying on the victim's behalf; empty when the victim applied.",
    )
    applicant_relationship = models.CharField(max_length=100, blank=True)
    victim_consent = models.BooleanField(
        null=True, blank=True, help_text="For a third-party application: has the victim consented?"
    )
    consent_recorded_on = models.DateField(null=True, blank=True)
    anonymous = models.BooleanField(default=False)
    concerns = models.JSONField(default=list, blank=True)
    senior_manager_request = models.BooleanField(
        default=False, help_text="Started by a senior manager to safeguard a vulnerable victim."
    )
    senior_manager_reasons = models.TextField(blank=True)

    summary = models.TextField(blank=True, help_text="What is happening, in the applicant's words.")
    desired_outcome = models.TextField(blank=True, help_text="What the applicant would like to happen.")
    location = models.CharField(max_length=300, blank=True, help_text="Where the behaviour happens.")
    language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The language the application was made in; letters to the applicant follow it.",
    )

    spoc = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spoc_for",
        help_text="The single point of contact; set only by the SPOC appointment service.",
    )
    previous_application = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeat_applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    next_due_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The earliest due date of the case's outstanding clocks (CaseClock); kept with them "
        "by applications.services.case_clocks_refresh, so the list sorts and counts by an index.",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["partnership", "kind", "status"], name="case_partnership_kind_status"),
            # The staff list's orders: newest first (scanned backwards for oldest first), and the
            # next due date (nulls last, as the list shows "nothing due" after every date).
            models.Index(fields=["partnership", "received_on", "id"], name="application_received"),
            models.Index(fields=["partnership", "next_due_on", "id"], name="application_next_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_third_party(self) -> bool:
        return self.applicant_id is not None

    @property
    def kind_table(self) -> CaseKindTable:
        """This case's kind: its statuses and the moves between them (applications.kinds)."""
        return case_kind(self.kind)

    @property
    def is_open(self) -> bool:
        return self.kind_table.is_open(self.status)

    @property
    def status_label(self) -> str:
        return self.kind_table.label_of(self.status)


class ReviewManager(models.Manager):
    """The ASB Case Review's cases only: every query through `Application.objects`."""

    def get_queryset(self):
        return super().get_queryset().filter(kind=CASE_REVIEW)


class Application(Case):
    """The ASB Case Review: the case kernel's "case_review" kind (a proxy, no table of its own).

    Every query through `Application.objects` is of review cases only, and saving one sets its
    kind. Code written before the kernel keeps importing `Application`; a relation from another
    table (a letter's case, an action's case) gives a `Case`, with the same fields and methods.
    """

    objects = ReviewManager()

    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        self.kind = CASE_REVIEW
        super().save(*args, **kwargs)


class ApplicationAgency(models.Model):
    """An agency that is party to a case. Agency officers see only cases their agency is party to.

    Rows are added by services (a report to the agency recorded as evidence, an information request,
    panel membership, an action owned), never by hand from a view.
    """

    application = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="case_links")
    reason = models.CharField(max_length=200)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "agency"], name="application_agency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} on {self.application}"


class AllegedPerpetrator(Versioned):
    """Held apart from anything the victim sees: never printed in a victim-facing document."""

    application = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    name = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    aliases = models.TextField(
        blank=True,
        help_text="Other names the person is known by, one a line (the disclosure check reads them).",
    )
    phone = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name or "Unnamed person"


class PartyRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    APPLICANT = "applicant", "Applicant"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    VULNERABLE_HOST = "vulnerable_host", "Vulnerable host"
    WITNESS = "witness", "Witness"
    REPORTER = "reporter", "Reporter"
    SUBJECT = "subject", "Subject of the case"


class CaseParty(models.Model):
    """A person in a role on a case, from `since` until `until` (empty while they still are).

    The kernel's one list of who a case is about, for every kind (ADR 0048). For the review, the
    rows are written by the services that set `Case.victim`, `Case.applicant` and the alleged
    perpetrators (and by migration 0009 for cases older than them), so the shortcuts and the
    parties cannot disagree. A party is either a `Person` (victim, applicant, witness …) or an
    `AllegedPerpetrator`: alleged perpetrators stay in their own table, held apart from anything a
    victim sees (core/disclosure.py), and their party row points at it rather than copying them.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=30, choices=PartyRole.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="case_parties"
    )
    perpetrator = models.OneToOneField(
        AllegedPerpetrator, null=True, blank=True, on_delete=models.CASCADE, related_name="party"
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name_plural = "case parties"
        indexes = [models.Index(fields=["case", "role"], name="caseparty_case_role")]
        constraints = [
            # A person, or an alleged perpetrator in that role: never both, never neither.
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, perpetrator__isnull=True)
                    & ~models.Q(role="alleged_perpetrator")
                )
                | models.Q(person__isnull=True, perpetrator__isnull=False, role="alleged_perpetrator"),
                name="caseparty_person_or_perpetrator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on case {self.case_id}"

    @property
    def is_current(self) -> bool:
        return self.until is None


class HateMotivation(models.TextChoices):
    RACE = "race", "Race or ethnicity"
    RELIGION = "religion", "Religion or belief"
    DISABILITY = "disability", "Disability"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    TRANSGENDER = "transgender", "Transgender identity"


class Incident(Versioned):
    """One occurrence of the behaviour. Its reports say which agencies were told, and when."""

    application = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    ref = models.CharField(max_length=10, help_text="I1, I2 … within the application.")
    occurred_on = models.DateField()
    description = models.TextField(blank=True)
    location = models.CharField(max_length=300, blank=True)
    hate_motivations = models.JSONField(default=list, blank=True)
    diary_sheet = models.BooleanField(default=False, help_text="Recorded on a diary sheet.")
    action_group = models.BooleanField(
        default=False, help_text="Taken to the Hate and ASB Action Group (or the local equivalent)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "ref"], name="incident_unique_ref")]

    def __str__(self) -> str:
        return f"{self.ref} ({self.occurred_on:%d %b %Y})"

    @property
    def hate(self) -> bool:
        return bool(self.hate_motivations)


class IncidentReport(Versioned):
    """A report of an incident to one agency. The same incident told to three agencies is one
    Incident with three IncidentReports, so the threshold counts it once where the policy says so."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT)
    agency_kind = models.CharField(max_length=16, choices=AgencyKind.choices)
    agency_name = models.CharField(max_length=200, blank=True, help_text="As the applicant named it.")
    reported_on = models.DateField()
    agency_reference = models.CharField(max_length=100, blank=True)
    reporter = models.CharField(
        max_length=200, default="victim", help_text='"victim" for the victim or someone for them; else who.'
    )
    confirmed = models.BooleanField(default=False, help_text="Confirmed by the agency's own records.")

    class Meta:
        ordering = ["reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.agency_name or self.agency_kind} {self.reported_on}"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted: a review will take place"
    DECLINED = "declined", "Declined: the threshold is not met"
    INELIGIBLE = "ineligible", "Not eligible"


class ThresholdDecision(models.Model):
    """The threshold decision: what the engine found and what the council decided, and why.

    `engine_result` is the core's output (contracts §3) stored whole, so the decision letter and the
    appeal can show exactly what the officer saw. A later decision supersedes an earlier one; the
    earlier stays on the record.

    Decisions keep what they were decided under (ADR 0039): `policy_id`, `policy_version` and
    `policy_digest` (the SHA-256 of the policy's settings) name the policy exactly, and
    `reason_codes` holds the reasons as codes with parameters (`core.threshold.Decision.codes_dict`),
    from which `core.reasons` writes the letter's sentences in English or Welsh — never re-reading
    today's policy. A decision made before these were stored has them only where migration 0007
    could recover them (`reason_codes["recovered"]`); otherwise `reason_codes` is empty and its
    letters quote the stored English (`engine_result`, `explanation`).
    """

    application = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    policy_id = models.CharField(max_length=100)
    policy_version = models.CharField(max_length=40)
    policy_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the policy's settings when decided; empty if not known (decided before it "
        "was recorded).",
    )
    engine_outcome = models.CharField(max_length=20)
    engine_route = models.CharField(max_length=30, blank=True)
    qualifying_complaints = models.PositiveIntegerField(default=0)
    engine_result = models.JSONField()
    reason_codes = models.JSONField(
        default=dict,
        blank=True,
        help_text="The reasons as codes with parameters (core.threshold.Decision.codes_dict); empty if "
        "they could not be recovered for a decision made before they were stored.",
    )
    decision = models.CharField(max_length=12, choices=Decision.choices)
    discretionary = models.BooleanField(
        default=False, help_text="Accepted at the manager's discretion although the threshold was not met."
    )
    safeguarding = models.BooleanField(default=False, help_text="A senior manager's safeguarding decision.")
    reasons = models.TextField(blank=True, help_text="The decision maker's own reasons.")
    explanation = models.TextField(help_text="The plain-English explanation quoted in the letter.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField()
    decided_on = models.DateField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = "decided_at"

    def __str__(self) -> str:
        return f"{self.application}: {self.decision}"


class CaseEvent(models.Model):
    """One thing that happened to a case: the timeline and the audit trail in one.

    Written only through `case_event_record`, in the same transaction as the change it records.
    `kind` names the event; kinds that start a statutory clock use the policy's event names
    (received, acknowledged, accepted, spoc_appointed, victim_unreachable, information_requested,
    panel_held, letter_issued) so the deadlines can be computed from the timeline.
    """

    application = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=60)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    occurred_on = models.DateField(help_text="The day it happened (clocks run from this).")
    at = models.DateTimeField(help_text="When it was recorded.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"{self.application} {self.kind} {self.occurred_on}"


class CaseClock(models.Model):
    """One statutory clock of a case, stored so that "due", "overdue" and "next step" are indexed
    queries rather than a scan of every event of every case.

    The rows are a cache of `applications.clocks.clocks_compute` over the case's events, status and
    policy: `applications.services.case_clocks_refresh` recomputes them in the transaction of every
    case event (`case_event_record`), so they cannot drift from the timeline through the services;
    `casereview rebuild-clocks [--check]` repairs them after anything else (a manual SQL fix, a
    changed policy). What depends on today (overdue, due today) is never stored: it is
    `due_on < today` (or `=`) on a clock that is not done and not a window (ADR 0019).
    """

    # Derived rows: each change follows a case event (or the status change) that the access log
    # already records; logging the clocks' rewrites too filled half the log with "Deleted case clock".
    audit_changes = False

    application = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    position = models.PositiveSmallIntegerField(help_text="Order on the case page (the policy's order).")
    name = models.CharField(max_length=60, help_text="The deadline's name in the policy.")
    party = models.CharField(
        max_length=10, blank=True, help_text='Per-request clocks: "request" or "agency"; else empty.'
    )
    request = models.CharField(
        max_length=60, blank=True, help_text="Per-request clocks: the request's or the agency's id."
    )
    within = models.CharField(max_length=40)
    start_event = models.CharField(max_length=60)
    starts_on = models.DateField()
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    window = models.BooleanField(default=False, help_text="A window that closes (appeal), not a task.")

    class Meta:
        ordering = ["application", "position"]
        indexes = [
            # Outstanding clocks only (not done, not a window): the few that "due" and "overdue" read.
            models.Index(
                fields=["due_on", "application"],
                name="caseclock_outstanding_due",
                condition=models.Q(done_on__isnull=True, window=False),
            ),
            models.Index(fields=["application", "position"], name="caseclock_application"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.name} due {self.due_on}"

    @property
    def is_outstanding(self) -> bool:
        return self.done_on is None and not self.window
