"""Staff forms. They check what a person typed and say what was wrong, naming the field; the rules
of the process (dates against the case, who may decide what) are the services'."""

from __future__ import annotations

from django import forms

from casereview.accounts.models import AgencyKind
from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import SAFE_CONTACT_REFUSALS, Channel, Concern, ContactMethod, HateMotivation, PersonKind, Status
from .selectors import SORTS


def _choices_with_blank(choices, blank="Any"):
    return [("", blank), *choices]


# --- The case list ------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, help_text="Reference, victim's name or postcode")
    status = forms.ChoiceField(label="Status", required=False, choices=_choices_with_blank(Status.choices))
    channel = forms.ChoiceField(
        label="How received", required=False, choices=_choices_with_blank(Channel.choices)
    )
    clock = forms.ChoiceField(
        label="Deadlines",
        required=False,
        choices=[("", "Any"), ("overdue", "Overdue"), ("due_today", "Due today")],
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))


# --- Recording an application ---------------------------------------------------------------------------

STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]


def anonymity_hint(partnership) -> str:
    """What staff tell an applicant who wants to stay anonymous, from the partnership's policy
    (`eligibility.allow_anonymous`; every preset says no: the agencies must be able to identify the
    victim and their reports, WNC policy §9). Not eligible is a decision with reasons and a letter,
    so the wish is recorded rather than the application turned away at the door."""
    allowed = bool(partnership is not None and partnership.policy.eligibility.allow_anonymous)
    if allowed:
        return (
            "This partnership's policy accepts anonymous applications. The victim's name and contact "
            "details are then not shown on the case page."
        )
    return (
        "An anonymous application is not eligible for an ASB Case Review: the agencies must be able "
        "to identify the victim and the reports they made. Tell the applicant we keep their details "
        "confidential and never share them with the people causing the problem. If they still want "
        "to stay anonymous, record it: the threshold decision will say the application is not "
        "eligible, and the letter tells them why."
    )


