"""The referral's copied hub and date become required, and PostgreSQL gets a covering index
so a report reads a period's referrals from the index alone. SQLite keeps no index here.
"""

import django.db.models.deletion
from django.db import migrations, models


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS hubs_referral_report_idx "
            "ON hubs_referral (hub_id, date) INCLUDE (organisation_id, count)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hubs_referral_report_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0005_referral_hub_date"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="hub",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hubs.hub",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="date",
            field=models.DateField(editable=False),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
