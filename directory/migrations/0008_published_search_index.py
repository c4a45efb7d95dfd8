"""PostgreSQL-only: the full-text index holds published services only (what every keyword
search filters on), so counting a search's matches needs the index and the visibility map,
not the rows. It replaces the index on every service (0004, 0006).

SQLite has no GIN indexes; its search does not use them.
"""

from django.db import migrations

PUBLISHED = "publication = 'published' AND status IN ('active', 'temporarily closed')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_published_search_gin "
            f"ON directory_service USING gin (search_document) WHERE {PUBLISHED}"
        )
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_search_gin")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_search_gin "
            "ON directory_service USING gin (search_document)"
        )
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_published_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_published_services_by_organisation_index"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
