from django.db import migrations

ROLES = ["系统管理员", "信访", "案管", "监督检查", "审查调查", "审理", "数据分析", "领导"]


def create_chain_head_and_roles(apps, schema_editor):
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditChainHead.objects.get_or_create(pk=1)
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_chain_head_and_roles, migrations.RunPython.noop)]
