"""PostgreSQL-only covering index for the engagement reports at county scale.

Every report adds up columns of the engagements of some hubs over a date range. With those
columns in the index (INCLUDE), PostgreSQL aggregates a million engagements from the index
alone (an index-only scan; autovacuum or VACUUM keeps the visibility map current) instead of
visiting the table row by row. SQLite has no INCLUDE: it keeps the plain (hub, date) index.
"""

from django.db import migrations

COLUMNS = (
    "id, people, new_people, activity_id, partner_present_id, age_under_5, age_5_11, "
    "age_12_17, age_18_25, age_26_64, age_65_plus"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS hubs_engagement_report_idx "
            f"ON hubs_engagement (hub_id, date) INCLUDE ({COLUMNS})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hubs_engagement_report_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0001_hubs_activities_engagements"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
