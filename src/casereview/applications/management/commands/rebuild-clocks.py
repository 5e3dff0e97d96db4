"""`casereview rebuild-clocks [--partnership ID] [--check]`: repair the stored clocks (CaseClock).

Every case event recomputes its case's clocks in its own transaction
(`applications.services.case_event_record`); this is for repair after something changed what the
clocks are computed from around the services: a manual SQL fix, a restore of one table, or a
partnership's policy changed (its deadlines). Without --partnership it rebuilds every partnership's.
"""

from django.core.management.base import BaseCommand, CommandError

from casereview.accounts.models import Partnership
from casereview.applications.services import case_clocks_differences, case_clocks_rebuild


class Command(BaseCommand):
    help = "Rebuild the stored clocks of every case from its events (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="only this partnership (default: all)")
        parser.add_argument(
            "--check", action="store_true", help="only say whether they are in step (exit 1 if not)"
        )

    def handle(self, *args, partnership=None, check=False, **options):
        chosen = None
        if partnership:
            chosen = Partnership.objects.filter(slug=partnership).first()
            if chosen is None:
                known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(
                    f"--partnership: no partnership with the ID {partnership!r} (known: {known})"
                )
        scope = f"partnership {chosen.slug}" if chosen else "all partnerships"
        differences = case_clocks_differences(partnership=chosen)
        if check:
            if differences:
                shown = ", ".join(differences[:10]) + (" …" if len(differences) > 10 else "")
                raise CommandError(
                    f"{len(differences)} case(s) with clocks out of step with their events ({scope}): "
                    f"{shown}. Run `casereview rebuild-clocks` to repair them."
                )
            self.stdout.write(f"The stored clocks are in step with the events ({scope}).")
            return
        rows = case_clocks_rebuild(partnership=chosen)
        self.stdout.write(
            f"Rebuilt the stored clocks ({scope}): {rows} clocks; "
            f"{len(differences)} case(s) had been out of step."
        )
