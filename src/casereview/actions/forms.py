"""Forms for reporting progress on an action. They only read and check what was typed; the
services decide (and re-check) everything else."""

from __future__ import annotations

import datetime as dt

from django import forms


class DateParts:
    """A GOV.UK date input (day, month, year as three boxes) read from form data as one date.

    GOV.UK's pattern asks for the parts separately and names what is wrong ("The date must include
    a month"), so it is read here rather than through Django's single date field.
    """

    def __init__(self, data, name: str, label: str):
        self.name = name
        self.label = label
        self.day = (data.get(f"{name}-day") or "").strip()
        self.month = (data.get(f"{name}-month") or "").strip()
        self.year = (data.get(f"{name}-year") or "").strip()
        self.error = ""
        self.value: dt.date | None = None

    def parse(self, *, required: bool = True) -> dt.date | None:
        parts = {"day": self.day, "month": self.month, "year": self.year}
        missing = [k for k, v in parts.items() if not v]
        if len(missing) == 3:
            if required:
                self.error = f"Enter {self.label.lower()}"
            return None
        if missing:
            self.error = f"{self.label} must include a {' and '.join(missing)}"
            return None
        try:
            self.value = dt.date(int(self.year), int(self.month), int(self.day))
        except ValueError:
            self.error = f"{self.label} must be a real date"
            return None
        if len(self.year) != 4:
            self.error = f"{self.label} must include a 4-digit year"
            self.value = None
        return self.value

    @classmethod
    def initial(cls, name: str, label: str, value: dt.date | None) -> DateParts:
        parts = cls({}, name, label)
        if value:
            parts.day, parts.month, parts.year = str(value.day), str(value.month), str(value.year)
        return parts


class CompleteForm(forms.Form):
    what_happened = forms.CharField(
        label="What was done",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter what was done",
            "max_length": "What was done must be 5,000 characters or fewer",
        },
    )
    tell_victim = forms.BooleanField(required=False, label="Let the victim know this action is done")


class DelayForm(forms.Form):
    reason = forms.CharField(
        label="Why is the action delayed?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter why the action is delayed",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )


class NotViableForm(forms.Form):
    reason = forms.CharField(
        label="Why is the action no longer viable?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter why the action is no longer viable",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )
