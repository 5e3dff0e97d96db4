"""The house's plan, measured from the code: which app imports which (ADR 0037).

Every import in every module under src/casereview counts — at the top of a file, inside a function,
under `if TYPE_CHECKING:` — because each is a dependency a reader has to follow and an import
inside a function only hides a cycle, it does not break it. Strings are not imports: a ForeignKey
to "applications.Application" and `apps.get_model(...)` are the ORM's business, not the plan's.

Two kinds of module stand outside the plan:
- `<app>/demo.py`: the demo stories, run by `casereview demo` in INSTALLED_APPS order. A story
  may use any app's services (a case in monitoring needs the review's SPOC and the action plan);
  no product code may import a demo (test below), so they cannot tie the product into a loop.
- the project's own modules at the top (settings, urls, cli, wsgi): the roof, over every app.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import casereview

SRC = Path(casereview.__file__).parent
APPS = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())

# The layers, lowest first: an app may import only apps in layers below its own (ADR 0037).
# A new app goes in the lowest layer that holds everything it imports.
LAYERS: list[tuple[str, set[str]]] = [
    ("the pure core: rules, periods, policy; no Django", {"core"}),
    ("shared infrastructure: forms, dates, concurrency, pages, PDFs", {"web"}),
    ("the access log, which every part writes to", {"audit"}),
    ("partnerships, agencies, users and their roles", {"accounts"}),
    ("the law in force: the commencement register", {"law"}),
    ("the case: its people, incidents, timeline, clocks and the one access selector", {"applications"}),
    ("messages: the outbox, reminders, the sweep", {"notifications"}),
    ("letters", {"letters"}),
    ("data protection: consent, retention, erasure, subject access, backups", {"privacy"}),
    ("work on and around a case", {"actions", "apply", "repeats", "reports"}),
    ("people and places: profiles, search and signpost, access asked and granted", {"people"}),
    ("interventions: the enforcement ladder against a person or premises", {"interventions"}),
    ("the cuckooing address tracker: addresses of concern on people's places", {"tracker"}),
    ("the standing panels: referrals as cases, their meetings and figures (ADR 0064)", {"referrals"}),
    ("the review", {"reviews"}),
    ("the panel and appeals", {"panels", "appeals"}),
    ("the local policing body's review of a threshold not met (the 2026 Act)", {"lpbreviews"}),
    ("statistics", {"statistics"}),
    ("the victim's own view of their review", {"portal"}),
    ("force areas, the data return and the dashboards", {"returns", "dashboards"}),
    ("the partner API: machine clients, webhooks, the same services over HTTP (ADR 0051)", {"api"}),
]
LAYER_OF = {app: number for number, (_, apps) in enumerate(LAYERS) for app in apps}

# `accounts.models` (User, Partnership, Agency, Role) is the vocabulary every app is written in, as
# django.contrib.auth's User is: any app may import it. Every other app's models are read and
# written through that app's selectors and services.
SHARED_MODELS = {"accounts"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. casereview.letters.context
    line: int
    target: str  # the module imported, e.g. casereview.actions.models

    @property
    def app(self) -> str:
        return _app_of(self.module)

    @property
    def target_app(self) -> str | None:
        return _app_of(self.target)

    def __str__(self) -> str:
        return f"{self.module.replace('.', '/')}.py:{self.line} imports {self.target}"


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "casereview" and parts[1] in APPS else None


def _is_module(name: str) -> bool:
    path = SRC.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _module_name(path: Path) -> tuple[str, str]:
    """The module's dotted name, and the package its relative imports start from."""
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def _imports_of(path: Path) -> list[Import]:
    module, package = _module_name(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):  # every depth
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                # `from casereview.letters import rendering` imports the module letters.rendering
                name = f"{base}.{alias.name}"
                found.append(Import(module, node.lineno, name if _is_module(name) else base))
    return found


