"""The ASB report log: every agency's reports in one place (issue 7, contracts §6–7).

One row per report an agency received. The same log feeds the case review (a victim's reports
offered as incident evidence), the hotspot list, the repeat-caller list and the prompt to explain
the ASB Case Review to someone making a second report within six months.

Dates: police.uk publishes only the month, so a report keeps a month as a month —
`occurred_on` / `reported_on` are the first of the month and `date_precision` is "month". Such
reports never count towards hotspots or repeat callers (a 14-day window cannot place them).

Personal data: `caller` is a stable key (a normalised phone number, e-mail address or a partner's
own person reference), not necessarily a name; it is never put in a URL (history pages take it in
a POSTed form or a server-side token) and never logged.
"""

from django.conf import settings
from django.db import models

from casereview.accounts.models import AgencyKind

from .keys import caller_key_normalise


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month only"


class ReportChannel(models.TextChoices):
    ASB_LINE = "asb_line", "ASB reporting line"
    OUT_OF_HOURS_LINE = "out_of_hours_line", "Out-of-hours ASB and noise line"
    ONLINE = "online", "Online form"
    POLICE_101 = "police_101", "Police 101"
    POLICE_999 = "police_999", "Police 999"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    PATROL = "patrol", "Seen on patrol"
    OTHER = "other", "Other"


class ReportSource(models.TextChoices):
    RECORDED = "recorded", "Recorded by staff"
    PARTNER_CSV = "partner_csv", "Partner CSV import"
    POLICE_UK = "police_uk", "data.police.uk import"
    PARTNER_API = "partner_api", "Partner API push"


