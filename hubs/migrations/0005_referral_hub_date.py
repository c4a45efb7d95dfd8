"""Each referral carries its session's hub and date, so the reports read a period's referrals
from one index instead of joining every session in the period (see hubs.models.Referral).
Copied here; required and indexed in 0006 (a separate transaction: PostgreSQL cannot alter a
table with deferred foreign key checks pending).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_engagements(apps, schema_editor):
    Engagement = apps.get_model("hubs", "Engagement")
    Referral = apps.get_model("hubs", "Referral")
    session = Engagement.objects.filter(pk=OuterRef("engagement_id"))
    Referral.objects.update(
        hub_id=Subquery(session.values("hub_id")[:1]),
        date=Subquery(session.values("date")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0004_engagement_period_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="hub",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="date",
            field=models.DateField(null=True, editable=False),
        ),
        migrations.RunPython(copy_from_engagements, migrations.RunPython.noop, elidable=False),
    ]
