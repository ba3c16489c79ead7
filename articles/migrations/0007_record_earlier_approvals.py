"""Articles reviewed before review rounds were tracked keep their approval.

Until now the reviewer and the review date were typed on the article. Each article
that has both gets an approved round for its present title and text, so that it stays
publishable (and editable while live) until its text changes.
"""

import hashlib
import re

from django.db import migrations
from django.utils import timezone


def _normal(text):
    # As articles.models.text_fingerprint: blank space is not text.
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", text)).strip()


def record(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    MedicalReview = apps.get_model("articles", "MedicalReview")
    for article in Article.objects.exclude(reviewer_name="").exclude(last_reviewed=None):
        fingerprint = hashlib.sha256(
            f"{_normal(article.title)}\x00{_normal(article.body)}".encode()
        ).hexdigest()
        MedicalReview.objects.get_or_create(
            article=article,
            fingerprint=fingerprint,
            decision="approved",
            defaults={
                "reviewer_name": article.reviewer_name,
                "requested_at": timezone.now(),
                "decided_at": timezone.now(),
                "comment": "Recorded from the review date given before reviews were tracked.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_medicalreview")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
