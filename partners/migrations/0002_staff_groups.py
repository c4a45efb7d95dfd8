from django.db import migrations

# Frozen copy of the names: migrations must not import code that may change later.
GROUPS = ["Council officer", "Hub coordinator", "Partner contact"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partners", "0001_organisation"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
