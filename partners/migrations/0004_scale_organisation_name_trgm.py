"""PostgreSQL-only trigram index for "name contains" on organisations.

Public search matches an organisation's name with icontains (UPPER(name) LIKE UPPER('%...%')),
and so does the admin's search box; at county scale (tens of thousands of organisations) that
was a sequential scan on every keyword search. Does nothing on SQLite.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS partners_org_name_upper_trgm ON partners_organisation "
            "USING gin ((UPPER(name::text)) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS partners_org_name_upper_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_agreements_kpis_grants_documents"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
