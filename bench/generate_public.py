"""Grow a PostgreSQL bench database to a clinic group's archive (manage.py shell).

``BENCH_BRANDS`` brands in all (the demo brands and generated ones, each with a host
of its own and copies of K\\MD's locations with their hours, treatments, clinicians
and questions, made with bulk_create: a few hundred rows), each with
``BENCH_ARTICLES`` generated live articles, made by one
``INSERT ... SELECT`` per brand from ``generate_series``: 500,000 articles in a few
minutes instead of hours of ORM saves. The articles look like a group's explainers
after some years: short texts made of varied sentences, spread over every topic,
the brands' articles interleaved in time, all older than the demo articles (so the
newest are the same at every size). The database trigger writes each one's search
document, as it does for an article saved in the admin.
"""

import os

from django.db import connection, transaction

from articles import listing
from articles.models import Listing, Topic
from care.models import Clinician, Treatment
from clinic.models import Brand, BrandDomain, Location, OpeningHours, SpecialHours
from pages.models import FaqEntry

# Sentences of our own, four to a text; one of them names a technique ("paced
# breathing") that about three articles in ten mention: a search with many matches.
SENTENCES = [
    "Sleep that comes late and breaks early wears down the day that follows.",
    "A steady wake time does more for the night than an early bedtime.",
    "Memories of a frightening event can return as if it were happening again.",
    "Low mood that lasts for weeks deserves a conversation with a clinician.",
    "Treatment is planned with you, reviewed often and changed when it does not help.",
    "Paced breathing, slower out than in, can settle the body before sleep.",
    "Medication is one option among several, and rarely the only one.",
    "Some people notice changes within days, others after several weeks.",
    "Bring a list of current medicines to the first appointment.",
    "Family and friends often notice a change before the person does.",
    "Alcohol can make sleep lighter and mood lower the next day.",
    "A short daily walk in morning light helps the body keep its clock.",
]

brands_wanted = int(os.environ.get("BENCH_BRANDS", "50"))
per_brand = int(os.environ.get("BENCH_ARTICLES", "10000"))

for number in range(Brand.objects.count() + 1, brands_wanted + 1):
    slug = f"bench-{number:02d}"
    brand = Brand.objects.create(name=f"Bench Clinic {number:02d}", slug=slug)
    BrandDomain.objects.create(brand=brand, hostname=f"{slug}.localhost", is_primary=True)


def copies(rows, **changes):
    """Unsaved copies of ``rows`` with ``changes`` (values, or functions of the row)."""
    made = []
    for row in rows:
        copy = type(row)(
            **{
                field.attname: getattr(row, field.attname)
                for field in row._meta.concrete_fields
                if not field.primary_key
            }
        )
        for name, value in changes.items():
            setattr(copy, name, value(row) if callable(value) else value)
        made.append(copy)
    return made


def furnish(brand, model):
    """Give ``brand`` what ``model`` (K\\MD) has: locations with their hours,
    clinicians, published treatments and questions."""
    places = list(Location.objects.filter(brand=model).order_by("pk"))
    new_places = Location.objects.bulk_create(copies(places, brand=brand))
    place_of = {old.pk: new.pk for old, new in zip(places, new_places, strict=True)}
    for hours in (OpeningHours, SpecialHours):
        rows = hours.objects.filter(location__brand=model)
        hours.objects.bulk_create(copies(rows, location_id=lambda r: place_of[r.location_id]))
    people = list(Clinician.objects.filter(brands=model).order_by("pk"))
    new_people = Clinician.objects.bulk_create(
        copies(people, slug=lambda r: f"{r.slug}-{brand.slug}", account_id=None)
    )
    person_of = {old.pk: new.pk for old, new in zip(people, new_people, strict=True)}
    Clinician.brands.through.objects.bulk_create(
        [Clinician.brands.through(clinician_id=p.pk, brand_id=brand.pk) for p in new_people]
    )
    therapies = list(Treatment.objects.filter(brand=model).order_by("pk"))
    new_therapies = Treatment.objects.bulk_create(copies(therapies, brand=brand))
    Treatment.clinicians.through.objects.bulk_create(
        [
            Treatment.clinicians.through(treatment_id=new.pk, clinician_id=person_of[link])
            for old, new in zip(therapies, new_therapies, strict=True)
            for link in old.clinicians.values_list("pk", flat=True)
            if link in person_of
        ]
    )
    FaqEntry.objects.bulk_create(copies(FaqEntry.objects.filter(brand=model), brand=brand))


