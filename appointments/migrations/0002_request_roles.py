"""Front desk and brand admins work the consultation inbox; editors do not."""

from django.db import migrations

from clinic.roles import grant_permissions, grants_for


def forwards(apps, schema_editor):
    grant_permissions(apps, grants_for("appointments"))


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial"), ("clinic", "0005_location_consultations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
