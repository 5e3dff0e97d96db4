"""Fill the stored clocks (CaseClock) and next due dates of the cases that exist already, from their
events, as applications.services.case_clocks_refresh does for every new event (ADR 0019)."""

import datetime as dt

from django.db import migrations

BATCH = 500


def fill(apps, schema_editor):
    db = schema_editor.connection.alias  # the owner's connection (DATABASE_OWNER_URL)
    from casereview.accounts.models import Partnership as LivePartnership
    from casereview.applications import clocks

    Partnership = apps.get_model("accounts", "Partnership")
    Application = apps.get_model("applications", "Application")
    CaseEvent = apps.get_model("applications", "CaseEvent")
    CaseClock = apps.get_model("applications", "CaseClock")
    rules = {}
    for partnership in Partnership.objects.using(db).all():
        # The policy is read as the live model reads it (preset, file or the partnership's own TOML).
        live = LivePartnership(
            slug=partnership.slug, policy_ref=partnership.policy_ref, policy_text=partnership.policy_text
        )
        rules[partnership.pk] = (live.policy, live.calendar)
    today = dt.date.today()
    ids = list(Application.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        events = {pk: [] for pk in batch}
        for event in (
            CaseEvent.objects.using(db)
            .filter(application_id__in=batch)
            .only("id", "application_id", "kind", "data", "occurred_on", "at")
        ):
            events[event.application_id].append(event)
        rows = []
        for application in (
            Application.objects.using(db).filter(pk__in=batch).only("id", "status", "partnership_id")
        ):
            policy, calendar = rules[application.partnership_id]
            computed = clocks.clocks_compute(
                policy=policy,
                calendar=calendar,
                status=application.status,
                events=events[application.pk],
                today=today,
            )
            rows += [
                CaseClock(application_id=application.pk, position=position, **clocks.clock_row_values(clock))
                for position, clock in enumerate(computed)
            ]
            next_due_on = clocks.next_due_on(computed)
            if next_due_on is not None:
                Application.objects.using(db).filter(pk=application.pk).update(next_due_on=next_due_on)
        CaseClock.objects.using(db).filter(application_id__in=batch).delete()
        CaseClock.objects.using(db).bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("applications", "0002_case_clocks"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
