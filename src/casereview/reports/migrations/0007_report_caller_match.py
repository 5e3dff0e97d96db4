"""Reports keep the caller key as the agency sent it (contracts §7) and, beside it, the key in the
form people are matched by (`caller_match`). Keys stored before this migration had already been
normalised: they stay as they are (the form the agency sent is not known any more), and
`caller_match` is filled from them."""

from django.db import migrations, models


def fill_caller_match(apps, schema_editor):
    from casereview.reports.keys import caller_key_normalise

    Report = apps.get_model("reports", "Report")
    reports = Report.objects.using(schema_editor.connection.alias)
    batch = []
    for pk, caller in reports.exclude(caller="").values_list("pk", "caller").iterator(chunk_size=5000):
        batch.append(Report(pk=pk, caller_match=caller_key_normalise(caller)))
        if len(batch) >= 5000:
            reports.bulk_update(batch, ["caller_match"])
            batch = []
    if batch:
        reports.bulk_update(batch, ["caller_match"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_alter_report_source")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="caller_match",
            field=models.CharField(blank=True, editable=False, max_length=200, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(fill_caller_match, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="report",
            name="caller",
            field=models.CharField(
                blank=True,
                help_text="A stable key for who reported, exactly as the agency sent it.",
                max_length=200,
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["partnership", "caller_match"], name="report_partner_caller_match"),
        ),
    ]
