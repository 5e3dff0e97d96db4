from __future__ import annotations

from django import forms

from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import EventKind, TrackerStatus


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *TrackerStatus.choices]
    )
    ward = forms.ChoiceField(label="Ward", required=False, choices=[("", "Any ward")])

    def __init__(self, *args, wards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "Any ward"), *((w, w) for w in wards)]


CONCERNS_REQUIRED = {"required": "Say what the concern is at this address."}


class AddressForm(forms.Form):
    uprn = forms.CharField(
        label="UPRN",
        required=False,
        max_length=20,
        help_text="If known: the place is found by it. Otherwise it is found by its address and postcode.",
    )
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One line each."
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    ward = forms.CharField(
        label="Ward", required=False, max_length=100, help_text="For a place not yet recorded."
    )
    occupant_profile = forms.IntegerField(
        label="The vulnerable occupant's profile number",
        required=False,
        min_value=1,
        help_text="If they have a person profile (search and signpost gives the number).",
    )
    occupant_name = forms.CharField(
        label="Or the occupant's full name",
        required=False,
        max_length=200,
        help_text="A profile is made for them.",
    )
    concerns = forms.CharField(
        label="Concerns", widget=forms.Textarea(attrs={"rows": 4}), error_messages=CONCERNS_REQUIRED
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EntryEditForm(VersionedForm):
    concerns = forms.CharField(
        label="Concerns", widget=forms.Textarea(attrs={"rows": 4}), error_messages=CONCERNS_REQUIRED
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label="New status", choices=TrackerStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to archive: for example, the panel agreed the risk was reduced.",
    )

    @classmethod
    def initial_from(cls, record) -> dict:
        return {}


class HistoryForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=[(EventKind.VISIT, "A visit"), (EventKind.WARRANT, "A warrant executed")],
        widget=forms.RadioSelect,
    )
    occurred_on = GovDateField(
        label="Date", words="the date it happened", past_only=True, help_text="For example, 27 3 2026"
    )
    agency = forms.ModelChoiceField(label="Agency", queryset=None)
    officer = forms.CharField(label="Officer", max_length=200, help_text="Name or collar number.")
    summary = forms.CharField(
        label="What was found or done", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = partnership.agencies.order_by("name")
