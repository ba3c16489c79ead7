"""Give the staff roles their permissions on locations and hours."""

from django.db import migrations

from clinic.roles import grant_permissions

HOURS = ["location", "openinghours", "specialhours"]
GRANTS = {
    "editor": ["clinic.view_location"],
    "front_desk": [
        "clinic.view_location",
        "clinic.view_openinghours",
        "clinic.view_specialhours",
        "clinic.add_specialhours",
        "clinic.change_specialhours",
        "clinic.delete_specialhours",
    ],
    "brand_admin": [
        f"clinic.{action}_{model}"
        for model in HOURS
        for action in ("view", "add", "change", "delete")
    ],
}


def forwards(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0003_locations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
