from __future__ import annotations

from django import forms

from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import IdentifierKind, PlaceLinkKind


class SearchForm(forms.Form):
    private_search = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Name or alias", required=False, max_length=200)
    date_of_birth = GovDateField(
        label="Date of birth",
        words="the date of birth",
        past_only=True,
        required=False,
        help_text="For example, 27 3 1980",
    )
    partner_key = forms.CharField(
        label="A partner's reference for the person",
        required=False,
        max_length=200,
        help_text="Exactly as the partner's system shows it, for example CX-0042.",
    )
    uprn = forms.CharField(
        label="UPRN", required=False, max_length=20, help_text="The property's UPRN, if you have it."
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("name", "date_of_birth", "partner_key", "uprn", "postcode")):
            raise forms.ValidationError(
                "Enter at least one thing to search for: a name, date of birth, reference, UPRN or postcode."
            )
        return data


class PersonForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    aliases = forms.CharField(
        label="Other names (aliases)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line.",
    )
    date_of_birth = GovDateField(
        label="Date of birth",
        words="the date of birth",
        past_only=True,
        required=False,
        help_text="For example, 27 3 1980",
    )
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    health_notes = forms.CharField(
        label="Health and vulnerability (special category data)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Encrypted at rest. Record only what partners need.",
    )
    offence_notes = forms.CharField(
        label="Offending (criminal offence data)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Encrypted at rest.",
    )


class PlaceForm(forms.Form):
    address = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    uprn = forms.CharField(label="UPRN", required=False, max_length=20, help_text="If known.")
    ward = forms.CharField(label="Ward", required=False, max_length=100)
    latitude = forms.FloatField(label="Latitude", required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label="Longitude", required=False, min_value=-180, max_value=180)


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of identifier", choices=IdentifierKind.choices, widget=forms.RadioSelect
    )
    value = forms.CharField(label="Identifier", max_length=100)
    agency = forms.ModelChoiceField(
        label="Whose reference is it?", queryset=None, required=False, empty_label="No particular agency"
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = partnership.agencies.order_by("name")


class PlaceLinkForm(forms.Form):
    place = forms.ModelChoiceField(label="Place", queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label="How is the person linked to it?", choices=PlaceLinkKind.choices, widget=forms.RadioSelect
    )
    started_on = GovDateField(label="From", words="the date the link started", required=False)
    ended_on = GovDateField(label="Until", words="the date the link ended", required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label="The duplicate's number",
        min_value=1,
        help_text='Shown on its page as "Record number". The duplicate\'s links move to this record.',
    )
    reason = forms.CharField(label="Why are they the same?", widget=forms.Textarea(attrs={"rows": 3}))


class AccessAskForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why does your agency need to see their cases?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The agency leading each case reads this to decide.",
    )


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("grant", "Grant access to this case"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you refuse: the officer reads them.",
    )


class ReportAboutForm(VersionedForm):
    """A report in the log that is about this person (ADR 0078). The version is how many reports
    the page listed as about them (web.concurrency.history_claim)."""

    agency = forms.ModelChoiceField(
        label="The agency the report was made to", queryset=None, empty_label=None
    )
    agency_reference = forms.CharField(
        label="The agency's reference for the report",
        max_length=100,
        help_text="As the report's page shows it, for example ASB-2026-0042.",
        error_messages={"required": "Enter the agency's reference for the report."},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = partnership.agencies.order_by("name")
