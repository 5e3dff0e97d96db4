"""The case kernel in place (ADR 0048): applications.Application becomes applications.Case (its
table renamed, every foreign key followed), with a kind; Application stays as the review kind's
proxy. Reversible: backwards, the kind column, the index and the proxy go and the table is renamed
back (a case of another kind would be refused by the review's columns; none exists before)."""

import django.db.models.deletion
from django.db import migrations, models

import casereview.applications.models


class Migration(migrations.Migration):
    # After the latest migration of every app with a foreign key to the case, so that RenameModel
    # repoints them all (an app migrated after it would otherwise point at the proxy).
    dependencies = [
        ("accounts", "0001_initial"),
        ("applications", "0007_recover_threshold_reason_codes"),
        ("actions", "0004_merge_due_index_and_version"),
        ("appeals", "0003_appeal_version"),
        ("apply", "0001_initial"),
        ("letters", "0004_warning_letter_to_an_alleged_perpetrator"),
        ("notifications", "0002_message_back_off_and_attachment"),
        ("panels", "0005_recommendation_version"),
        ("people", "0001_people_and_places"),
        ("privacy", "0002_deletion_log_and_request_version"),
        ("repeats", "0002_persistent_complainant_flag_version"),
        ("reports", "0005_daily_count_day_number"),
        ("reviews", "0002_information_request_version"),
    ]

    operations = [
        migrations.RenameModel(old_name="Application", new_name="Case"),
        migrations.AddField(
            model_name="case",
            name="kind",
            field=models.CharField(db_index=True, default="case_review", max_length=40),
        ),
        migrations.AlterField(
            model_name="case",
            name="channel",
            field=models.CharField(
                blank=True,
                choices=[
                    ("online", "Online form"),
                    ("phone", "Phone call"),
                    ("email", "Email"),
                    ("letter", "Letter"),
                    ("in_person", "In person"),
                ],
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="victim",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications_as_victim",
                to="applications.person",
            ),
        ),
        migrations.RemoveIndex(model_name="case", name="application_partner_237d8d_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["partnership", "kind", "status"], name="case_partnership_kind_status"),
        ),
        migrations.CreateModel(
            name="Application",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("applications.case",),
            managers=[("objects", casereview.applications.models.ReviewManager())],
        ),
    ]