class ReportStatus(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class TeamKind(models.TextChoices):
    HOUSING_PROVIDER = "housing_provider", "Housing provider"
    GREENSPACE = "greenspace", "Greenspace and parks"
    PATROL = "patrol", "Patrol contractor"
    NOISE = "noise", "Noise service"
    POLICE = "police", "Police"
    COMMUNITY_SAFETY = "community_safety", "Community safety"
    OTHER = "other", "Other"


class Team(models.Model):
    """A team reports are passed to (seed 003: "assign incidents to greenspace, Parkguard & Housing
    providers"). Belongs to one partnership; optionally to one of its agencies."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.OTHER)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="asb_reports"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="asb_reports")
    # Copied from the agency when the report is saved, so the repeat-caller rule for "reports to the
    # police" is a one-table query at national scale (docs/performance.md).
    agency_kind = models.CharField(max_length=16, choices=AgencyKind.choices)
    agency_reference = models.CharField(
        max_length=100, help_text="The agency's own reference: with the agency, the import key."
    )

    occurred_on = models.DateField(help_text="When it happened (first of the month if month only).")
    reported_at = models.DateTimeField(null=True, blank=True, help_text="Empty when only the month is known.")
    reported_on = models.DateField(help_text="The date of reported_at (first of the month if month only).")
    date_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    channel = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)

    location = models.CharField(max_length=300, help_text="A location key: address, UPRN or named point.")
    lsoa_code = models.CharField(max_length=12, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    caller = models.CharField(
        max_length=200, blank=True, help_text="A stable key for who reported, exactly as the agency sent it."
    )
    # The key in the form a person's e-mail address, phone number or partner key is compared with
    # (reports.keys.caller_key_normalise): "07700 900123" and "+44 7700 900123" are one phone here,
    # while `caller` keeps each as the agency sent it (contracts §7; the repeat-caller rules count
    # per key as sent).
    caller_match = models.CharField(max_length=200, blank=True, editable=False)
    hate = models.BooleanField(default=False)

    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW)
    outcome = models.TextField(blank=True)

    source = models.CharField(max_length=12, choices=ReportSource.choices, default=ReportSource.RECORDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "agency_reference"], name="report_unique_agency_reference"
            )
        ]
        # One index per question the product asks (docs/reports.md): the log by date, a location's
        # history and the hotspot window, a caller's history and the repeat-caller rules.
        indexes = [
            # Covering on PostgreSQL: the hotspot and repeat-caller windows are index-only scans of
            # the days in the window (docs/performance.md). Other databases ignore `include`.
            # `id` too: the log page finds its 50 ids newest first in the index alone, filtering on
            # the included columns, and then fetches just those rows (selectors.log_page).
            models.Index(
                fields=["partnership", "reported_on"],
                include=["location", "caller", "channel", "agency_kind", "date_precision", "id"],
                name="report_partner_day",
            ),
            # A repeat-caller rule on one channel (Islington: the out-of-hours line, 3 months) reads
            # only that channel's entries of its window.
            models.Index(
                fields=["partnership", "channel", "reported_on"],
                include=["caller", "date_precision"],
                name="report_partner_channel",
            ),
            # Covering date_precision so the full rolling recompute reads the index in location and
            # day order without touching the table (docs/performance.md).
            models.Index(
                fields=["partnership", "location", "reported_on"],
                include=["date_precision"],
                name="report_partner_location",
            ),
            models.Index(fields=["partnership", "caller", "reported_on"], name="report_partner_caller"),
            models.Index(fields=["partnership", "caller_match"], name="report_partner_caller_match"),
            models.Index(fields=["partnership", "agency", "reported_on"], name="report_partner_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_reference} ({self.location})"

    def save(self, *args, **kwargs):
        # `caller_match` follows `caller` on every save (bulk writes set both: imports._write).
        self.caller_match = caller_key_normalise(self.caller)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "caller" in update_fields:
            kwargs["update_fields"] = {*update_fields, "caller_match"}
        super().save(*args, **kwargs)

    def get_channel_display(self) -> str:
        return dict(ReportChannel.choices).get(self.channel, self.channel.replace("_", " ").capitalize())

    @property
    def month_only(self) -> bool:
        return self.date_precision == Precision.MONTH


class DayNumber(models.Func):
    """A date as a whole number of days since 1 January 2000, in SQL both databases accept in a
    generated column (PostgreSQL's date subtraction; SQLite's Julian day, 2451544.5 at that date)."""

    output_field = models.IntegerField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '2000-01-01')", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2451544.5 AS INTEGER)", **extra
        )


class ReportDailyCount(models.Model):
    """How many reports dated to the day a location had on one day: a summary of `Report`, kept in
    step by every write that adds or moves a report, in that write's own transaction (services
    `daily_counts_add` / `daily_counts_move`; `casereview rebuild-daily-counts` rebuilds it).

    Hotspots read at most one row per location and day of their window, and the full rolling
    recompute windows over days rather than reports (docs/performance.md). Month-only reports are
    not counted: the hotspot rule never counts them (core.hotspots), so the answers stay the same.
    A row exists only while its count is above zero."""

    # No index of its own: the unique constraint leads with the partnership.
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    location = models.CharField(max_length=300)
    day = models.DateField()
    reports = models.PositiveIntegerField()
    # The day as a number, kept by the database itself: the rolling recompute's window is then an
    # integer RANGE frame ("13 PRECEDING"), which PostgreSQL evaluates about a third faster than a
    # date frame with an interval offset (docs/performance.md). Never written by the application.
    day_number = models.GeneratedField(
        expression=DayNumber("day"), output_field=models.IntegerField(), db_persist=True
    )

    class Meta:
        constraints = [
            # The ON CONFLICT target of the upserts.
            models.UniqueConstraint(fields=["partnership", "location", "day"], name="daily_count_unique")
        ]
        indexes = [
            # The hotspot window: the days of the window, every location, index-only on PostgreSQL.
            models.Index(
                fields=["partnership", "day"], include=["location", "reports"], name="daily_count_day"
            ),
            # The rolling recompute reads it in location and day order, index-only, with no sort.
            models.Index(
                fields=["partnership", "location", "day_number"],
                include=["reports", "day"],
                name="daily_count_rolling",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} on {self.day}: {self.reports}"


class ReportCorrection(models.Model):
    """A correction of where or when a report was made (services.report_correct): each changed
    field's old and new value as shown to staff, who made it, when and why. The report's own timeline."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateTimeField(auto_now_add=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(help_text='{"field label": ["old", "new"], …}')
    reason = models.TextField()

    class Meta:
        ordering = ["corrected_at", "id"]

    def __str__(self) -> str:
        return f"Correction of report {self.report_id} on {self.corrected_at:%Y-%m-%d}"


