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


class ProblemError(serializers.Serializer):
    detail = serializers.CharField()
    pointer = serializers.CharField()


class Problem(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemError(many=True, required=False)
