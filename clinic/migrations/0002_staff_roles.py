"""Create the staff role groups and give them their clinic permissions."""

from django.db import migrations

from clinic.roles import grant_permissions, grants_for


def forwards(apps, schema_editor):
    grant_permissions(apps, grants_for("clinic"))


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
