from django import template

from casereview.reports import selectors

register = template.Library()


@register.inclusion_tag("reports/_nav.html", takes_context=True)
def reports_nav(context, current: str):
    from casereview.reports.views import IMPORT_ROLES

    user = context["request"].user
    wide = selectors.log_wide_access(user)
    return {"current": current, "wide": wide, "can_import": wide and user.has_role(*IMPORT_ROLES)}
