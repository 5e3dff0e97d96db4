"""The local policing body's reviews on the retention schedule of their case (privacy.retention,
ADR 0095): a review of a case's "threshold not met" decision is part of that case's record and goes
with it. It points at the decision with PROTECT (a decision under review is never deleted alone),
so it is deleted first, in the disposal's transaction."""

from __future__ import annotations

from .models import LpbReview


def case_records_delete(*, case_ids) -> dict[str, list[int]]:
    reviews = LpbReview.objects.filter(application_id__in=list(case_ids))
    pks = sorted(reviews.values_list("pk", flat=True))
    reviews.delete()
    return {"lpbreviews.LpbReview": pks}
