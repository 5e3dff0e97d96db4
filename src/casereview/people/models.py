"""People and places: the profiles many cases and reports hang off (issue 15; ECINS's "profiles").

A `Person` is someone known to the partnership — a victim, a caller, an alleged perpetrator, a
vulnerable host — with their names and aliases, date of birth, contact details and identifiers
(NHS number, National Insurance number, police and housing references, a partner's own key). A
`Place` is an address, with its UPRN where known. Both belong to one partnership and are linked,
with dates, to each other and to the records they appear in: a case party (applications.Person)
and the report log's reports (as the caller, or the location).

Special category and criminal-offence data (UK GDPR Art. 9 and 10) is encrypted at rest as the
privacy app's special category fields are (`EncryptedTextField`): the identifiers' values, and the
health and offence notes. An identifier is found by an exact keyed digest of its value, never by a
search of the encrypted column.

Merging two duplicate profiles moves every link from one to the other and records each link moved
(`Merge.moved`), so that unmerging moves back exactly those; links made after the merge go where
the officer chooses at the unmerge, and that choice is recorded too (docs/people.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casereview.web.concurrency import Versioned
from casereview.web.encryption import EncryptedTextField


class Person(Versioned):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="profiles")
    full_name = models.CharField(max_length=200)
    aliases = models.TextField(blank=True, help_text="Other names the person is known by, one a line.")
    # core.names.fold of the name and each alias, "|"-separated with a leading and a trailing "|":
    # a name search is a plain `contains` on every database (people.services.person_keys_set).
    name_key = models.CharField(max_length=1000, blank=True, db_index=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    health_notes = EncryptedTextField(
        "Health and vulnerability (special category)", blank=True, help_text="Encrypted at rest."
    )
    offence_notes = EncryptedTextField(
        "Offending (criminal offence data)", blank=True, help_text="Encrypted at rest."
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_duplicates",
        help_text="Set while this record is merged into another (people.services.person_merge).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = "person profile"

    def __str__(self) -> str:
        return self.full_name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class IdentifierKind(models.TextChoices):
    NHS = "nhs", "NHS number"
    NI = "ni", "National Insurance number"
    POLICE = "police", "Police reference"
    HOUSING = "housing", "Housing reference"
    PARTNER_KEY = "partner_key", "A partner's own key (as in the report log)"


class Identifier(models.Model):
    """One reference a person is known by. `value` is encrypted (an NHS number discloses health
    service use; a police reference, criminal-offence data); `lookup` is a keyed digest of the
    value as normalised (`people.services.identifier_lookup`), for an exact match only."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose reference it is (a partner key: the agency whose reports carry it).",
    )
    value = EncryptedTextField()
    lookup = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Place(Versioned):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="places")
    address = models.TextField()
    # core.names.fold(address): "Flat 2, 10 Llŷn Road" is found by "llyn road".
    address_key = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    uprn = models.CharField("UPRN", max_length=12, blank=True, help_text="Unique Property Reference Number.")
    postcode = models.CharField(max_length=10, blank=True)
    # The postcode upper-cased without spaces, for search ("nn11aa" finds "NN1 1AA").
    postcode_key = models.CharField(max_length=10, blank=True, db_index=True, editable=False)
    ward = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["address", "id"]
        indexes = [models.Index(fields=["partnership", "uprn"], name="place_partnership_uprn")]

    def __str__(self) -> str:
        return self.address.splitlines()[0] if self.address else f"Place {self.pk}"


class PlaceLinkKind(models.TextChoices):
    LIVES_AT = "lives_at", "Lives at"
    OWNS = "owns", "Owns"
    VISITS = "visits", "Visits"
    ASSOCIATED_WITH = "associated_with", "Associated with"


class PersonPlaceLink(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="place_links")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="person_links")
    kind = models.CharField(max_length=20, choices=PlaceLinkKind.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.place_id}"


class PersonLink(models.Model):
    """Two people associated with each other (a family member, a known associate)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_links")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_links_to")
    kind = models.CharField(
        max_length=20, default="associated_with", choices=[("associated_with", "Associated with")]
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.person_id} associated with {self.other_id}"


class CasePartyLink(models.Model):
    """A case party (applications.Person: a victim or applicant of a case) is this person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_party_links")
    party = models.OneToOneField("applications.Person", on_delete=models.CASCADE, related_name="profile_link")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"party {self.party_id} is person {self.person_id}"


class ReportRole(models.TextChoices):
    CALLER = "caller", "Caller"
    LOCATION = "location", "Location"
    #: The person the report is about (an officer's confirmation; ADR 0078). A report may be about
    #: several people; its caller is then protected from what is served on each of them.
    SUBJECT = "subject", "Who it is about"


class ResolvedBy(models.TextChoices):
    PARTNER_KEY = "partner_key", "The partner's key"
    UPRN = "uprn", "The UPRN"
    OFFICER = "officer", "An officer's confirmation"


class ReportLink(models.Model):
    """A report's caller resolved to a person, its location to a place, or a person it is about."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="profile_links")
    role = models.CharField(max_length=10, choices=ReportRole.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="report_links"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.CASCADE, related_name="report_links"
    )
    resolved_by = models.CharField(max_length=12, choices=ResolvedBy.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One caller and one location a report; any number of people it is about, each once.
            models.UniqueConstraint(
                fields=["report", "role"],
                condition=models.Q(role__in=["caller", "location"]),
                name="report_link_one_per_role",
            ),
            models.UniqueConstraint(
                fields=["report", "person"],
                condition=models.Q(role="subject"),
                name="report_link_subject_once",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} {self.role}"


class SignpostAgency(models.Model):
    """How search and signpost names an agency. An agency whose involvement itself discloses
    special category or criminal-offence data (a health or drug service, an integrated gangs team)
    is `sensitive`: shown as "another agency" unless the local policy says otherwise. Without a
    row, a health body is sensitive and any other agency is not."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.CASCADE, related_name="signpost")
    sensitive = models.BooleanField(
        default=False, help_text="Its involvement discloses special category or criminal-offence data."
    )
    contact = models.CharField(
        max_length=300, blank=True, help_text="Who to contact, shown in search results."
    )

    def __str__(self) -> str:
        return f"{self.agency}: {'sensitive' if self.sensitive else 'named'}"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class CaseAccessRequest(Versioned):
    """An officer's request, found through search and signpost, for their agency to see one case.
    The case's lead agency grants or refuses it; only a granted request widens the one selector."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="access_requests")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="access_request_agency")]

    def __str__(self) -> str:
        return f"Access request {self.pk}"


class MergeKind(models.TextChoices):
    PERSON = "person", "People"
    PLACE = "place", "Places"


class Merge(models.Model):
    """One merge of a duplicate into a kept record, and its unmerge.

    `moved` lists every link the merge moved, as [model label, id, field]: the unmerge moves back
    exactly these. `after_choices` records, at the unmerge, where each link made after the merge
    went ([model label, id, field, "kept" or "duplicate"])."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=6, choices=MergeKind.choices)
    kept_id = models.PositiveBigIntegerField()
    duplicate_id = models.PositiveBigIntegerField()
    reason = models.TextField()
    moved = models.JSONField(default=list)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    unmerge_reason = models.TextField(blank=True)
    after_choices = models.JSONField(default=list, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"Merge {self.pk}"