def _is_demo(module: str) -> bool:
    parts = module.split(".")
    return len(parts) == 3 and parts[2] == "demo"


SOURCES = sorted(SRC.rglob("*.py"))
IMPORTS = list(dict.fromkeys(found for path in SOURCES for found in _imports_of(path)))
# The plan: imports from one app to another, demo stories and the roof left out (see the docstring).
BETWEEN_APPS = [
    i for i in IMPORTS if i.app and i.target_app and i.app != i.target_app and not _is_demo(i.module)
]


def _graph() -> dict[str, dict[str, list[Import]]]:
    graph: dict[str, dict[str, list[Import]]] = defaultdict(lambda: defaultdict(list))
    for found in BETWEEN_APPS:
        graph[found.app][found.target_app].append(found)
    return graph


def _cycles(graph) -> list[tuple[set[str], list[str]]]:
    """One loop through each group of apps that import each other (Tarjan's strongly connected
    components, then the shortest way round from the group's first app)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in graph[app]:
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(group)

    for app in APPS:
        if app not in index:
            visit(app)
    loops = []
    for group in groups:
        start = min(group)
        paths = {start: [start]}
        queue = [start]
        while queue:  # breadth first, inside the group, back to the start
            app = queue.pop(0)
            for other in sorted(graph[app]):
                if other == start:
                    loops.append((group, paths[app] + [start]))
                    queue = []
                    break
                if other in group and other not in paths:
                    paths[other] = paths[app] + [other]
                    queue.append(other)
    return loops


def test_the_measure_sees_the_house():
    assert {"core", "web", "applications", "letters", "statistics"} <= set(APPS)
    assert len(BETWEEN_APPS) > 100
    # imports inside functions are counted: the case page's sections are registered inside ready()
    assert any(
        i.module == "casereview.letters.apps" and i.target == "casereview.applications.case_sections"
        for i in BETWEEN_APPS
    )


def test_no_import_cycle_between_apps():
    graph = _graph()
    problems = []
    for group, loop in _cycles(graph):
        lines = [" -> ".join(loop) + f"  (one loop of {sorted(group)})"]
        for app, other in zip(loop, loop[1:], strict=False):
            lines += [f"    {found}" for found in graph[app][other]]
        problems.append("\n".join(lines))
    assert not problems, (
        "Apps import each other in a loop (ADR 0037: register a callable at ready(), or move the "
        "function to the app it belongs to):\n" + "\n".join(problems)
    )


def test_every_app_has_a_layer():
    assert set(APPS) == set(LAYER_OF), (
        f"Place {sorted(set(APPS) - set(LAYER_OF))} in LAYERS (and ADR 0037); "
        f"remove {sorted(set(LAYER_OF) - set(APPS))}"
    )


def test_apps_import_only_the_layers_below_them():
    upward = [
        f"{found} ({found.app}, layer {LAYER_OF[found.app]}, may not import {found.target_app}, "
        f"layer {LAYER_OF[found.target_app]})"
        for found in BETWEEN_APPS
        if found.app in LAYER_OF
        and found.target_app in LAYER_OF
        and LAYER_OF[found.target_app] >= LAYER_OF[found.app]
    ]
    assert not upward, "\n".join(upward)


def test_no_product_code_imports_a_demo():
    assert [str(i) for i in IMPORTS if _is_demo(i.target) and not _is_demo(i.module)] == []


def _models_imports() -> set[tuple[str, str]]:
    return {
        (found.module, found.target_app)
        for found in BETWEEN_APPS
        if found.target == f"casereview.{found.target_app}.models"
        and found.target_app not in SHARED_MODELS
        and ".migrations." not in found.module
    }


def test_no_app_imports_another_apps_models():
    new = sorted(_models_imports())
    assert not new, (
        "Read and write another app's records through its selectors and services, not its models "
        "(ADR 0037):\n" + "\n".join(f"    {module} imports casereview.{app}.models" for module, app in new)
    )
