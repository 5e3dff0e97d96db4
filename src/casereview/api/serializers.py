"""The shapes the API reads and answers (documented in the OpenAPI file, closed: no undeclared
properties)."""

from __future__ import annotations

from django.apps import apps
from rest_framework import serializers

from .models import WebhookEvent


class ReportIn(serializers.Serializer):
    """One report: the partner CSV's fields (contracts §6). Field-level checks are the import's own:
    a report it cannot take is skipped with a reason naming the field, never half-stored."""

    agency_reference = serializers.CharField(max_length=100, allow_blank=True)
    agency = serializers.CharField(required=False, allow_blank=True, max_length=200)
    agency_kind = serializers.CharField(required=False, allow_blank=True, max_length=20)
    channel = serializers.CharField(required=False, allow_blank=True, max_length=40)
    reported_at = serializers.CharField(max_length=40, allow_blank=True)
    occurred_on = serializers.CharField(required=False, allow_blank=True, max_length=20)
    category = serializers.CharField(required=False, allow_blank=True, max_length=200)
    location = serializers.CharField(max_length=300, allow_blank=True)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    caller = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hate = serializers.BooleanField(required=False, allow_null=True)


class ReportBatchIn(serializers.Serializer):
    reports = ReportIn(many=True, allow_empty=False, max_length=5000)


# A batch is checked for its shape in one pass (what ReportBatchIn declares, with the same error
# messages and pointers), not by a DRF serializer per report: at 500 reports a batch the serializers
# were a third of the push's time (docs/performance.md). Each field's meaning is then checked by the
# import itself, as for a CSV file. tests/api/test_api.py holds the two to the same answers.
_TEXT_FIELDS = {
    name: field.max_length
    for name, field in ReportIn().fields.items()
    if isinstance(field, serializers.CharField)
}
_REQUIRED = [name for name, field in ReportIn().fields.items() if field.required]
_FLOAT_FIELDS = ("latitude", "longitude")
_TRUE = {"true", "True", "TRUE", "on", "On", "ON", "1", "yes", "Yes", "YES", "y", "Y", 1}
_FALSE = {"false", "False", "FALSE", "off", "Off", "OFF", "0", "no", "No", "NO", "n", "N", 0}
_BATCH_MAX = 5000


def _report_check(record: dict, errors: dict) -> dict:
    out = {}
    for name in _REQUIRED:
        if name not in record:
            errors[name] = ["This field is required."]
    for name, value in record.items():
        if name in _TEXT_FIELDS:
            if value is None:
                errors[name] = ["This field may not be null."]
            elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
                errors[name] = ["Not a valid string."]
            else:
                text = str(value).strip()
                if "\x00" in text:
                    errors[name] = ["Null characters are not allowed."]
                elif len(text) > _TEXT_FIELDS[name]:
                    errors[name] = [f"Ensure this field has no more than {_TEXT_FIELDS[name]} characters."]
                out[name] = text
        elif name in _FLOAT_FIELDS:
            if value is None:
                continue
            try:
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    raise ValueError
                number = float(value)
                if number != number or number in (float("inf"), float("-inf")):
                    raise ValueError
                out[name] = number
            except (ValueError, OverflowError):
                errors[name] = ["A valid number is required."]
        elif name == "hate":
            if value is None:
                continue
            try:
                if value in _TRUE:
                    out[name] = True
                elif value in _FALSE:
                    out[name] = False
                else:
                    raise TypeError
            except TypeError:  # unhashable, or neither
                errors[name] = ["Must be a valid boolean."]
    return out


