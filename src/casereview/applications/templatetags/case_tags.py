"""Template helpers for the staff workspace: status tags and stored codes in words."""

from __future__ import annotations

from django import template

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
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def humanise(code) -> str:
    """A stored code in words: "not_met" -> "not met"."""
    return str(code or "").replace("_", " ")
