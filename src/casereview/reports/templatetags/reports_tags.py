from django import template

from casereview.reports import selectors

register = template.Library()


@register.inclusion_tag("reports/_nav.html", takes_context=True)
def reports_nav(context, current: str):
    from casereview.reports.views import IMPORT_ROLES

    user = context["request"].user
    wide = selectors.log_wide_access(user)
    return {"current": current, "wide": wide, "can_import": wide and user.has_role(*IMPORT_ROLES)}


@register.simple_tag
def field(bound_field, width: str = ""):
    """The row dict _field.html expects, for a single field."""
    form = bound_field.form
    return {"field": bound_field, "kind": form.field_kind(bound_field.name), "width": width}
