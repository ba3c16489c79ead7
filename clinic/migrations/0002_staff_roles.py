"""Create the staff role groups and give them their clinic permissions."""

from django.db import migrations

from clinic.roles import grant_permissions

GRANTS = {
    "editor": ["clinic.view_brand"],
    "front_desk": ["clinic.view_brand"],
    "brand_admin": [
        "clinic.view_brand",
        "clinic.change_brand",
        "clinic.view_branddomain",
        "clinic.view_brandmembership",
        "clinic.add_brandmembership",
        "clinic.change_brandmembership",
        "clinic.delete_brandmembership",
    ],
}


def forwards(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
