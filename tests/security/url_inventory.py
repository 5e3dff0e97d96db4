"""Every URL the product has, found from Django's resolver, with its path parameters filled.

The access matrix (test_access_matrix.py) and the hostile-input suite use this so that a page a
colleague adds tomorrow is tested the day it lands, without anyone remembering to list it.

PATH PARAMETERS are mapped BY NAME to the records they identify. A name not in `PARAMETERS`
fails the matrix test with a message saying how to add it — nothing escapes silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    view_name: str  # "namespace:name"
    pattern: str  # the route text, for messages
    parameters: tuple[str, ...]
    converters: dict

    def build(self, values: dict) -> str:
        from django.urls import reverse

        return reverse(self.view_name, kwargs=values)


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, full_ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield namespace, entry, prefix + str(entry.pattern), prefix


# URLs left out of the matrix, each with its reason. Keep this list short.
EXCLUDED_PREFIXES = {
    "django-admin/": "Django's admin: the deployment's superusers only (accounts.admin_site; "
    "tests/accounts/test_administration.py); no case record is registered in it "
    "(test_no_case_record_is_in_the_django_admin). A partnership's administrator uses "
    "/account/administration/, which is in the matrix",
    "api/v1/": "The partner API: bearer tokens only, never a staff session (a signed-in member of "
    "staff gets 401 there); its own matrix of every endpoint against every client scope is "
    "tests/api/test_access_matrix.py",
    "my-review/": "The victim's own view: a session of one case's victim or applicant (a one-time "
    "code or One Login), never a member of staff's; its one record in an address, a panel meeting, "
    "is looked up among that case's own meetings (another case's is 404: "
    "tests/portal/test_page.py::test_another_cases_meeting_is_not_found_from_ones_own_view)",
}


def routes() -> list[Route]:
    found = []
    for namespace, entry, full, _ in _walk(get_resolver().url_patterns):
        if any(full.startswith(prefix) for prefix in EXCLUDED_PREFIXES):
            continue
        if entry.name is None:
            continue
        view_name = f"{namespace}:{entry.name}" if namespace else entry.name
        converters = dict(getattr(entry.pattern, "converters", {}) or {})
        # Parameters of enclosing resolvers (e.g. cases/<reference>/letters/) come through `full`.
        import re

        names = tuple(re.findall(r"<(?:[^:>]+:)?([^>]+)>", full))
        found.append(Route(view_name=view_name, pattern=full, parameters=names, converters=converters))
    return found
