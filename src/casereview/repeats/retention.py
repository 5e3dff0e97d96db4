"""The repeats app's records on the retention schedule of a case (privacy.retention, ADR 0095).

Two of its records point at a case with PROTECT, so the case could not be deleted under them:

- a later application's material change assessment compares it with this, its previous
  application: the earlier case is kept while that assessment is (it goes with the later case),
  and the run says so — the later case's decision on a repeat request rests on it;
- an unreasonably persistent complainant flag set on this case: while it is in place the case is
  kept (the flag's reasons are this case); once lifted, it goes with the case, its reviews with it.
"""

from __future__ import annotations

from .models import MaterialChangeAssessment, PersistentComplainantFlag


def cases_kept_because(*, case_ids) -> dict[int, str]:
    case_ids = list(case_ids)
    why: dict[int, list[str]] = {}
    assessments = (
        MaterialChangeAssessment.objects.filter(previous_application_id__in=case_ids)
        .exclude(application_id__in=case_ids)
        .select_related("application")
        .order_by("application__reference")
    )
    for assessment in assessments:
        why.setdefault(assessment.previous_application_id, []).append(
            f"{assessment.application.reference}'s material change assessment compares with it "
            "(it goes with that case)"
        )
    flags = PersistentComplainantFlag.objects.filter(
        application_id__in=case_ids, status=PersistentComplainantFlag.Status.ACTIVE
    )
    for flag in flags:
        why.setdefault(flag.application_id, []).append(
            "an unreasonably persistent complainant flag set on it is in place (it goes once lifted)"
        )
    return {case_id: "; ".join(dict.fromkeys(reasons)) for case_id, reasons in why.items()}


def case_records_delete(*, case_ids) -> dict[str, list[int]]:
    """The lifted flags set on these cases, with their reviews (in the disposal's transaction)."""
    flags = PersistentComplainantFlag.objects.filter(
        application_id__in=list(case_ids), status=PersistentComplainantFlag.Status.LIFTED
    )
    pks = sorted(flags.values_list("pk", flat=True))
    flags.delete()
    return {"repeats.PersistentComplainantFlag": pks}
