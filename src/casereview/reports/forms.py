"""Forms for the report log. Validation messages name the field and say what to do; the views
render them with GOV.UK Frontend markup (error summary at the top, message at the field)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from casereview.accounts.models import Agency
from casereview.web.concurrency import VersionedForm

from .models import (
    ExplanationMethod,
    HotspotActionKind,
    ReportChannel,
    ReportStatus,
    Risk,
    Team,
    TeamKind,
    TriageOutcome,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _agencies(partnership):
    return Agency.objects.filter(partnership=partnership).order_by("name")


def _teams(partnership):
    return Team.objects.filter(partnership=partnership, active=True).order_by("name")


class ReportForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency the report was made to",
        error_messages={"required": "Select the agency the report was made to"},
    )
    reported_on = forms.DateField(
        label="Date reported",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date reported",
            "invalid": "Date reported must be a real date",
        },
    )
    reported_time = forms.TimeField(
        label="Time reported",
        widget=TimeInput(),
        error_messages={
            "required": "Enter the time reported",
            "invalid": "Time reported must be a real time",
        },
    )
    occurred_on = forms.DateField(
        label="Date it happened (optional)",
        help_text="Leave empty if it happened on the day it was reported.",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Date it happened must be a real date"},
    )
    channel = forms.ChoiceField(
        label="How it was reported",
        choices=[("", "Choose how it was reported")] + list(ReportChannel.choices),
        error_messages={"required": "Select how it was reported"},
    )
    category = forms.CharField(
        label="Category",
        help_text="For example, noise, drug use, youth gathering, street drinking.",
        max_length=100,
        error_messages={"required": "Enter the category of ASB"},
    )
    location = forms.CharField(
        label="Where it happened",
        help_text="An address, a UPRN or a named place, written the same way each time (for example, "
        "Bemerton Estate, Caledonian Road).",
        max_length=300,
        error_messages={"required": "Enter where it happened"},
    )
    description = forms.CharField(
        label="What happened (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    caller = forms.CharField(
        label="Caller's phone number or email address (optional)",
        help_text="Used to recognise the same caller again. Leave empty if the caller did not give one.",
        required=False,
        max_length=200,
    )
    hate = forms.ChoiceField(
        label="Was it motivated by hate?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        error_messages={"required": "Select yes if it was motivated by hate"},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label="Pass to a team (optional)",
        required=False,
        empty_label="Not passed to a team yet",
    )
    agency_reference = forms.CharField(
        label="The agency's own reference (optional)",
        help_text="Leave empty and a reference will be made for you.",
        required=False,
        max_length=100,
    )

    def __init__(self, *args, partnership, fixed_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies(partnership)
        self.fields["team"].queryset = _teams(partnership)
        if fixed_agency is not None:
            self.fields["agency"].queryset = Agency.objects.filter(pk=fixed_agency.pk)
            self.fields["agency"].initial = fixed_agency.pk
            self.fields["agency"].empty_label = None
        now = timezone.localtime()
        self.fields["reported_on"].initial = now.date()
        self.fields["reported_time"].initial = now.time().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        reported_on, occurred_on = data.get("reported_on"), data.get("occurred_on")
        if reported_on and reported_on > timezone.localdate():
            self.add_error("reported_on", "Date reported must be today or in the past")
        if reported_on and occurred_on and occurred_on > reported_on:
            self.add_error("occurred_on", "Date it happened must be the same as or before the date reported")
        return data

    @property
    def reported_at(self) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["reported_on"], self.cleaned_data["reported_time"])
        )


class CorrectionForm(VersionedForm):
    """Correct a report. Starts with the report's current values (never the caller key). Carries
    how many corrections the report had when it was read: one made since is shown, not overwritten."""

    def describe(self, report) -> list[tuple[str, str]]:
        """The report as it is now, for a refused stale correction: never the caller key."""
        rows = [
            ("Where it happened", report.location),
            ("Date it happened", f"{report.occurred_on:%-d %B %Y}"),
            ("Category", report.category),
            ("Was it motivated by hate?", "Yes" if report.hate else "No"),
        ]
        if report.reported_at is not None:
            rows.insert(1, ("Reported", f"{timezone.localtime(report.reported_at):%-d %B %Y %H:%M}"))
        if report.description:
            rows.append(("What happened", report.description))
        return rows

    location = forms.CharField(
        label="Where it happened",
        help_text="Written the same way as the location's other reports, so they are counted together.",
        max_length=300,
        error_messages={"required": "Enter where it happened"},
    )
    reported_on = forms.DateField(
        label="Date reported",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Date reported must be a real date"},
    )
    reported_time = forms.TimeField(
        label="Time reported",
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": "Time reported must be a real time"},
    )
    occurred_on = forms.DateField(
        label="Date it happened",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date it happened",
            "invalid": "Date it happened must be a real date",
        },
    )
    category = forms.CharField(
        label="Category",
        help_text="For example, noise, drug use, youth gathering, street drinking.",
        max_length=100,
        error_messages={"required": "Enter the category of ASB"},
    )
    description = forms.CharField(
        label="What happened (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    hate = forms.ChoiceField(
        label="Was it motivated by hate?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if it was motivated by hate"},
    )
    caller = forms.CharField(
        label="The caller's new phone number or email address (optional)",
        help_text="Only if the caller's details were wrong or have changed. Leave empty to keep them as they "
        "are; they are not shown here.",
        required=False,
        max_length=200,
    )
    reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="For example, the street name was mistyped, or the caller later gave the right date.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are correcting the report"},
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["location"].initial = report.location
        self.fields["occurred_on"].initial = report.occurred_on
        self.fields["category"].initial = report.category
        self.fields["description"].initial = report.description
        self.fields["hate"].initial = "yes" if report.hate else "no"
        if report.reported_at is not None:
            local = timezone.localtime(report.reported_at)
            self.fields["reported_on"].initial = local.date()
            self.fields["reported_time"].initial = local.time().replace(second=0, microsecond=0)
        else:
            self.fields["reported_on"].help_text = (
                "Only the month is known now. Give the day and time if you know them: the report then "
                "counts towards hotspots and repeat callers."
            )
            self.fields["occurred_on"].help_text = "Only the month is known, so this shows its first day."

    def clean(self):
        data = super().clean()
        reported_on, reported_time = data.get("reported_on"), data.get("reported_time")
        if reported_on is None and "reported_on" not in self.errors and self.report.reported_at is not None:
            self.add_error("reported_on", "Enter the date reported")
        if reported_on and reported_time is None and "reported_time" not in self.errors:
            self.add_error("reported_time", "Enter the time reported")
        if reported_time and reported_on is None and "reported_on" not in self.errors:
            self.add_error("reported_on", "Enter the date reported")
        if reported_on and reported_on > timezone.localdate():
            self.add_error("reported_on", "Date reported must be today or in the past")
        # (A month-only report with no date given is checked by the service, against its month.)
        occurred_on = data.get("occurred_on")
        if occurred_on and reported_on and occurred_on > reported_on:
            self.add_error("occurred_on", "Date it happened must be the same as or before the date reported")
        return data

    @property
    def reported_at(self) -> dt.datetime | None:
        day, time = self.cleaned_data.get("reported_on"), self.cleaned_data.get("reported_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))


class AssignForm(VersionedForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), label="Team", required=False, empty_label="Not passed to a team"
    )
    status = forms.ChoiceField(label="Status", choices=ReportStatus.choices)
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = _teams(partnership)

    @classmethod
    def initial_from(cls, record) -> dict:
        return {"team": record.team_id, "status": record.status, "outcome": record.outcome}


class ExplanationForm(forms.Form):
    method = forms.ChoiceField(
        label="How did you explain the ASB Case Review?",
        choices=ExplanationMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you explained the ASB Case Review"},
    )
    explained_on = forms.DateField(
        label="Date explained",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date explained",
            "invalid": "Date explained must be a real date",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="For example, whether the caller wants to apply. Do not record health details here.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["explained_on"].initial = timezone.localdate()

    def clean_explained_on(self):
        value = self.cleaned_data["explained_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Date explained must be today or in the past")
        return value


class LetterForm(forms.Form):
    name = forms.CharField(
        label="Name to address the letter to (optional)",
        help_text="Not stored: used only to print this letter.",
        required=False,
        max_length=200,
    )


class CallerFindForm(forms.Form):
    caller = forms.CharField(
        label="Caller's phone number, email address or reference",
        max_length=200,
        error_messages={"required": "Enter the caller's phone number, email address or reference"},
    )


class HotspotActionForm(forms.Form):
    location = forms.CharField(
        label="Hotspot location", max_length=300, error_messages={"required": "Enter the hotspot location"}
    )
    kind = forms.ChoiceField(
        label="Action",
        choices=HotspotActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of action"},
    )
    description = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was done"},
    )
    taken_on = forms.DateField(
        label="Date of the action",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of the action",
            "invalid": "Date of the action must be a real date",
        },
    )
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label="Agency that took the action", required=False
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        help_text="For example, 4 people arrested; fobs issued to officers; lighting repaired.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = _agencies(partnership)
        self.fields["taken_on"].initial = timezone.localdate()

    def clean_taken_on(self):
        value = self.cleaned_data["taken_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Date of the action must be today or in the past")
        return value


class TriageForm(forms.Form):
    vulnerable = forms.ChoiceField(
        label="Is the caller vulnerable?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the caller is vulnerable"},
    )
    risk = forms.ChoiceField(
        label="Risk of harm",
        choices=Risk.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk of harm"},
    )
    outcome = forms.ChoiceField(
        label="Outcome of the triage",
        choices=TriageOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the triage"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[
            ("reports", "Partner CSV (agency_reference, agency, agency_kind, reported_at, location, …)"),
            ("police-uk", "data.police.uk street-level CSV"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of file it is"},
    )
    file = forms.FileField(
        label="CSV file",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to import"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(
                "The CSV file must be smaller than 50 MB; use the command line for more"
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The CSV file must be saved as UTF-8") from None


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name", max_length=200, error_messages={"required": "Enter the team name"}
    )
    kind = forms.ChoiceField(label="Kind of team", choices=TeamKind.choices)
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Agency (optional)", required=False)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies(partnership)


class _IdChoiceField(forms.ChoiceField):
    """One of the ids among its choices, cleaned to the id (an int) or None: the log's agency and
    team filters, whose options are read in one query for both (`LogFilterForm`). A value is read
    as a model choice reads a primary key (`int()`), and one not among the choices is invalid."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    def validate(self, value):
        forms.Field.validate(self, value)  # required or not; 0 is an id, not "nothing chosen"
        if value is not None and not any(value == choice for choice, _label in self.choices if choice != ""):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )


