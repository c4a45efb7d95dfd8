from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    """What Role.searchable_text() gives, for the roles that exist."""
    Role = apps.get_model("volunteering", "Role")
    roles = list(Role.objects.select_related("organisation").prefetch_related("skills"))
    for role in roles:
        parts = [role.title, role.description, role.organisation.name]
        parts += [skill.name for skill in role.skills.all()]
        role.search_text = "\n".join(parts).casefold()
    Role.objects.bulk_update(roles, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0002_erasure_suggestion_senders"),
    ]

    operations = [
        migrations.AddField(
            model_name="role",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        # Reversed, the column goes: nothing to undo.
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
