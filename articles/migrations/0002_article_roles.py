"""Give the staff roles their permissions on articles."""

from django.db import migrations

from clinic.roles import grant_permissions, grants_for


def forwards(apps, schema_editor):
    grant_permissions(apps, grants_for("articles"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial"), ("clinic", "0004_location_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
