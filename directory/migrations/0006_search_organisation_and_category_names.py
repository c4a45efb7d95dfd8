"""Keyword search matches organisation and category names through the indexed document
(Service.search_extra, filled here and kept in step by directory.signals) instead of joins."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import directory.models

FILL = """UPDATE directory_service AS s SET search_extra = COALESCE(
    (SELECT o.name FROM partners_organisation o WHERE o.id = s.organisation_id), ''
) || ' ' || COALESCE(
    (SELECT {aggregate}(t.name, ' ') FROM directory_service_categories sc
     JOIN directory_taxonomyterm t ON t.id = sc.taxonomyterm_id WHERE sc.service_id = s.id), ''
)"""


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    aggregate = "string_agg" if vendor == "postgresql" else "group_concat"
    schema_editor.execute(FILL.format(aggregate=aggregate))


class PostgresOnlyAddIndex(migrations.AddIndex):
    """As in 0004: the GIN index is on PostgreSQL only and not in the model state."""

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


GIN = django.contrib.postgres.indexes.GinIndex(
    fields=["search_document"], name="directory_service_search_gin"
)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_scale_listing_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="search_extra",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        # A generated column cannot be altered: drop it (and its index) and add it anew.
        migrations.RemoveField(model_name="service", name="search_document"),
        migrations.AddField(
            model_name="service",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=directory.models.ServiceSearchDocument(
                    "name", "keywords", "search_extra", "description"
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        PostgresOnlyAddIndex(model_name="service", index=GIN),
    ]
