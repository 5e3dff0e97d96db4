"""`casereview demo-code`: print the current security code for the demo users (development only).

All demo users share one published authenticator secret (accounts.mfa.DEMO_TOTP_SECRET); this
prints the code an authenticator app set up with it would show now. It knows no other secret.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casereview.accounts.mfa import DEMO_TOTP_SECRET, secret_to_hex, totp_code


class Command(BaseCommand):
    help = "Print the current security code for the demo users' authenticator (development only)."

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("There are no demo users in production.")
        self.stdout.write(totp_code(secret_to_hex(DEMO_TOTP_SECRET)))
