"""Demo appeal: the applications demo's declined case in each partnership has an appeal waiting for
a decision (recorded by phone), so the appeals list and the case page show one. The decided appeal
is in the statistics demo (an application declined, appealed, upheld and then reviewed).
Idempotent: a case that already has an appeal is left alone."""

from __future__ import annotations

from django.utils import timezone

from casereview.accounts.models import Partnership, User
from casereview.applications.demo import DEMO_DOMAIN
from casereview.applications.models import Application, Status

from .selectors import grounds_for
from .services import appeal_lodge


def load(stdout) -> None:
    today = timezone.localdate()
    created = 0
    for partnership in Partnership.objects.order_by("slug"):
        declined = Application.objects.filter(
            partnership=partnership, victim__email=f"declined@{DEMO_DOMAIN}", status=Status.DECLINED
        ).first()
        csm = User.objects.filter(username=f"{partnership.reference_prefix.lower()}-csm").first()
        if declined is None or csm is None or declined.appeals.exists():
            continue
        grounds = [code for code, _ in grounds_for(declined, "threshold_not_met")]
        appeal_lodge(
            application=declined,
            decision_appealed="threshold_not_met",
            lodged_on=today,  # on or after the not-met letter, which the letters demo may send today
            channel="phone",
            grounds=grounds[:1],
            explanation="The victim says the decision did not explain why the dog barking reports "
            "did not count, and that she reported to the council every week.",
            actor=csm,
        )
        created += 1
    stdout.write(f"Demo appeals: {created} created.")
