"""`casereview migrate`: Django's migrate, run as the database's owner when DATABASE_OWNER_URL is
set (the "owner" alias), then granting the application's role what it needs
(audit.database_roles). Without DATABASE_OWNER_URL it is Django's migrate as it always was."""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from casereview.audit.database_roles import application_role_grant


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if options.get("database") not in connections.databases:
            known = ", ".join(connections.databases)
            raise CommandError(f"--database: no database called {options.get('database')!r} (known: {known})")
        if "owner" in connections.databases and options.get("database") == DEFAULT_DB_ALIAS:
            options["database"] = "owner"
        super().handle(*args, **options)
        if options["database"] == "owner":
            granted = application_role_grant()
            if granted and options.get("verbosity", 1) >= 1:
                self.stdout.write(
                    f"Granted the application's role {granted!r} its privileges (not the owner's)."
                )
