"""Give the roles that need them the permissions 查阅廉政档案 and 办理党风廉政意见回复.

Re-runnable: groups and grants are added, never removed; the admin may change them later.
"""

from django.db import migrations

VIEWERS = ("领导", "监督检查", "案管", "审查调查")
REPLIERS = ("领导", "监督检查")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("dossiers")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="dossiers", codename="view_dossier")
    reply = Permission.objects.get(content_type__app_label="dossiers", codename="reply_opinion")
    for name in VIEWERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(view)
    for name in REPLIERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(reply)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_registry_links_and_opinions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
