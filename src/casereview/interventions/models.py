"""Interventions: the enforcement ladder against a person or premises (issue 17, ADR 0058).

An `Intervention` is the work with one subject — a person's profile (people.Person) or premises
(people.Place) — led by one agency and one officer, optionally tied to a case (the kernel will
make it a case kind). Its `Step`s are the ladder's rungs as served (a warning letter, a CPW, a CPN,
an injunction, a closure notice …), each checked against the law in force on its own date by the
pure core (core.enforcement) before it is recorded; the check is stored with the step. What a court
decides is recorded as the step's outcome and `court_decision`, never second-guessed. Support
offered alongside (`SupportReferral`), possible breaches found in the report log (`BreachFlag`) and
every change are on the intervention's timeline (`InterventionEvent`).
"""

from django.conf import settings
from django.db import models

from casereview.core.enforcement import STEP_KINDS
from casereview.web.concurrency import Versioned
from casereview.web.encryption import EncryptedTextField


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class StepKind(models.TextChoices):
    WARNING_LETTER = "warning_letter", "Warning letter"
    SECOND_WARNING = "second_warning", "Second warning or meeting"
    ABC = "abc", "Acceptable Behaviour Agreement"
    CPW = "cpw", "Community Protection Warning"
    CPN = "cpn", "Community Protection Notice"
    FPN = "fpn", "Fixed penalty notice (breach of a CPN)"
    CIVIL_INJUNCTION = "civil_injunction", "Civil injunction"
    RESPECT_ORDER = "respect_order", "Respect Order"
    YOUTH_INJUNCTION = "youth_injunction", "Youth injunction"
    HOUSING_INJUNCTION = "housing_injunction", "Housing injunction"
    CBO = "cbo", "Criminal Behaviour Order"
    CLOSURE_NOTICE = "closure_notice", "Closure notice"
    CLOSURE_ORDER = "closure_order", "Closure order"
    DISPERSAL_DIRECTION = "dispersal_direction", "Dispersal direction"
    PSPO = "pspo", "Public Spaces Protection Order"


assert tuple(StepKind.values) == STEP_KINDS


class HowServed(models.TextChoices):
    IN_PERSON = "in_person", "Handed to them in person"
    POST = "post", "By post"
    EMAIL = "email", "By email"
    AFFIXED = "affixed", "Fixed to the premises"
    LEFT_AT_PREMISES = "left_at_premises", "Left at the premises"
    COURT = "court", "Made by the court"
    OTHER = "other", "Another way"


class Outcome(models.TextChoices):
    COMPLIED = "complied", "Complied"
    BREACHED = "breached", "Breached"
    APPEALED = "appealed", "Appealed"
    VARIED = "varied", "Varied"
    DISCHARGED = "discharged", "Discharged"


class Programme(models.TextChoices):
    """Whose casework it is (seed 003's Early Intervention Scheme, seed 002's integrated gangs team)."""

    EARLY_INTERVENTION = "early_intervention", "Early Intervention Scheme"
    INTEGRATED_GANGS = "integrated_gangs", "Integrated gangs team"
    ENFORCEMENT = "enforcement", "Enforcement only (premises or area powers)"


class LawfulBasis(models.TextChoices):
    """The condition for processing criminal offence data (UK GDPR art. 10, DPA 2018 s.10 and
    Schedule 1), with art. 6(1)(e), public task, under the statutes seed 002's notice names."""

    PREVENTING_CRIME = (
        "preventing_unlawful_acts",
        "Preventing or detecting unlawful acts (DPA 2018 Sch. 1 para. 10), public task",
    )
    STATUTORY_PURPOSE = (
        "statutory_purposes",
        "Statutory and government purposes (DPA 2018 Sch. 1 para. 6): Crime and Disorder Act 1998, 2014 Act",
    )
    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding of children and individuals at risk (DPA 2018 Sch. 1 para. 18)",
    )


