"""Front desk and brand admins work the consultation inbox; editors do not."""

from django.db import migrations

from clinic.roles import grant_permissions

INBOX = [
    "appointments.view_consultationrequest",
    "appointments.change_consultationrequest",
    "appointments.export_consultationrequest",
    "appointments.view_requestnote",
    "appointments.add_requestnote",
]
GRANTS = {
    "front_desk": INBOX,
    "brand_admin": [*INBOX, "appointments.delete_consultationrequest"],
}


def forwards(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial"), ("clinic", "0005_location_consultations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
