from django.db import migrations

LIAISON = "履责联络员"  # core.roles.Role.LIAISON, as it was when this migration was written


def create_liaison_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=LIAISON)


class Migration(migrations.Migration):
    dependencies = [("duties", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_liaison_group, migrations.RunPython.noop)]
