"""`{% landmark_if_any "nav" label %}…{% endlandmark_if_any %}`: the content wrapped in a landmark
element (`<nav aria-label="label">`) when it renders to anything, and nothing at all when it is
blank — so a page's back link (web/base.html's `before_content`) is in a landmark a screen reader
lists (axe's `region` rule), and a page without one has no empty landmark. A `{% block %}` inside
is overridden by child templates as usual (Node.child_nodelists)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

ELEMENTS = {"nav", "aside", "section"}


class LandmarkNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, element: str, label, nodelist):
        self.element, self.label, self.nodelist = element, label, nodelist

    def render(self, context) -> str:
        inner = self.nodelist.render(context)
        if not inner.strip():
            return ""
        return format_html(
            '<{} class="app-landmark" aria-label="{}">{}</{}>',
            self.element,
            self.label.resolve(context),
            mark_safe(inner),  # noqa: S308 - already rendered (and escaped) by the template
            self.element,
        )


@register.tag
def landmark_if_any(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1].strip("\"'") not in ELEMENTS:
        raise template.TemplateSyntaxError(
            'Usage: {% landmark_if_any "nav" label %}…{% endlandmark_if_any %}'
        )
    nodelist = parser.parse(("endlandmark_if_any",))
    parser.delete_first_token()
    return LandmarkNode(bits[1].strip("\"'"), parser.compile_filter(bits[2]), nodelist)
