"""PostgreSQL-only search indexes: full-text (GIN on the tsvector) and trigram (typo tolerance).

They are not in Service.Meta.indexes because SQLite cannot build them; the same migrations run
on both databases, and these operations do nothing on SQLite.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class PostgresOnlyAddIndex(migrations.AddIndex):
    """AddIndex that touches only a PostgreSQL database and never the model state."""

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_index(model, self.index)

    def reduce(self, operation, app_label):
        return False


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_services_taxonomy_postcodes_suggestions"),
    ]

    operations = [
        TrigramExtension(),  # does nothing outside PostgreSQL
        # Keyword search: search_document @@ websearch_to_tsquery(...).
        PostgresOnlyAddIndex(
            model_name="service",
            index=GinIndex(fields=["search_document"], name="directory_service_search_gin"),
        ),
        # Typo tolerance: name %> 'fod bank' (trigram word similarity).
        PostgresOnlyAddIndex(
            model_name="service",
            index=GinIndex(
                fields=["name"], opclasses=["gin_trgm_ops"], name="directory_service_name_trgm"
            ),
        ),
    ]
