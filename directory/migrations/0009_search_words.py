"""The search vocabulary: the words of the listed services' text, which PostgreSQL's keyword
search uses to correct misspelt words ("fod" -> "food"). On PostgreSQL it gets a trigram index
and is filled from the services already there; SQLite's search does not use it."""

from django.db import migrations, models

FILL = """
INSERT INTO directory_searchword (word, services)
SELECT word, COUNT(*) FROM directory_service s
CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple',
    s.name || ' ' || s.keywords || ' ' || s.search_extra || ' ' || s.description))) AS word
WHERE publication = 'published' AND status IN ('active', 'temporarily closed')
    AND length(word) BETWEEN 3 AND 100 AND word !~ '[0-9]'
GROUP BY word
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX directory_searchword_trgm ON directory_searchword "
            "USING gin (word gin_trgm_ops)"
        )
        schema_editor.execute(FILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_searchword_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_published_search_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("services", models.PositiveIntegerField(default=1)),
            ],
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
