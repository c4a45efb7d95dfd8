"""PostgreSQL-only: count a quarter's engagements of every hub and activity from an index.

KPI figures from the records (partners.measures) add up each hub's and activity's sessions
over a date range, for all hubs at once. With the summed columns in a (date) index, that is an
index-only scan. The statistics tell the planner how few (hub, activity) pairs there are, so
it groups them in memory instead of sorting every row on disk. SQLite keeps the plain (date)
index.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS hubs_engagement_period_idx "
            "ON hubs_engagement (date) INCLUDE (id, hub_id, activity_id, people, new_people)"
        )
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS hubs_engagement_hub_activity_stats (ndistinct) "
            "ON hub_id, activity_id FROM hubs_engagement"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS hubs_engagement_hub_activity_stats")
        schema_editor.execute("DROP INDEX IF EXISTS hubs_engagement_period_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0003_merge_directory_listing_and_report_index"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
