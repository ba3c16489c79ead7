"""Add generated consultation requests to a PostgreSQL bench database (manage.py shell).

``BENCH_REQUESTS`` rows in all, shared equally by the demo brands, made by one
``INSERT ... SELECT`` per brand from ``generate_series``: a million rows in about a
minute instead of an hour of ORM saves. The rows look like a clinic group's inbox after
a few years: most closed, a few new, spread over every location, topic and member of
staff, one request every couple of minutes, names that repeat as real names do.
"""

import os

from django.db import connection

from appointments.references import ALPHABET, prefix_for
from articles.models import Topic
from clinic.models import Brand, BrandMembership, Location

FIRST = [
    "Maria", "James", "Ana", "John", "Sofia", "David", "Lucia", "Michael", "Elena",
    "Robert", "Carmen", "William", "Isabel", "Daniel", "Rosa", "Thomas", "Laura", "Joseph",
    "Marta", "Charles", "Paula", "Jose", "Emma", "Luis", "Olivia", "Carlos", "Ava", "Juan",
    "Mia", "Jorge", "Grace", "Pedro", "Chloe", "Miguel", "Nora", "Diego", "Alice", "Pablo",
    "Ines", "Samuel",
]  # fmt: skip
SYLLABLES_A = [
    "Gar", "Mor", "Hen", "Ro", "Ca", "Al", "Fer", "Mar", "Tor", "Gon", "Ber", "Nav",
    "Wil", "John", "Thom", "And", "Har", "Cla", "Ed", "Rich", "Mc", "Pe", "Sal", "Vi",
    "Dom",
]  # fmt: skip
SYLLABLES_B = [
    "cia", "ales", "son", "nez", "dez", "ra", "ton", "ley", "ing", "er", "ez", "ado",
    "ero", "ins", "well", "man", "ford", "rez", "ton", "quez",
]  # fmt: skip

total = int(os.environ.get("BENCH_REQUESTS", "1000000"))
brands = list(Brand.objects.order_by("pk"))
topics = list(Topic.objects.values_list("pk", flat=True))
statuses = ["completed"] * 12 + ["declined"] * 3 + ["spam", "new", "new", "contacted", "scheduled"]

with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM appointments_consultationrequest")
    have = cursor.fetchone()[0]
    per_brand = max(0, total - have) // len(brands)
    for number, brand in enumerate(brands):
        locations = list(Location.objects.filter(brand=brand).values_list("pk", flat=True))
        staff = list(
            BrandMembership.objects.filter(brand=brand, role__in=["front_desk", "brand_admin"])
            .values_list("user_id", flat=True)
            .distinct()
        )
        area = ["305", "503", "212", "415"][number % 4]
        # A reference like the real ones (KMD-7Q4X-2M), the row number in Crockford's
        # base32 so that every one is unique.
        code = " || ".join(
            f"substr(%(alphabet)s, (((n + %(offset)s) / {32**k}) %% 32)::int + 1, 1)"
            + (" || '-'" if k == 2 else "")
            for k in (5, 4, 3, 2, 1, 0)
        )
        cursor.execute(
            f"""
            INSERT INTO appointments_consultationrequest (
                brand_id, location_id, reference, name, email, phone, contact_method,
                topic_id, preferred_slot, preference_note, message, consent_at,
                privacy_notice_version, client_hash, status, assignee_id, confirmed_slot,
                created, updated, calendar_sequence, cancel_reason
            )
            SELECT
                %(brand)s,
                (%(locations)s::int[])[1 + n %% cardinality(%(locations)s::int[])],
                %(prefix)s || '-' || {code},
                first || ' ' || last,
                lower(first) || '.' || lower(last) || n || '@example.com',
                '+1' || %(area)s || (2000000 + n)::text,
                CASE WHEN n %% 5 = 0 THEN 'email' ELSE 'phone' END,
                CASE WHEN n %% 7 = 0 THEN NULL
                     ELSE (%(topics)s::int[])[1 + n %% cardinality(%(topics)s::int[])] END,
                CASE WHEN n %% 3 = 0 THEN NULL ELSE at + interval '3 days' END,
                CASE WHEN n %% 3 = 0 THEN 'Weekday mornings' ELSE '' END,
                'I would like to know whether this could help me.',
                at, 'v1', md5(n::text), status,
                CASE WHEN n %% 4 = 0 THEN NULL
                     ELSE (%(staff)s::int[])[1 + n %% cardinality(%(staff)s::int[])] END,
                CASE WHEN status = 'scheduled' THEN at + interval '5 days' END,
                at, at,
                CASE WHEN status = 'scheduled' THEN 1 ELSE 0 END, ''
            FROM (
                SELECT n,
                       now() - (n * interval '150 seconds') - interval '1 day' AS at,
                       (%(first)s::text[])[1 + n %% 40] AS first,
                       (%(a)s::text[])[1 + (n / 40) %% 25]
                         || (%(b)s::text[])[1 + (n / 1000) %% 20] AS last,
                       (%(statuses)s::text[])[1 + (n / 3) %% 20] AS status
                FROM generate_series(1, %(rows)s) AS n
            ) AS generated
            """,
            {
                "brand": brand.pk,
                "locations": locations,
                "prefix": prefix_for(brand.slug),
                "alphabet": ALPHABET,
                "offset": 32**5,  # six digits, and apart from the demo's own references
                "area": area,
                "topics": topics,
                "staff": staff,
                "first": FIRST,
                "a": SYLLABLES_A,
                "b": SYLLABLES_B,
                "statuses": statuses,
                "rows": per_brand,
            },
        )
        print(brand.slug, per_brand, "requests added")
    # What autovacuum does soon after such an import: fresh statistics for the planner.
    cursor.execute("VACUUM ANALYZE appointments_consultationrequest")
    cursor.execute("SELECT count(*) FROM appointments_consultationrequest")
    print(cursor.fetchone()[0], "requests in all")
