"""`casereview demo`: load the demo partnerships, people and cases. Safe to run again.

Each app may provide `demo.py` with `load(stdout)`; they run in INSTALLED_APPS order, so an app's
demo can rely on the ones before it (accounts first: partnerships, agencies and users).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo sign-ins."

    def handle(self, *args, **options):
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("casereview.") or find_spec(f"{config.name}.demo") is None:
                    continue
                import_module(f"{config.name}.demo").load(self.stdout)