def report_batch_validate(data) -> list[dict]:
    """The batch's reports as the import takes them (text trimmed, numbers and booleans typed, nulls
    left out), or a DRF ValidationError naming each wrong field (`/reports/3/latitude`)."""
    if not isinstance(data, dict):
        raise serializers.ValidationError(
            {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {type(data).__name__}."]}
        )
    reports = data.get("reports", serializers.empty)
    if reports is serializers.empty:
        raise serializers.ValidationError({"reports": ["This field is required."]})
    if not isinstance(reports, list):
        raise serializers.ValidationError(
            {"reports": [f'Expected a list of items but got type "{type(reports).__name__}".']}
        )
    if not reports:
        raise serializers.ValidationError({"reports": ["This list may not be empty."]})
    if len(reports) > _BATCH_MAX:
        raise serializers.ValidationError(
            {"reports": [f"Ensure this field has no more than {_BATCH_MAX} elements."]}
        )
    records, problems, wrong = [], [], False
    for record in reports:
        errors: dict = {}
        if not isinstance(record, dict):
            errors["non_field_errors"] = [
                f"Invalid data. Expected a dictionary, but got {type(record).__name__}."
            ]
            records.append({})
        else:
            records.append(_report_check(record, errors))
        problems.append(errors)
        wrong = wrong or bool(errors)
    if wrong:
        raise serializers.ValidationError({"reports": problems})
    return records


class ImportResultOut(serializers.Serializer):
    read = serializers.IntegerField()
    imported = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    skipped = serializers.IntegerField()
    skipped_reasons = serializers.DictField(child=serializers.IntegerField())


class ReportOut(serializers.Serializer):
    agency_reference = serializers.CharField()
    agency = serializers.CharField()
    agency_kind = serializers.CharField()
    channel = serializers.CharField()
    reported_at = serializers.DateTimeField(allow_null=True)
    occurred_on = serializers.DateField()
    category = serializers.CharField()
    location = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    caller = serializers.CharField()
    hate = serializers.BooleanField()
    status = serializers.CharField()


class CorrectIn(serializers.Serializer):
    """A correction of one report: the fields to change (others left as they are) and why."""

    reason = serializers.CharField(max_length=1000)
    location = serializers.CharField(required=False, max_length=300)
    reported_at = serializers.DateTimeField(required=False)
    occurred_on = serializers.DateField(required=False)
    category = serializers.CharField(required=False, allow_blank=True, max_length=100)
    hate = serializers.BooleanField(required=False)
    caller = serializers.CharField(required=False, max_length=200)


class AgencyOut(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()


class ClockOut(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    starts_on = serializers.DateField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    state = serializers.CharField()


class EventOut(serializers.Serializer):
    kind = serializers.CharField()
    summary = serializers.CharField()
    occurred_on = serializers.DateField()
    at = serializers.DateTimeField()


class CaseOut(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    received_on = serializers.DateField()
    next_due_on = serializers.DateField(allow_null=True)
    parties = AgencyOut(many=True)
    clocks = ClockOut(many=True)
    timeline = EventOut(many=True)


class InformationRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_reference = serializers.CharField()
    agency = serializers.CharField()
    requested_on = serializers.DateField()
    due_on = serializers.DateField()
    message = serializers.CharField()
    status = serializers.CharField()
    responded_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class InformationRequestPage(serializers.Serializer):
    results = InformationRequestOut(many=True)
    next_page = serializers.IntegerField(allow_null=True)


# The reviews app's lawful bases for an agency's answer (reviews.models.LawfulBasis), read from
# its Disclosure model's field so the API offers exactly what the service accepts.
LAWFUL_BASES = [
    value for value, _ in apps.get_model("reviews", "Disclosure")._meta.get_field("lawful_basis").choices
]


class AnswerIn(serializers.Serializer):
    reports_received = serializers.CharField(max_length=10000)
    actions_taken = serializers.CharField(max_length=10000)
    current_involvement = serializers.CharField(max_length=10000)
    other_information = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    lawful_basis = serializers.ChoiceField(choices=LAWFUL_BASES)
    files = serializers.ListField(
        child=serializers.FileField(max_length=200), required=False, max_length=10, allow_empty=True
    )


class ActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_reference = serializers.CharField()
    description = serializers.CharField()
    due_on = serializers.DateField()
    revised_due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class ActionPage(serializers.Serializer):
    results = ActionOut(many=True)
    next_page = serializers.IntegerField(allow_null=True)


class CompleteIn(serializers.Serializer):
    what_happened = serializers.CharField(max_length=5000)
    completed_on = serializers.DateField()


class DelayIn(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    revised_due_on = serializers.DateField()


class StatisticsOut(serializers.Serializer):
    partnership = serializers.CharField()
    from_ = serializers.DateField()
    to = serializers.DateField()
    applications = serializers.IntegerField()
    threshold_not_met = serializers.IntegerField()
    reviews_carried_out = serializers.IntegerField()
    reviews_with_recommendations = serializers.IntegerField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class SubscriptionIn(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.values), allow_empty=False, max_length=10
    )


class SubscriptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()


class SubscriptionCreatedOut(SubscriptionOut):
    secret = serializers.CharField(help_text="The HMAC-SHA256 key: shown once.")


class DeliveryOut(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    event_id = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


# --- People and places: search and signpost --------------------------------------------------------


class KnownToOut(serializers.Serializer):
    """An agency working with the person or place, and whom to contact; a sensitive agency is
    never named: `withheld` is true and the contact is the community safety team's."""

    agency = serializers.CharField()
    contact = serializers.CharField()
    withheld = serializers.BooleanField()


class SignpostOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "place"])
    known_to = KnownToOut(many=True)


class SignpostPage(serializers.Serializer):
    results = SignpostOut(many=True)


# --- Panel referrals ------------------------------------------------------------------------------


class ReferralIn(serializers.Serializer):
    """The referral form's fields (the referrals app's service decides; its errors name the field)."""

    panel_kind = serializers.CharField(max_length=60, help_text="The policy's panel kind code, e.g. cmarac.")
    summary = serializers.CharField(max_length=10000)
    consent = serializers.CharField(max_length=12, help_text="given, not_sought or refused.")
    lawful_basis = serializers.CharField(required=False, allow_blank=True, max_length=40)
    consent_notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    person_profile = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    person_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    subject_kind = serializers.ChoiceField(
        choices=["person", "household", "address"],
        required=False,
        help_text="Who or what is referred: a person (the default), a household or an address.",
    )
    household_profiles = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=30,
        help_text="A household's members by profile number (profiles your agency may see).",
    )
    household_names = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=30,
        help_text="A household's members with no profile yet, by name (new profiles).",
    )
    place_profile = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="A household's or an address referral's place by number (one your agency may see).",
    )
    address = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Or the place's address."
    )
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    uprn = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="The place's UPRN, up to 12 digits."
    )
    vulnerabilities = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=30
    )
    risk_answers = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=60,
        help_text="The risk tool's questions answered yes, by code.",
    )
    asb_reports = serializers.IntegerField(required=False, min_value=0, max_value=100000)


