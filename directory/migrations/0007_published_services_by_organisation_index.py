"""PostgreSQL-only: an organisation's published services and their review dates from the
index alone (KPI figures from the records count them for every partner at once).

SQLite has no INCLUDE (Django would warn on every check), and the foreign key's own index
serves it there.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_org_idx "
            "ON directory_service (organisation_id) INCLUDE (last_reviewed) "
            "WHERE publication = 'published' AND status IN ('active', 'temporarily closed')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_org_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_search_organisation_and_category_names"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
