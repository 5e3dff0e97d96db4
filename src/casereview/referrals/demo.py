"""The standing panels' demo (issue 16): every demo agency gets a shared mailbox, so the chair of a
standing panel can issue a held meeting's minutes in the demo — each agency's minutes are emailed to
it (ADR 0086), and the issue is refused, naming each agency, while one has no address.

The addresses are on `example.org`, a domain reserved for examples (RFC 2606): the outbox takes
them as any address, and nothing sent to them reaches anyone. Only an agency with no address is
given one, so an address an administrator has recorded is kept, and running again changes nothing.
Runs last of the demos (referrals is last in INSTALLED_APPS), after the partnerships and agencies."""

from __future__ import annotations

from django.utils.text import slugify

from casereview.accounts.demo import PARTNERSHIPS
from casereview.accounts.models import Agency


def agency_mailbox(agency: Agency) -> str:
    """e.g. `islington-homes@islington.example.org`."""
    return f"{slugify(agency.name)[:60]}@{agency.partnership.slug}.example.org"


def load(stdout) -> None:
    slugs = [spec["slug"] for spec in PARTNERSHIPS]
    given = 0
    for agency in Agency.objects.filter(partnership__slug__in=slugs, email="").select_related("partnership"):
        agency.email = agency_mailbox(agency)
        agency.save(update_fields=["email"])
        given += 1
    if given:
        stdout.write(
            f"Standing panels: {given} demo agencies given a mailbox on example.org for the minutes."
        )
