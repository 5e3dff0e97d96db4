"""Forms for interventions. They only read and check what was typed; the services (and the pure
core's rules) decide everything else."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import BreachStatus, HowServed, Nation, Outcome, StepKind, SupportService

AUTHORISATION_CHOICES = [
    ("police_inspector", "A police inspector (or above) authorised it"),
    ("police_superintendent", "A police superintendent (or above) authorised it"),
    (
        "council_chief_executive_designate",
        "The council's chief executive, or the officer they designated, authorised it",
    ),
]
DUTY_CHOICES = [
    (
        "occupants_informed",
        "The people who live at the premises, and anyone with an interest in them, were informed",
    ),
    ("appropriate_consulted", "Those the agency thinks appropriate were consulted"),
    ("yot_consulted", "The youth offending team was consulted"),
    ("youth_services_engaged", "Youth services were engaged"),
    (
        "vulnerability_risk_assessment",
        "The person's vulnerabilities, the risks to others and the alternatives were assessed",
    ),
    ("convicted", "The person has been convicted (a Criminal Behaviour Order)"),
]
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _time(text: str) -> dt.time | None:
    match = _TIME.match((text or "").strip())
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


class OpenForm(forms.Form):
    subject = forms.ChoiceField(
        label="Who or what is the intervention about?",
        choices=[("person", "A person"), ("premises", "Premises (an address or a business)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a person or premises"},
    )

    def __init__(self, *args, people, places, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = forms.ChoiceField(
            label="The person",
            required=False,
            choices=[("", "Choose a person")] + [(str(p.pk), str(p)) for p in people],
        )
        self.fields["premises"] = forms.ChoiceField(
            label="The premises",
            required=False,
            choices=[("", "Choose premises")] + [(str(p.pk), str(p)) for p in places],
        )
        self.fields["lead_agency"] = forms.ChoiceField(
            label="Lead agency",
            choices=[(str(a.pk), a.name) for a in agencies],
            error_messages={"required": "Select the lead agency"},
        )
        self.fields["nation"] = forms.ChoiceField(
            label="Which nation's law applies?",
            choices=Nation.choices,
            initial=Nation.ENGLAND,
            widget=forms.RadioSelect,
            error_messages={"required": "Select England or Wales"},
        )
        self.fields["opened_on"] = GovDateField(
            label="Opened on", help_text="For example, 27 3 2026", words="the date opened"
        )
        self.fields["summary"] = forms.CharField(
            label="The behaviour the intervention is about",
            widget=forms.Textarea,
            max_length=5000,
            error_messages={"required": "Enter the behaviour the intervention is about"},
        )

    def clean(self):
        data = super().clean()
        if data.get("subject") == "person" and not data.get("person"):
            self.add_error("person", "Choose the person")
        if data.get("subject") == "premises" and not data.get("premises"):
            self.add_error("premises", "Choose the premises")
        return data


class StepForm(VersionedForm):
    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label="Step",
            choices=[("", "Choose the step")] + list(StepKind.choices),
            error_messages={"required": "Choose the step"},
        )
        self.fields["issuing_agency"] = forms.ChoiceField(
            label="Issuing agency",
            choices=[(str(a.pk), a.name) for a in agencies],
            error_messages={"required": "Select the issuing agency"},
        )
        self.fields["served_on"] = GovDateField(
            label="Date served (or made, for a court's order)",
            help_text="For example, 27 3 2026",
            words="the date served",
        )
        self.fields["served_time"] = forms.CharField(
            label="Time served",
            required=False,
            help_text="Needed for a closure notice: the hearing deadline runs from it. For example, 14:30",
            widget=forms.TextInput(attrs={"width": 5}),
        )
        self.fields["how_served"] = forms.ChoiceField(
            label="How it was served",
            choices=HowServed.choices,
            error_messages={"required": "Select how it was served"},
        )
        self.fields["prohibitions"] = forms.CharField(
            label="Prohibitions (what the person must not do)",
            required=False,
            widget=forms.Textarea,
            max_length=5000,
            help_text="One a line.",
        )
        self.fields["requirements"] = forms.CharField(
            label="Positive requirements (what the person must do)",
            required=False,
            widget=forms.Textarea,
            max_length=5000,
            help_text="One a line.",
        )
        self.fields["comply_by"] = GovDateField(
            label="Time to comply: the date by which the conduct must change",
            required=False,
            help_text="For a Community Protection Warning. For example, 27 4 2026",
            words="the date to comply by",
        )
        self.fields["expires_on"] = GovDateField(
            label="Expires on", required=False, help_text="For example, 27 3 2027", words="the expiry date"
        )
        self.fields["duration_hours"] = forms.IntegerField(
            label="Length in hours",
            required=False,
            min_value=1,
            help_text="A closure notice (24, or up to 48 with a senior authorisation) or a dispersal "
            "direction.",
            widget=forms.TextInput(attrs={"inputmode": "numeric", "width": 3}),
            error_messages={"invalid": "Enter the length as a whole number of hours, like 24"},
        )
        self.fields["authorisations"] = forms.MultipleChoiceField(
            label="Authorisations",
            required=False,
            choices=AUTHORISATION_CHOICES,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["authorised_by"] = forms.CharField(
            label="Who authorised it (name and rank or post)", required=False, max_length=200
        )
        self.fields["duties"] = forms.MultipleChoiceField(
            label="Done before this step",
            required=False,
            choices=DUTY_CHOICES,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["court_decision"] = forms.CharField(
            label="The court's decision, as it decided it",
            required=False,
            widget=forms.Textarea,
            max_length=5000,
            help_text="For an order the court made: its terms and date.",
        )

    def clean(self):
        data = super().clean()
        typed = (data.get("served_time") or "").strip()
        data["served_time_value"] = None
        if typed:
            value = _time(typed)
            if value is None:
                self.add_error("served_time", "Enter the time served as hours and minutes, like 14:30")
            data["served_time_value"] = value
        elif data.get("kind") == "closure_notice":
            self.add_error(
                "served_time",
                "Enter the time the closure notice was served: the hearing deadline runs from it",
            )
        return data


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome_on = GovDateField(
        label="Date of the outcome", help_text="For example, 27 3 2026", words="the date of the outcome"
    )
    court_decision = forms.CharField(
        label="The court's decision, if a court decided",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
    )

    @classmethod
    def initial_from(cls, record) -> dict:
        return {}


class HearingForm(forms.Form):
    heard_on = GovDateField(
        label="Date of the hearing", help_text="For example, 27 3 2026", words="the date of the hearing"
    )
    heard_time = forms.CharField(
        label="Time of the hearing",
        help_text="For example, 10:00",
        widget=forms.TextInput(attrs={"width": 5}),
        error_messages={"required": "Enter the time of the hearing"},
    )
    court_decision = forms.CharField(
        label="What the court decided",
        help_text="An order made (its terms and length), or an adjournment that keeps the notice in force.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter what the court decided"},
    )

    def clean_heard_time(self):
        value = _time(self.cleaned_data.get("heard_time", ""))
        if value is None:
            raise forms.ValidationError("Enter the time of the hearing as hours and minutes, like 10:00")
        return value


class ReferralForm(forms.Form):
    service = forms.ChoiceField(
        label="Support offered",
        choices=SupportService.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the support offered"},
    )
    offered_on = GovDateField(
        label="Offered on", help_text="For example, 27 3 2026", words="the date offered"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=2000)


class ReferralAnswerForm(VersionedForm):
    taken_up = forms.ChoiceField(
        label="Did they take it up?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    on = GovDateField(label="Date", help_text="For example, 27 3 2026", words="the date")

    @classmethod
    def initial_from(cls, record) -> dict:
        return {}


class BreachDecideForm(VersionedForm):
    status = forms.ChoiceField(
        label="Is it a breach?",
        choices=[(BreachStatus.CONFIRMED, "Yes, a breach"), (BreachStatus.DISMISSED, "No, not a breach")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is a breach"},
    )

    @classmethod
    def initial_from(cls, record) -> dict:
        return {}


class CloseForm(VersionedForm):
    """Closing an intervention (a confirmation: it cannot be re-opened from the page)."""

    confirm = forms.BooleanField(
        label="Close this intervention: its steps are no longer watched for breaches and it leaves "
        "the list of open interventions",
        error_messages={"required": "Confirm that you want to close this intervention"},
    )

    @classmethod
    def initial_from(cls, record) -> dict:
        return {}


class DocumentForm(forms.Form):
    """The document served for a step: what it says about the behaviour, and who it is served on."""

    behaviour = forms.CharField(
        label="What the document says about the behaviour",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text="The behaviour and its effect, never who reported it: the document is refused if it "
        "holds a victim's, reporter's or witness's name, address, postcode, phone number or date of birth.",
        error_messages={
            "required": "Enter what the document says about the behaviour",
            "max_length": "What the document says must be 3,000 characters or fewer",
        },
    )
    recipient_name = forms.CharField(
        label="Served on (name)",
        max_length=200,
        required=False,
        help_text="Leave empty for the person's name on their profile (premises: the occupiers).",
    )
    recipient_address = forms.CharField(
        label="Their address, for the letter",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        help_text="Premises: leave empty for the premises' address.",
    )
    recipient_language = forms.ChoiceField(
        label="The language they chose for letters",
        choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
        initial="en",
        required=False,
        widget=forms.RadioSelect,
        help_text="Welsh: the document is in Welsh, or in Welsh and then English where the "
        "partnership's policy says bilingual.",
    )


class ServeForm(forms.Form):
    channel = forms.ChoiceField(
        label="How will it be served?",
        choices=[
            ("post", "Post: printed and posted by staff from the print queue"),
            ("by_hand", "By hand: an officer hands it over (or fixes it to the premises) and records it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it will be served"},
    )


class CaseworkForm(VersionedForm):
    programme = forms.ChoiceField(
        label="Whose casework is it?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whose casework it is"},
    )
    support_plan = forms.CharField(
        label="Support plan",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
        help_text="What is offered and agreed to help the person stop: prevention and diversion.",
    )
    lawful_basis = forms.ChoiceField(
        label="The condition for processing criminal offence data",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the condition for processing criminal offence data"},
    )
    special_category = forms.CharField(
        label="Special category information (only where required)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
        help_text="Health, ethnic origin, religion, social care support or sexual orientation, only where "
        "needed for the work. Stored encrypted.",
    )

    def __init__(self, *args, agencies, **kwargs):
        from .models import LawfulBasis, Programme

        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = Programme.choices
        self.fields["lawful_basis"].choices = LawfulBasis.choices
        self.fields["agencies"] = forms.MultipleChoiceField(
            label="Agencies involved",
            required=False,
            choices=[(str(a.pk), a.name) for a in agencies],
            widget=forms.CheckboxSelectMultiple,
            help_text="Each agency ticked is party to the case: its officers see it.",
        )


class ProtectedPersonForm(forms.Form):
    """A victim, reporter or witness on the intervention's case: never named in what is served."""

    role = forms.ChoiceField(
        label="Who are they?",
        choices=[("victim", "A victim"), ("reporter", "Someone who reported it"), ("witness", "A witness")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they are a victim, reporter or witness"},
    )
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter their full name"}
    )
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    date_of_birth = GovDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 1980", words="their date of birth"
    )
