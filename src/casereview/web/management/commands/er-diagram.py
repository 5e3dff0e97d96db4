"""`casereview er-diagram > docs/architecture/er-diagram.md`: the entity-relationship diagrams,
generated from the models as Mermaid `erDiagram` text (ADR 0038).

One picture of every table and how they refer to each other, then one per app with each table's
fields. A relation is drawn once, in the diagram of the app whose model holds the foreign key.
tests/test_er_diagram.py fails when the committed file no longer matches the models.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models

HEADER = """\
# Entity-relationship diagrams

Generated from the models: do not edit by hand. After changing a model, run

    .venv/bin/casereview er-diagram > docs/architecture/er-diagram.md

and commit the result (tests/test_er_diagram.py fails until you do; ADR 0038). Each table is
named `<app>_<Model>`. A relation is drawn in the diagram of the app whose model holds the key;
`||--o{` is "one to many", `|o--o{` the same with the key optional, `||--o|` "one to one" and
`}o--o{` "many to many". Relations to Django's own tables (groups, permissions, content types)
are left out.
"""


def _ours(model) -> bool:
    return model.__module__.startswith("casereview.")


def _name(model) -> str:
    return f"{model._meta.app_label}_{model._meta.object_name}"


def _relation(model, field) -> str | None:
    target = field.related_model
    if not _ours(target):
        return None
    if field.many_to_many:
        shape = "}o--o{"
        return f'    {_name(model)} {shape} {_name(target)} : "{field.name}"'
    if field.one_to_one:
        shape = "|o--o|" if field.null else "||--o|"
    else:
        shape = "|o--o{" if field.null else "||--o{"
    return f'    {_name(target)} {shape} {_name(model)} : "{field.name}"'


def _fields(model) -> list[models.Field]:
    meta = model._meta
    return [*meta.local_fields, *meta.local_many_to_many]


def _attribute(field) -> str:
    keys = []
    if field.primary_key:
        keys.append("PK")
    if field.is_relation and not field.many_to_many:
        keys.append("FK")
    if field.unique and not field.primary_key:
        keys.append("UK")
    return f"        {type(field).__name__} {field.name}{' ' + ', '.join(keys) if keys else ''}"


def er_diagram() -> str:
    app_configs = [config for config in apps.get_app_configs() if config.name.startswith("casereview.")]
    ours = [model for config in app_configs for model in config.get_models()]
    lines = [HEADER, "## The whole", "", "```mermaid", "erDiagram"]
    for model in ours:
        lines.append(f"    {_name(model)}")
    for model in ours:
        lines += [r for field in _fields(model) if field.is_relation and (r := _relation(model, field))]
    lines += ["```", ""]
    for config in app_configs:
        app_models = list(config.get_models())
        if not app_models:
            continue
        lines += [f"## {config.label}", "", "```mermaid", "erDiagram"]
        for model in app_models:
            lines.append(f"    {_name(model)} {{")
            lines += [_attribute(field) for field in _fields(model)]
            lines.append("    }")
        for model in app_models:
            lines += [r for field in _fields(model) if field.is_relation and (r := _relation(model, field))]
        lines += ["```", ""]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the entity-relationship diagrams of the models (Mermaid), for docs/architecture/."
    requires_system_checks = []

    def handle(self, *args, **options):
        self.stdout.write(er_diagram(), ending="")
