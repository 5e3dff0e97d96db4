"""Sections of the case contributed by other parts of the product (ADR 0093).

The case page (applications) is the case's summary; letters, the review, the panel, actions and
appeals each add a section without the applications app importing them. An app registers its
section in its AppConfig.ready():

    from casereview.applications.case_sections import register
    register("letters", title="Letters", template="letters/_case_section.html",
             context=lambda request, application: {...}, order=40)

A section registered with `summary=True` is rendered on the case page itself (keep that for what
is cheap and needed at a glance); every section, on the summary or not, has its own page at
`/cases/<reference>/<key>/` (`applications:section`), linked from the case's sub-navigation.

`context` is called only for a user who may already see the case (the page went through
`application_get_for_user`); it must still apply its own role checks for what it shows, and
returns None when it has nothing to show this user.
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
    summary: bool = False


_sections: dict[str, CaseSection] = {}

#: Keys the case's own pages use under /cases/<reference>/ (applications/urls.py): no section
#: may take one of them.
RESERVED_KEYS = frozenset(
    {"acknowledge", "consent", "withdraw", "threshold", "decide", "incidents", "decisions", "timeline"}
)


def register(
    key: str, *, title: str, template: str, context: Callable, order: int = 50, summary: bool = False
) -> None:
    if key in RESERVED_KEYS:
        raise ValueError(f"A case section may not be called {key!r}: the case's own pages use that address")
    _sections[key] = CaseSection(
        key=key, title=title, template=template, context=context, order=order, summary=summary
    )


def sections() -> list[CaseSection]:
    """Every registered section, in the order the case's pages show them."""
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def section_get(key: str) -> CaseSection | None:
    return _sections.get(key)


def render_sections(request, application, *, only: list[CaseSection] | None = None) -> list[dict]:
    """The registered sections (or `only` these), rendered in order, each a dict with its key,
    title and HTML; a section with nothing to show this user is left out.

    Each section's template sees what a template rendered with the request sees (the context
    processors' names: `request`, `user`, `perms`, `messages`, `csrf_token`, the service's), worked
    out once for the page rather than once a section."""
    rendered = []
    shared = None
    for section in sections() if only is None else only:
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
