"""Give the staff roles their permissions on locations and hours."""

from django.db import migrations

from clinic.roles import grant_permissions, grants_for


def forwards(apps, schema_editor):
    grant_permissions(apps, grants_for("clinic"))


class Migration(migrations.Migration):
    dependencies = [("clinic", "0003_locations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