class LogFilterForm(forms.Form):
    """The log's search form (GET). Never carries the caller key: that search is a POST.

    The agency and team options are the partnership's agencies and teams, each by name, read in
    one query for both; `agency` and `team` are cleaned to an id, or None."""

    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())
    location = forms.CharField(label="Location contains", required=False, max_length=300)
    category = forms.CharField(label="Category contains", required=False, max_length=100)
    agency = _IdChoiceField(required=False)
    channel = forms.ChoiceField(required=False, choices=[("", "Any channel")] + list(ReportChannel.choices))
    hate = forms.ChoiceField(
        label="Hate-motivated", required=False, choices=[("", "Either"), ("yes", "Yes"), ("no", "No")]
    )
    status = forms.ChoiceField(required=False, choices=[("", "Any status")] + list(ReportStatus.choices))
    team = _IdChoiceField(required=False)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Value

        agencies = _agencies(partnership).order_by().annotate(option_of=Value("agency"))
        teams = Team.objects.filter(partnership=partnership).order_by().annotate(option_of=Value("team"))
        options = {"agency": [("", "Any agency")], "team": [("", "Any team")]}
        # Each kind by name, as each was ordered when read on its own.
        both = agencies.values_list("option_of", "pk", "name").union(
            teams.values_list("option_of", "pk", "name"), all=True
        )
        for kind, pk, name in both.order_by("option_of", "name"):
            options[kind].append((pk, name))
        self.fields["agency"].choices = options["agency"]
        self.fields["team"].choices = options["team"]
