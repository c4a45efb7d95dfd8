"""PostgreSQL with the RUM extension only: an index that returns published services in rank
order (directory.search.ranking uses it for searches matching more than COUNT_EXACTLY_UP_TO
services, so a page ranks a bounded number of them). Where the extension is not installed
(`postgresql-15-rum` on Debian; RDS has it) or the role may not create it, nothing happens
and searches rank every match through the GIN index, as before.
"""

from django.db import DatabaseError, migrations, transaction

PUBLISHED = "publication = 'published' AND status IN ('active', 'temporarily closed')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError:  # not allowed to (not a superuser): stay on GIN
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directory_service_published_search_rum ON directory_service "
        f"USING rum (search_document rum_tsvector_ops) WHERE {PUBLISHED}"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_published_search_rum")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_web_addresses_without_username"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
