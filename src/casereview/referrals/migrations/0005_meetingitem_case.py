"""A meeting's item names the kernel's case it hears (ADR 0088): filled from the referral's case,
so a case review sitting can hear a review, which has no referral (the referral becomes optional)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_case(apps, schema_editor):
    db = schema_editor.connection.alias  # the owner's connection where there is one
    MeetingItem = apps.get_model("referrals", "MeetingItem")
    for item in MeetingItem.objects.using(db).select_related("referral").iterator():
        item.case_id = item.referral.case_id
        item.save(update_fields=["case"])


def drop_reviews(apps, schema_editor):
    """Backwards: the items with no referral (a review heard at a case review sitting) cannot be
    kept by the older schema; the review's own record (panels.PanelMeeting) keeps everything."""
    db = schema_editor.connection.alias  # the owner's connection where there is one
    MeetingItem = apps.get_model("referrals", "MeetingItem")
    MeetingItem.objects.using(db).filter(referral__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_case_parties"),
        ("referrals", "0004_referral_subjects"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingitem",
            name="case",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="applications.case",
            ),
        ),
        migrations.RunPython(fill_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meetingitem",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="applications.case"
            ),
        ),
        migrations.AlterField(
            model_name="meetingitem",
            name="referral",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="meeting_items",
                to="referrals.referral",
            ),
        ),
        migrations.RemoveConstraint(model_name="meetingitem", name="meetingitem_once"),
        migrations.AddConstraint(
            model_name="meetingitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("referral__isnull", False)),
                fields=("meeting", "case"),
                name="meetingitem_case_once",
            ),
        ),
        # Last, so that backwards it runs first, before the referral is required again.
        migrations.RunPython(migrations.RunPython.noop, drop_reviews),
    ]