class ReferralOut(serializers.Serializer):
    id = serializers.IntegerField()
    panel_kind = serializers.CharField()
    agency = serializers.CharField(help_text="The referring agency.")
    referred_on = serializers.DateField()
    subject_kind = serializers.ChoiceField(choices=["person", "household", "address"])
    person_name = serializers.CharField(
        help_text="The person referred (a household's first member; no other member is named); "
        "empty for an address."
    )
    household_size = serializers.IntegerField(help_text="A household's members; 0 otherwise.")
    address = serializers.CharField(help_text="A household's or an address referral's place.")
    uprn = serializers.CharField()
    summary = serializers.CharField()
    vulnerabilities = serializers.ListField(child=serializers.CharField())
    risk_score = serializers.IntegerField(allow_null=True)
    risk_level = serializers.CharField()
    asb_reports = serializers.IntegerField()
    consent = serializers.CharField()
    lawful_basis = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why the criteria were met.")


class ReferralPage(serializers.Serializer):
    results = ReferralOut(many=True)
    next_page = serializers.IntegerField(allow_null=True)


# --- Interventions --------------------------------------------------------------------------------

_STEP = apps.get_model("interventions", "Step")
STEP_KINDS = [value for value, _ in _STEP._meta.get_field("kind").choices]
HOW_SERVED = [value for value, _ in _STEP._meta.get_field("how_served").choices]


class StepOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    issuing_agency = serializers.CharField()
    served_on = serializers.DateField()
    served_at = serializers.DateTimeField(allow_null=True)
    how_served = serializers.CharField()
    comply_by = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()


class InterventionOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    subject = serializers.ChoiceField(choices=["person", "premises"])
    lead_agency = serializers.CharField()
    status = serializers.CharField()
    opened_on = serializers.DateField()
    summary = serializers.CharField()
    version = serializers.IntegerField()


class InterventionDetailOut(InterventionOut):
    steps = StepOut(many=True)


class InterventionPage(serializers.Serializer):
    results = InterventionOut(many=True)
    next_page = serializers.IntegerField(allow_null=True)


_INTERVENTION = apps.get_model("interventions", "Intervention")
NATIONS = [value for value, _ in _INTERVENTION._meta.get_field("nation").choices]


class InterventionOpenIn(serializers.Serializer):
    """The open-an-intervention page's fields, for a person; the client's agency leads it."""

    person_profile = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The person's profile number: one your agency may see (as the page's list of people).",
    )
    opened_on = serializers.DateField()
    summary = serializers.CharField(max_length=5000, help_text="The behaviour the intervention is about.")
    nation = serializers.ChoiceField(
        choices=NATIONS, required=False, default="england", help_text="Whose law applies to its steps."
    )


class StepIn(serializers.Serializer):
    """A step issued by the client's agency; the law's check is the interventions app's."""

    kind = serializers.ChoiceField(choices=STEP_KINDS)
    served_on = serializers.DateField()
    served_at = serializers.DateTimeField(required=False, allow_null=True)
    how_served = serializers.ChoiceField(choices=HOW_SERVED)
    prohibitions = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    requirements = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    comply_by = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    duration_hours = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10000)
    authorisations = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=20
    )
    authorised_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    duties = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=20)
    court_decision = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ProblemError(serializers.Serializer):
    detail = serializers.CharField()
    pointer = serializers.CharField()


class Problem(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemError(many=True, required=False)
    reasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="A refusal by the rules (a panel's criteria, the law on a step): each reason, in words.",
    )