class ApplicationRecordForm(forms.Form):
    channel = forms.ChoiceField(
        label="How was the application received?",
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the application was received"},
    )
    received_on = GovDateField(
        label="Date received", words="the date received", past_only=True, help_text="For example, 27 3 2026"
    )

    victim_kind = forms.ChoiceField(
        label="Who is the victim?",
        choices=PersonKind.choices,
        initial=PersonKind.INDIVIDUAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the victim is"},
    )
    anonymous = forms.ChoiceField(
        label="Does the applicant want to stay anonymous?",
        choices=[("no", "No"), ("yes", "Yes, they will not let us tell the agencies who they are")],
        initial="no",
        required=False,
        widget=forms.RadioSelect,
    )
    victim_name = forms.CharField(
        label="Victim's full name",
        max_length=200,
        required=False,  # unless anonymous: see clean()
        help_text="For a business or community group, the person to contact. Leave it blank only if "
        "the applicant wants to stay anonymous and will not give it.",
    )
    victim_organisation = forms.CharField(
        label="Business or group name (if any)", max_length=200, required=False
    )
    victim_address = forms.CharField(
        label="Victim's address", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    victim_postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    victim_email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter the victim's email address in the correct format, like name@example.com"
        },
    )
    victim_phone = forms.CharField(label="Phone number", max_length=40, required=False)
    victim_preferred_contact = forms.ChoiceField(
        label="How do they prefer to be contacted?",
        required=False,
        choices=_choices_with_blank(ContactMethod.choices, "Not known"),
    )
    victim_safe_contact = forms.CharField(
        label="When and how is it safe to contact them?",
        max_length=300,
        required=False,
    )
    victim_refusals = forms.MultipleChoiceField(
        label="Ways they must not be contacted",
        required=False,
        choices=list(SAFE_CONTACT_REFUSALS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Ask, as the online form does: is there any way it is not safe to contact them? "
        "Letters and messages never use these ways.",
    )
    victim_needs = forms.CharField(
        label="Format, language or accessibility needs",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    applicant_is_third_party = forms.ChoiceField(
        label="Who made the application?",
        choices=[("no", "The victim"), ("yes", "Someone on the victim's behalf")],
        initial="no",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who made the application"},
    )
    applicant_name = forms.CharField(label="Applicant's full name", max_length=200, required=False)
    applicant_relationship = forms.CharField(
        label="Their relationship to the victim",
        max_length=100,
        required=False,
        help_text="For example: daughter, carer, councillor, MP, support worker",
    )
    applicant_email = forms.EmailField(
        label="Applicant's email address",
        required=False,
        error_messages={
            "invalid": "Enter the applicant's email address in the correct format, like name@example.com"
        },
    )
    applicant_phone = forms.CharField(label="Applicant's phone number", max_length=40, required=False)
    applicant_address = forms.CharField(
        label="Applicant's postal address",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Without the postcode. Letters the applicant is owed are posted here unless they "
        "prefer email.",
    )
    applicant_postcode = forms.CharField(label="Applicant's postcode", max_length=10, required=False)
    applicant_refusals = forms.MultipleChoiceField(
        label="Ways the applicant must not be contacted",
        required=False,
        choices=list(SAFE_CONTACT_REFUSALS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    victim_consent = forms.ChoiceField(
        label="Has the victim consented to the application?",
        required=False,
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")],
        widget=forms.RadioSelect,
    )

    concerns = forms.MultipleChoiceField(
        label="Is the application about any of these?",
        required=False,
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="These are not suitable for a review; the decision will say so and where to go instead.",
    )
    senior_manager_request = forms.BooleanField(
        label="A senior manager asks for a review to safeguard a vulnerable victim", required=False
    )
    senior_manager_reasons = forms.CharField(
        label="The senior manager's reasons", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    summary = forms.CharField(
        label="What is happening",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what is happening"},
        help_text="In the applicant's words.",
    )
    desired_outcome = forms.CharField(
        label="What would they like to happen?", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    location = forms.CharField(label="Where the behaviour happens", max_length=300, required=False)

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anonymous"].help_text = anonymity_hint(partnership)

    def clean(self):
        data = super().clean()
        data["anonymous"] = data.get("anonymous") == "yes"
        if not data["anonymous"] and not (data.get("victim_name") or "").strip():
            self.add_error("victim_name", "Enter the victim's full name")
        if data.get("applicant_is_third_party") == "yes":
            if not data.get("applicant_name", "").strip():
                self.add_error("applicant_name", "Enter the applicant's full name")
            if not data.get("applicant_relationship", "").strip():
                self.add_error("applicant_relationship", "Enter the applicant's relationship to the victim")
            if not data.get("victim_consent"):
                self.add_error("victim_consent", "Select whether the victim has consented")
            address = (data.get("applicant_address") or "").strip()
            if address and not (data.get("applicant_postcode") or "").strip():
                self.add_error("applicant_postcode", "Enter the applicant's postcode")
        if data.get("senior_manager_request") and not data.get("senior_manager_reasons", "").strip():
            self.add_error("senior_manager_reasons", "Enter the senior manager's reasons")
        return data


# --- Acknowledge, consent, withdraw ------------------------------------------------------------------


class AcknowledgeForm(forms.Form):
    acknowledged_on = GovDateField(
        label="Date acknowledged",
        words="the date acknowledged",
        past_only=True,
        help_text="The date the acknowledgement was sent.",
    )


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label="Has the victim consented?",
        choices=[("yes", "Yes, the victim consents"), ("no", "No, the victim does not consent")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the victim consents"},
    )
    recorded_on = GovDateField(
        label="Date of the victim's answer", words="the date of the victim's answer", past_only=True
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the application withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason the application is withdrawn"},
        help_text="For example: the victim asked to withdraw; the victim could not be reached.",
    )
    withdrawn_on = GovDateField(label="Date withdrawn", words="the date withdrawn", past_only=True)


# --- Evidence: incidents, reports, alleged perpetrators ---------------------------------------------


class IncidentForm(VersionedForm):
    occurred_on = GovDateField(label="Date it happened", words="the date it happened", past_only=True)
    description = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    location = forms.CharField(label="Where it happened", max_length=300, required=False)
    hate_motivations = forms.MultipleChoiceField(
        label="Was it motivated by hostility to any of these?",
        required=False,
        choices=HateMotivation.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    diary_sheet = forms.BooleanField(label="Recorded on a diary sheet", required=False)
    action_group = forms.BooleanField(
        label="Taken to the Hate and ASB Action Group (or the local equivalent)", required=False
    )


OTHER_ORGANISATION = "other"


class ReportForm(VersionedForm):
    agency = forms.ChoiceField(
        label="Who was it reported to?",
        error_messages={"required": "Select who it was reported to"},
    )
    other_name = forms.CharField(label="Name of the organisation", max_length=200, required=False)
    other_kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        required=False,
        choices=_choices_with_blank(AgencyKind.choices, "Select the kind"),
    )
    reported_on = GovDateField(label="Date reported", words="the date reported", past_only=True)
    agency_reference = forms.CharField(
        label="The organisation's reference (if known)", max_length=100, required=False
    )
    reporter = forms.ChoiceField(
        label="Who reported it?",
        choices=[("victim", "The victim, or someone for them"), ("other", "Another complainant")],
        initial="victim",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who reported it"},
    )
    reporter_name = forms.CharField(
        label="Who was the other complainant?",
        max_length=200,
        required=False,
        help_text="A name or description, for example: neighbour at number 4. Never shown in letters.",
    )
    confirmed = forms.BooleanField(label="Confirmed by the organisation's own records", required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.fields["agency"].choices = [
            ("", "Select an organisation"),
            *[(str(a.pk), f"{a.name} ({a.get_kind_display()})") for a in agencies],
            (OTHER_ORGANISATION, "Another organisation"),
        ]

    @classmethod
    def initial_from(cls, report) -> dict:
        other = report.agency_id is None
        return {
            "agency": OTHER_ORGANISATION if other else str(report.agency_id),
            "other_name": report.agency_name if other else "",
            "other_kind": report.agency_kind if other else "",
            "reported_on": report.reported_on,
            "agency_reference": report.agency_reference,
            "reporter": "victim" if report.reporter == "victim" else "other",
            "reporter_name": "" if report.reporter == "victim" else report.reporter,
            "confirmed": report.confirmed,
        }

    def clean(self):
        data = super().clean()
        if data.get("agency") == OTHER_ORGANISATION:
            if not data.get("other_name", "").strip():
                self.add_error("other_name", "Enter the name of the organisation")
            if not data.get("other_kind"):
                self.add_error("other_kind", "Select what kind of organisation it is")
        if data.get("reporter") == "other" and not data.get("reporter_name", "").strip():
            self.add_error("reporter_name", "Enter who the other complainant was")
        return data


class MoveReportForm(forms.Form):
    to_incident = forms.ChoiceField(
        label="Which incident is it the same as?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the incident it is the same as"},
    )

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_incident"].choices = [
            (
                i.ref,
                f"{i.ref}: {i.occurred_on:%-d %B %Y}" + (f" – {i.description[:60]}" if i.description else ""),
            )
            for i in incidents
        ]


class PerpetratorForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=200, required=False)
    address = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    date_of_birth = GovDateField(
        label="Date of birth", words="the date of birth", past_only=True, required=False
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="If the name is not known, describe the person.",
    )
    aliases = forms.CharField(
        label="Other names they are known by (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=(
            "Nicknames, previous names, spellings: one a line. "
            "Letters to the victim are checked for these too."
        ),
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("name", "").strip() and not data.get("description", "").strip():
            self.add_error("name", "Enter the person's name or describe them")
        return data


# --- The decision ---------------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    choice = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect, error_messages={"required": "Select your decision"}
    )
    reasons = forms.CharField(
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Required when accepting although the threshold is not met: the persistence of the "
        "behaviour, the harm or potential harm, and the adequacy of the response so far.",
    )
    outcome = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, choices, **kwargs):
        from .services import DecisionChoice

        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c, DecisionChoice.LABELS[c]) for c in choices]

    def clean(self):
        from .services import DecisionChoice

        data = super().clean()
        accepting_anyway = (DecisionChoice.ACCEPT_DISCRETION, DecisionChoice.ACCEPT_SAFEGUARDING)
        if data.get("choice") in accepting_anyway and not data.get("reasons", "").strip():
            self.add_error("reasons", "Enter your reasons for accepting although the threshold is not met")
        return data
