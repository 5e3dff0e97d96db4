"""Sections of the case page contributed by other parts of the product.

The case page (applications) shows the case's own details and timeline; letters, the review,
the panel, actions and appeals each add a section without the applications app importing them.
An app registers its section in its AppConfig.ready():

    from casereview.applications.case_sections import register
    register("letters", title="Letters", template="letters/_case_section.html",
             context=lambda request, application: {...}, order=40)

`context` is called only for a user who may already see the case (the page went through
`application_get_for_user`); it must still apply its own role checks for what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template import engines
from django.template.loader import get_template


@dataclass(frozen=True)
class CaseSection:
    key: str
    title: str
    template: str
    context: Callable
    order: int


_sections: dict[str, CaseSection] = {}


def register(key: str, *, title: str, template: str, context: Callable, order: int = 50) -> None:
    _sections[key] = CaseSection(key=key, title=title, template=template, context=context, order=order)


def render_sections(request, application) -> list[dict]:
    """The registered sections, rendered in order, for the case page.

    Each section's template sees what a template rendered with the request sees (the context
    processors' names: `request`, `user`, `perms`, `messages`, `csrf_token`, the service's), worked
    out once for the page rather than once a section."""
    rendered = []
    shared = None
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, application)
        if context is None:  # the section has nothing to show this user
            continue
        if shared is None:
            shared = _processors(request)
        html = get_template(section.template).render(
            {**shared, "application": application, **context, "section": section}
        )
        rendered.append({"key": section.key, "title": section.title, "html": html})
    return rendered


def _processors(request) -> dict:
    """What the template engine's context processors give a template rendered with `request`."""
    names: dict = {}
    for processor in engines["django"].engine.template_context_processors:
        names.update(processor(request))
    return names