kmd = Brand.objects.get(slug="kmd")
for brand in Brand.objects.filter(slug__startswith="bench-", locations__isnull=True):
    with transaction.atomic():  # all of it or nothing: a brand is furnished once
        furnish(brand, kmd)

brands = list(Brand.objects.order_by("pk"))
topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True))

added = False
with connection.cursor() as cursor:
    for index, brand in enumerate(brands):
        prefix = f"g-{brand.slug}-"
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE slug LIKE %s",
            [prefix.replace("_", r"\_") + "%"],
        )
        have = cursor.fetchone()[0]
        if have >= per_brand:
            continue
        cursor.execute(
            """
            WITH new AS (
                INSERT INTO articles_article (
                    title, slug, summary, body, hero_image, hero_alt, hero_renditions,
                    reviewer_name, last_reviewed, status, publish_at, seo_title,
                    seo_description, created, updated, canonical_brand_id, main_topic_id,
                    proposed, health_governed, language, noindex, social_image,
                    social_image_alt
                )
                SELECT
                    'Explainer ' || n || ': ' || split_part(s1, ' ', 1) || ' and '
                        || lower(split_part(s2, ' ', 1)),
                    %(prefix)s || n,
                    s2,
                    '<h2>What it is</h2><p>' || s1 || ' ' || s2 || '</p>'
                        || '<h2>What helps</h2><p>' || s3 || ' ' || s4 || '</p>'
                        || '<p>' || s1 || '</p>',
                    '', '', '{}'::jsonb,
                    'Dr. Bench', (at - interval '1 day')::date, 'published', at, '', '',
                    at, at, %(brand)s, topic, '{}'::jsonb, false, 'en', false, '', ''
                FROM (
                    SELECT n,
                           -- Every brand publishes in turn, older than the demo articles.
                           now() - interval '400 days'
                               - (n * %(brands)s + %(index)s) * interval '20 minutes' AS at,
                           (%(topics)s::bigint[])[1 + n %% cardinality(%(topics)s::bigint[])]
                               AS topic,
                           (%(sentences)s::text[])[1 + n %% 12] AS s1,
                           (%(sentences)s::text[])[1 + (n / 12) %% 12] AS s2,
                           (%(sentences)s::text[])[1 + (n / 7) %% 12] AS s3,
                           (%(sentences)s::text[])[1 + (n / 5) %% 12] AS s4
                    FROM generate_series(%(first)s, %(last)s) AS n
                ) AS generated
                RETURNING id, canonical_brand_id, main_topic_id
            ),
            on_brand AS (
                INSERT INTO articles_article_brands (article_id, brand_id)
                SELECT id, canonical_brand_id FROM new
            )
            INSERT INTO articles_article_topics (article_id, topic_id)
            SELECT id, main_topic_id FROM new
            """,
            {
                "prefix": prefix,
                "brand": brand.pk,
                "brands": len(brands),
                "index": index,
                "topics": topics,
                "sentences": SENTENCES,
                "first": have + 1,
                "last": per_brand,
            },
        )
        print(brand.slug, per_brand - have, "articles added", flush=True)
        added = True
# Rows inserted without saves: the listing is made again from them, set-based (when
# articles were added, or the listing is new).
if added or not Listing.objects.across_brands().exists():
    print(f"{listing.rebuild():,} listing rows", flush=True)

with connection.cursor() as cursor:
    # What autovacuum does soon after such an import: fresh statistics, and the search
    # index's pending entries merged (until then PostgreSQL plans a search as a scan).
    tables = ("article", "article_brands", "article_topics", "listing")
    for table in (f"articles_{name}" for name in tables):
        cursor.execute(f"VACUUM ANALYZE {table}")
    cursor.execute("SELECT count(*) FROM articles_article")
    print(f"{cursor.fetchone()[0]:,} articles on {len(brands)} brands")
