"""`casereview portal_scan`: scan the uploads still held because the virus scanner was down (run it
from the scheduler, as `casereview sweep`), and delete spent sign-in codes."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from casereview.portal.services import uploads_scan_held
from casereview.portal.signin import codes_expired_delete


class Command(BaseCommand):
    help = "Scan held uploads from the victim's own view; delete expired sign-in codes."

    def handle(self, *args, **options):
        counts = uploads_scan_held()
        removed = codes_expired_delete(now=timezone.now())
        self.stdout.write(
            f"Uploads: {counts['clean']} cleared, {counts['infected']} refused, {counts['held']} still held. "
            f"{removed} expired sign-in record(s) deleted."
        )
