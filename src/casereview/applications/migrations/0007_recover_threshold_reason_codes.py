"""Give the decisions recorded before 0006 their reason codes, where they can be recovered (ADR 0039).

What a decision was decided under was not kept before: only its English sentences
(`engine_result`, `explanation`) and the policy's id and version. The codes cannot be read back out
of the sentences, so this migration re-runs the core on the case's records as they are now under the
partnership's policy as it is now, and keeps the codes only when that run says *exactly* what was
stored — same policy id and version, outcome, route, count, every incident's reasons, every reason
for ineligibility and the whole explanation. Then the codes are those of the stored decision, and
`reason_codes["recovered"]` says how they were found.

What cannot be recovered, and is left as it was:

- the policy's digest (`policy_digest` stays empty): the policy of the day of the decision was
  not kept, and a policy that gives the same sentences may differ in settings the decision did not
  use (a deadline, the panel);
- the codes of a decision whose case records or policy changed since in a way that changes its
  sentences (an incident added, a report corrected, a new policy version): `reason_codes` stays
  empty, and its letters quote the stored English, as before, in English only.
"""

from django.db import migrations

RECOVERED = (
    "recomputed at migration 0007 from the case's records and the partnership's policy of that day; "
    "every sentence matched the stored decision"
)
COMPARED = (
    "policy",
    "outcome",
    "route",
    "qualifying_complaints",
    "incidents",
    "ineligible_reasons",
    "explanation",
)


def _facts(application):
    incidents = application.incidents.prefetch_related("reports").order_by("occurred_on", "id")
    third_party = application.applicant_id is not None
    return {
        "application_date": application.received_on.isoformat(),
        "applicant": {
            "anonymous": bool(application.anonymous),
            "on_behalf_of_victim": third_party,
            "victim_consent": application.victim_consent if third_party else None,
        },
        "concerns": list(application.concerns or []),
        "senior_manager_request": bool(application.senior_manager_request),
        "incidents": [
            {
                "ref": incident.ref,
                "occurred_on": incident.occurred_on.isoformat(),
                "hate": incident.hate,
                "diary_sheet": incident.diary_sheet,
                "action_group": incident.action_group,
                "reports": [
                    {
                        "agency": report.agency_kind,
                        "reported_on": report.reported_on.isoformat(),
                        "reporter": report.reporter or "victim",
                    }
                    for report in incident.reports.all()
                ],
            }
            for incident in incidents
        ],
    }


def recover(apps, schema_editor):
    db = schema_editor.connection.alias  # the owner's connection (DATABASE_OWNER_URL)
    from casereview.accounts.models import Partnership as LivePartnership
    from casereview.core.errors import InputError, PolicyError
    from casereview.core.threshold import decide, parse_threshold_input

    Partnership = apps.get_model("accounts", "Partnership")
    ThresholdDecision = apps.get_model("applications", "ThresholdDecision")
    policies = {}
    for partnership in Partnership.objects.using(db).all():
        live = LivePartnership(
            slug=partnership.slug, policy_ref=partnership.policy_ref, policy_text=partnership.policy_text
        )
        try:
            policies[partnership.pk] = live.policy
        except PolicyError:
            policies[partnership.pk] = None  # nothing recoverable for its decisions
    decisions = ThresholdDecision.objects.using(db).filter(reason_codes={}).select_related("application")
    for record in decisions.iterator(chunk_size=500):
        application = record.application
        policy = policies.get(application.partnership_id)
        if policy is None:
            continue
        try:
            engine = decide(policy, parse_threshold_input(_facts(application)))
        except InputError:
            continue
        now = engine.to_dict()
        stored = record.engine_result or {}
        if any(now.get(key) != stored.get(key) for key in COMPARED):
            continue
        codes = engine.codes_dict()
        codes["policy"]["digest"] = ""
        codes["recovered"] = RECOVERED
        ThresholdDecision.objects.using(db).filter(pk=record.pk).update(reason_codes=codes)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("applications", "0006_threshold_decision_reason_codes"),
    ]

    operations = [migrations.RunPython(recover, migrations.RunPython.noop)]
