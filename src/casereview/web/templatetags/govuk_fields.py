"""Filters for web/_field.html: one Django form field in GOV.UK Frontend markup, for every app."""

from __future__ import annotations

import datetime as dt

from django import forms, template

from casereview.web.dates import PARTS

register = template.Library()


# Widget class -> GOV.UK component, the first match winning: CheckboxSelectMultiple is a RadioSelect.
WIDGET_KINDS = (
    (forms.HiddenInput, "hidden"),
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.FileInput, "file"),
)


@register.filter
def widget_kind(bound_field) -> str:
    """Which GOV.UK component renders the field: its widget decides. A widget with
    `is_gov_date = True` is the three-box date input (day, month, year); any other is an input."""
    widget = bound_field.field.widget
    if getattr(widget, "is_gov_date", False):
        return "date"
    return next((kind for cls, kind in WIDGET_KINDS if isinstance(widget, cls)), "input")


@register.filter
def date_parts(bound_field) -> list[tuple[str, str, str, bool]]:
    """(suffix, label, value, wrong) for the day, month and year boxes, keeping what was typed.

    The value is a date (the initial one), the three parts typed (a dict from web.dates'
    GovDateWidget) or None. After a failed check the boxes `web.dates.date_from_parts` found wrong
    are marked; an error from elsewhere (a service's refusal) marks all three."""
    value = bound_field.value()
    if isinstance(value, dt.date):
        parts = [value.day, value.month, value.year]
    elif isinstance(value, dict):
        parts = [value.get(suffix) for suffix in PARTS]
    else:
        parts = [None, None, None]
    wrong = (getattr(bound_field.field, "wrong", ()) or PARTS) if bound_field.errors else ()
    return [
        (suffix, label, "" if part is None else str(part), suffix in wrong)
        for suffix, label, part in zip(PARTS, ("Day", "Month", "Year"), parts, strict=True)
    ]


@register.filter
def is_checked(value, current) -> bool:
    """Whether a choice is selected: `current` is a value or a list of values."""
    if current is None:
        return False
    if isinstance(current, list | tuple | set):
        return str(value) in {str(c) for c in current}
    return str(value) == str(current)


@register.filter
def input_value(bound_field) -> str:
    """What a text, date or time input shows: the widget's own formatting (a date as 2025-03-27
    for `type=date`, a time as 14:30 for `type=time`), or what was typed after a failed post."""
    value = bound_field.field.widget.format_value(bound_field.value())
    return "" if value is None else str(value)


@register.filter
def described_by(bound_field) -> str:
    """The aria-describedby of the field's input or fieldset: its hint and its error message."""
    hint = f"{bound_field.auto_id}-hint" if bound_field.help_text else ""
    error = f" {bound_field.auto_id}-error" if bound_field.errors else ""
    return hint + error


@register.filter
def widget_attr(bound_field, name: str) -> str:
    """One of the widget's attrs, or "" (a template's lookup of a missing key in a filter argument
    is an error, not "")."""
    return bound_field.field.widget.attrs.get(name, "")
