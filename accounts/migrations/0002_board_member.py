"""Adds the Board member role's group."""
from django.db import migrations


def create_board_member_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="Board member")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_roles")]
    operations = [migrations.RunPython(create_board_member_group, migrations.RunPython.noop)]
