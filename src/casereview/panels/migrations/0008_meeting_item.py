"""A review panel meeting's hearing at the case review panel's sitting (ADR 0088): the link."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0007_victimview"),
        ("referrals", "0005_meetingitem_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="panelmeeting",
            name="item",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="referrals.meetingitem",
            ),
        ),
    ]
