"""Template helpers for the staff workspace: GOV.UK form fields, status tags, clock wording."""

from __future__ import annotations

from django import forms, template

from ..models import Status

register = template.Library()

STATUS_COLOURS = {
    Status.RECEIVED: "govuk-tag--blue",
    Status.ACKNOWLEDGED: "govuk-tag--light-blue",
    Status.AWAITING_CONSENT: "govuk-tag--yellow",
    Status.DECLINED: "govuk-tag--grey",
    Status.ACCEPTED: "govuk-tag--green",
    Status.IN_REVIEW: "govuk-tag--turquoise",
    Status.PANEL_HELD: "govuk-tag--purple",
    Status.MONITORING: "govuk-tag--pink",
    Status.CLOSED: "govuk-tag--grey",
    Status.WITHDRAWN: "govuk-tag--orange",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_COLOURS.get(status, "govuk-tag--grey")


@register.filter
def widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if getattr(widget, "is_date", False):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.filter
def date_parts(bound_field) -> list[tuple[str, str, str]]:
    """(suffix, label, value) for the day, month and year boxes of a DateField, keeping what was typed."""
    if bound_field.form.is_bound:
        values = [
            bound_field.form.data.get(f"{bound_field.html_name}_{part}", "")
            for part in ("day", "month", "year")
        ]
    else:
        values = bound_field.field.widget.decompress(bound_field.value())
    return [
        (suffix, label, "" if value is None else str(value))
        for (suffix, label), value in zip(
            (("day", "Day"), ("month", "Month"), ("year", "Year")), values, strict=True
        )
    ]


@register.filter
def is_checked(value, current) -> bool:
    """Whether a choice is selected: `current` is a value or a list of values."""
    if current is None:
        return False
    if isinstance(current, list | tuple):
        return str(value) in [str(c) for c in current]
    return str(value) == str(current)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def humanise(code) -> str:
    """A stored code in words: "not_met" -> "not met"."""
    return str(code or "").replace("_", " ")