class Intervention(Versioned):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )
    premises = models.ForeignKey(
        "people.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The ASB case (a review) the intervention arose from, if any: a link, not the intervention's own.
    case = models.ForeignKey(
        "applications.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Its own case on the kernel (kind "intervention", ADR 0066): its reference, status, parties,
    # agencies, letters and timeline events; the access selector decides who sees it. This row is
    # the kind's own columns (ADR 0048: "a one-to-one table in its own app").
    casework = models.OneToOneField(
        "applications.Case",
        null=True,
        on_delete=models.PROTECT,
        related_name="intervention_details",
    )
    programme = models.CharField(
        max_length=20, choices=Programme.choices, default=Programme.EARLY_INTERVENTION
    )
    support_plan = models.TextField(
        blank=True, help_text="What is offered and agreed to help the person stop: the case plan."
    )
    lawful_basis = models.CharField(
        max_length=30,
        choices=LawfulBasis.choices,
        default=LawfulBasis.PREVENTING_CRIME,
        help_text="The condition for processing the criminal offence data on this case.",
    )
    # Special category data only where required and appropriate (seed 002): encrypted at rest.
    special_category = EncryptedTextField(
        blank=True,
        help_text="Only where required: health, ethnic origin, religion, social care support, sexual "
        "orientation. Encrypted.",
    )
    nation = models.CharField(max_length=8, choices=Nation.choices, default=Nation.ENGLAND)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    summary = models.TextField(help_text="The behaviour the intervention is about.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, premises__isnull=True)
                | models.Q(person__isnull=True, premises__isnull=False),
                name="intervention_person_or_premises",
            )
        ]
        indexes = [models.Index(fields=["partnership", "status", "opened_on"], name="intervention_list")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"INT-{self.pk}"

    @property
    def subject_kind(self) -> str:
        return "person" if self.person_id else "premises"


class Step(Versioned):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    issuing_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField()
    served_at = models.DateTimeField(
        null=True, blank=True, help_text="The time of service (a closure notice)."
    )
    how_served = models.CharField(max_length=20, choices=HowServed.choices)
    prohibitions = models.TextField(blank=True, help_text="What the person must not do, one a line.")
    requirements = models.TextField(blank=True, help_text="What the person must do, one a line.")
    comply_by = models.DateField(null=True, blank=True, help_text="A warning's time to comply.")
    expires_on = models.DateField(null=True, blank=True)
    duration_hours = models.PositiveIntegerField(null=True, blank=True)
    authorisations = models.JSONField(default=list, blank=True)
    authorised_by = models.CharField(max_length=200, blank=True)
    duties = models.JSONField(default=list, blank=True)
    # The core's judgement when it was recorded, and the register version it read (ADR 0057).
    rule_check = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    # Kept when a later outcome (the court's: varied, discharged, upheld and complied) replaces "appealed".
    appealed_on = models.DateField(null=True, blank=True)
    court_decision = models.TextField(blank=True, help_text="What the court decided, as it decided it.")
    hearing_at = models.DateTimeField(
        null=True, blank=True, help_text="When the court heard the application (a closure notice's)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The document served (a warning letter, a CPW, a CPN, a closure notice), issued by the letters
    # app on the intervention's case once the disclosure check passed (ADR 0067).
    letter = models.ForeignKey(
        "letters.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["served_on", "id"]
        indexes = [models.Index(fields=["kind", "served_on"], name="step_kind_served")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} served {self.served_on}"

    @property
    def has_terms(self) -> bool:
        return bool(self.prohibitions.strip() or self.requirements.strip())


class SupportService(models.TextChoices):
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    MENTAL_HEALTH = "mental_health", "Mental health"
    YOUTH_SERVICES = "youth_services", "Youth services"
    HOUSING = "housing", "Housing support"
    OTHER = "other", "Other support"


class SupportReferral(Versioned):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="referrals")
    service = models.CharField(max_length=16, choices=SupportService.choices)
    offered_on = models.DateField()
    taken_up = models.BooleanField(null=True, blank=True, help_text="Empty: not yet known.")
    taken_up_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offered_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_service_display()} offered {self.offered_on}"


class InterventionEvent(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.CASCADE, related_name="events")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary


class BreachStatus(models.TextChoices):
    OPEN = "open", "To look at"
    CONFIRMED = "confirmed", "Breach confirmed"
    DISMISSED = "dismissed", "Not a breach"


class BreachFlag(Versioned):
    """A report in the report log about the subject while a step's terms were in force: a possible
    breach for the owning officer to look at (never a finding of breach by itself)."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="breach_flags")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="breach_flags")
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=BreachStatus.choices, default=BreachStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-flagged_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["step", "report"], name="breach_flag_once")]

    def __str__(self) -> str:
        return f"Possible breach of step {self.step_id}"
