"""Creates one group per role, so a fresh database already knows every role."""
from django.db import migrations

ROLE_NAMES = ["Officer", "Lead Director", "Programme Office", "Commissioner", "Democratic Services"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
