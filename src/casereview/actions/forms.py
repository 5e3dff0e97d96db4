"""Forms for reporting progress on an action. They only read and check what was typed; the
services decide (and re-check) everything else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms

from casereview.web.concurrency import VersionedForm
from casereview.web.dates import PARTS, date_from_parts
from casereview.web.forms import GovForm


@dataclass
class DateInput:
    """A GOV.UK date input on an action's page (actions/_date.html), posted as `<name>-day`,
    `<name>-month` and `<name>-year`: what was typed, and what is wrong with it (web.dates' message)
    with the boxes to mark."""

    name: str
    day: str = ""
    month: str = ""
    year: str = ""
    error: str = ""
    wrong: tuple[str, ...] = ()

    @classmethod
    def read(cls, data, name: str, *, words: str, **rules) -> tuple[DateInput, dt.date | None]:
        """The boxes as typed, and the date if it is one; `rules` are date_from_parts' (today,
        past_only, future_only)."""
        typed = date_from_parts(*(data.get(f"{name}-{part}") or "" for part in PARTS), words=words, **rules)
        return cls(name, typed.day, typed.month, typed.year, typed.error, typed.wrong), typed.value

    @classmethod
    def showing(cls, name: str, value: dt.date | None) -> DateInput:
        """The boxes before anything is typed: empty, or filled in with `value`."""
        if value is None:
            return cls(name)
        return cls(name, str(value.day), str(value.month), str(value.year))


class ActionForm(VersionedForm):
    """A report on an action carries the action's version: a report made on a page read before a
    colleague's is refused, showing where the action stands now (web.concurrency)."""

    @classmethod
    def initial_from(cls, action) -> dict:
        return {}

    def describe(self, action) -> list[tuple[str, str]]:
        rows = [("Status", action.get_status_display()), ("Due by", f"{action.effective_due_on:%-d %B %Y}")]
        if action.status_note:
            rows.append(("Latest update", action.status_note))
        return rows


class CompleteForm(ActionForm):
    what_happened = forms.CharField(
        label="What was done",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter what was done",
            "max_length": "What was done must be 5,000 characters or fewer",
        },
    )
    tell_victim = forms.BooleanField(
        required=False, initial=True, label="Let the victim know this action is done"
    )


class DelayForm(ActionForm):
    reason = forms.CharField(
        label="Why is the action delayed?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter why the action is delayed",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )
    tell_victim = forms.BooleanField(
        required=False, initial=True, label="Let the victim know of the delay, why and the new date"
    )


class NotViableForm(ActionForm):
    reason = forms.CharField(
        label="Why is the action no longer viable?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter why the action is no longer viable",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )
    tell_victim = forms.BooleanField(
        required=False, initial=True, label="Let the victim know this action will not go ahead, and why"
    )


class NoteForm(ActionForm):
    note = forms.CharField(
        label="What has happened",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter what has happened",
            "max_length": "The note must be 5,000 characters or fewer",
        },
    )
    tell_victim = forms.BooleanField(required=False, initial=False, label="Share this note with the victim")


class ActionEditForm(VersionedForm, GovForm):
    """Changing what an action says carries the action's version: a change made on a page read
    before a colleague's (or before a report on the action) is refused, showing the action as it
    is now and keeping what was typed (web.concurrency)."""

    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what will be done"},
    )
    share_with_victim = forms.BooleanField(
        label="This action may be described to the victim",
        help_text="Leave unticked for any action that identifies a perpetrator.",
        required=False,
    )
