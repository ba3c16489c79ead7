"""A stored, indexed search document, so a search never reads every article body.

PostgreSQL: ``search_document`` (tsvector: title A, summary B, text C, English
stemming) is set by a trigger on every insert and on every change of those fields,
and a GIN index answers ``@@``. SQLite: an FTS5 table with the article's id as its
row id, kept in step by triggers (porter stemming, accents ignored). Both are filled
for the articles already there.
"""

import django.contrib.postgres.search
from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION articles_article_search_document() RETURNS trigger AS $$
    BEGIN
      NEW.search_document :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER articles_article_search_document
    BEFORE INSERT OR UPDATE OF title, summary, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_document()
    """,
    "CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_document)",
    "UPDATE articles_article SET title = title",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS articles_article_search_gin",
    "DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_document()",
]
SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE articles_article_fts USING fts5(
      title, summary, body, content='articles_article', content_rowid='id',
      tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
      INSERT INTO articles_article_fts(rowid, title, summary, body)
      VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
      INSERT INTO articles_article_fts(articles_article_fts, rowid, title, summary, body)
      VALUES ('delete', old.id, old.title, old.summary, old.body);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF title, summary, body
    ON articles_article BEGIN
      INSERT INTO articles_article_fts(articles_article_fts, rowid, title, summary, body)
      VALUES ('delete', old.id, old.title, old.summary, old.body);
      INSERT INTO articles_article_fts(rowid, title, summary, body)
      VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_proposed_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
