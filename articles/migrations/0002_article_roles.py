"""Give the staff roles their permissions on articles."""

from django.db import migrations

from clinic.roles import grant_permissions

WRITE = [f"articles.{a}_article" for a in ("view", "add", "change")] + [
    "articles.publish_article",
    "articles.view_topic",
    "articles.view_previewlink",
    "articles.delete_previewlink",
    "articles.view_historicalarticle",
]
GRANTS = {
    "editor": WRITE,
    "brand_admin": [*WRITE, "articles.delete_article"],
}


def forwards(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial"), ("clinic", "0004_location_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
