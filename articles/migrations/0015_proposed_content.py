"""A waiting change holds every patient-facing field, not only the title and text;
an approval's fingerprint covers them all (articles.content)."""

import hashlib
import importlib
import json
import re

from django.db import migrations, models


def _normal(text):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", text or "")).strip()


def _old_fingerprint(title, body):
    return hashlib.sha256(f"{_normal(title)}\x00{_normal(body)}".encode()).hexdigest()


def _content(article, title, body, topics):
    # articles.content.Content as this migration was written (frozen here on purpose).
    return {
        "title": title,
        "summary": article.summary,
        "body": body,
        "hero_image": article.hero_image.name or "" if article.hero_image else "",
        "hero_alt": article.hero_alt,
        "topics": sorted(topics),
        "main_topic": article.main_topic_id,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
    }


def _fingerprint(content):
    covered = {**content, "title": _normal(content["title"]), "body": _normal(content["body"])}
    text = json.dumps(covered, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    MedicalReview = apps.get_model("articles", "MedicalReview")
    for article in Article.objects.iterator():
        topics = list(article.topics.values_list("pk", flat=True))
        live = _content(article, article.title, article.body, topics)
        contents = {_old_fingerprint(article.title, article.body): live}
        if article.proposed_at:
            proposed = _content(article, article.proposed_title, article.proposed_body, topics)
            article.proposed = {**proposed, "hero_renditions": article.hero_renditions}
            article.save(update_fields=["proposed"])
            contents[_old_fingerprint(article.proposed_title, article.proposed_body)] = proposed
        for review in MedicalReview.objects.filter(article=article):
            found = contents.get(review.fingerprint)
            if found is not None:  # a round about what the article shows (or proposes)
                review.fingerprint, review.content = _fingerprint(found), found
                review.save(update_fields=["fingerprint", "content"])


# Adding and removing columns remakes the table on SQLite, which drops its search
# triggers: made again as migration 0011 does.
restore_sqlite_search_triggers = importlib.import_module(
    "articles.migrations.0011_health_governed"
).restore_sqlite_search_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_article_language"),
    ]

    operations = [
        # Backwards, adding the columns back remakes the table too: triggers come back last.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_search_triggers),
        migrations.AddField(
            model_name="article",
            name="proposed",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="proposed change"
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="proposed",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="proposed change"
            ),
        ),
        migrations.AddField(
            model_name="medicalreview",
            name="content",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="article", name="proposed_body"),
        migrations.RemoveField(model_name="article", name="proposed_title"),
        migrations.RemoveField(model_name="historicalarticle", name="proposed_body"),
        migrations.RemoveField(model_name="historicalarticle", name="proposed_title"),
        migrations.RunPython(restore_sqlite_search_triggers, migrations.RunPython.noop),
    ]