class ExplanationMethod(models.TextChoices):
    PHONE = "phone", "On the phone"
    EMAIL = "email", "By email"
    LETTER = "letter", "By letter"
    IN_PERSON = "in_person", "In person"
    TEXT = "text", "By text message"


class ReviewExplanation(models.Model):
    """The ASB Case Review explained to someone making a second report within six months
    (2025 statutory guidance): to whom (caller key), when, how and by whom."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    caller = models.CharField(max_length=200)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="explanations"
    )
    explained_on = models.DateField()
    method = models.CharField(max_length=12, choices=ExplanationMethod.choices)
    notes = models.TextField(blank=True)
    explained_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-explained_on", "-id"]
        indexes = [models.Index(fields=["partnership", "caller", "explained_on"], name="explanation_caller")]

    def __str__(self) -> str:
        return f"ASB Case Review explained on {self.explained_on} ({self.get_method_display()})"


class ReportEvidence(models.Model):
    """A report from the log confirmed as evidence of an incident on a case (so it is not offered
    again). The incident and its IncidentReport were created by applications.services.incident_add."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    application = models.ForeignKey(
        "applications.Case", on_delete=models.CASCADE, related_name="log_evidence"
    )
    incident = models.ForeignKey(
        "applications.Incident", on_delete=models.CASCADE, related_name="log_reports"
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "application"], name="report_evidence_unique")
        ]

    def __str__(self) -> str:
        return f"Report {self.report_id} on {self.application_id}"


class HotspotActionKind(models.TextChoices):
    EVA = "eva", "Environmental visual audit"
    PATROL = "patrol", "Patrols"
    CCTV = "cctv", "CCTV"
    ENFORCEMENT = "enforcement", "Enforcement (warnings, CPW/CPN, injunction)"
    ENGAGEMENT = "engagement", "Engagement and outreach"
    CLEANSING = "cleansing", "Cleansing and repairs"
    OTHER = "other", "Other"


class HotspotAction(models.Model):
    """Something done at a hotspot location, with its outcome, for the weekly tasking meeting."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    location = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=HotspotActionKind.choices)
    description = models.TextField()
    taken_on = models.DateField()
    owner_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [models.Index(fields=["partnership", "location", "taken_on"], name="hotspot_action_loc")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.location} on {self.taken_on}"


class TriageOutcome(models.TextChoices):
    # To the standing panel the policy routes a repeat caller's triage to (the Repeat Callers panel).
    MULTI_AGENCY = "multi_agency", "Referred for a multi-agency response (a standing panel)"
    SUPPORT = "support", "Support offered by a single agency"
    MONITOR = "monitor", "Monitor: no referral for now"
    NO_ACTION = "no_action", "No further action"


class Risk(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class RepeatCallerTriage(models.Model):
    """The triage of a repeat caller (seed 003): vulnerability and risk, and whether they were
    referred for a multi-agency response."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    caller = models.CharField(max_length=200)
    rule = models.CharField(max_length=40)
    calls = models.PositiveIntegerField()
    as_of = models.DateField()
    vulnerable = models.BooleanField()
    risk = models.CharField(max_length=8, choices=Risk.choices)
    outcome = models.CharField(max_length=16, choices=TriageOutcome.choices)
    notes = models.TextField(blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    triaged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-triaged_at", "-id"]
        indexes = [models.Index(fields=["partnership", "caller"], name="triage_caller")]

    def __str__(self) -> str:
        return f"Triage {self.as_of}: {self.get_outcome_display()}"
