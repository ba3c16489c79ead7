"""Server time of the public article pages at 100 and at 10,000 articles per brand.

    make bench-scale   (or: .venv/bin/python bench/public_scale.py [SERVER_URL] [--no-record])

Two PostgreSQL databases on the server (postgres://root@127.0.0.1:5432 unless given),
``portal_public_100`` and ``portal_public_10000``, are made if missing and get the demo
data, 48 more brands (50 in all) and that many generated articles per brand
(bench/generate_public.py; the large one, 500,000 articles, takes a few minutes once
and is reused). On each, K\\MD's pages are requested through Django's test client in
one process with no page cache: the median of 9 after one to warm up, the two sizes in turn
three times (the median of the three), and the queries
each page ran. Issue 16 asks for the same query count and at most 20 % more time at
10,000 articles per brand. The figures are printed and recorded at the top of
bench/RESULTS.md with the date and the machine.
"""

import datetime
import json
import os
import statistics
import sys
from pathlib import Path

import django_commands
import psycopg
import small_cache
from django_commands import manage

ROOT = Path(__file__).resolve().parent.parent
SIZES = (100, 10_000)
arguments = [argument for argument in sys.argv[1:] if argument != "--no-record"]
server = (arguments[0] if arguments else "postgres://root@127.0.0.1:5432").rstrip("/")

MEASURE = r"""
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from articles.models import Article
from articles.sitemaps import ArticleSitemap
from clinic.models import Brand

per_brand = int(__import__("os").environ["BENCH_ARTICLES"])
middle = f"g-kmd-{per_brand // 2}"
files = ArticleSitemap(Brand.objects.get(slug="kmd")).paginator.num_pages
pages = [
    ("article list", "/articles/"),
    ("article list, page 5", "/articles/?page=5"),
    ("topic page", "/articles/topic/ptsd/"),
    ("article (a demo one)", "/articles/can-ketamine-infusion-therapy-help-treat-ptsd/"),
    ("article (a generated one)", f"/articles/{middle}/"),
    ("search: a word of 1 article", "/articles/search/?q=nightmares"),
    ("search: words of many", "/articles/search/?q=paced+breathing"),
    ("home page", "/"),
    ("locations", "/locations/"),
    ("a location", "/locations/brickell/"),
    ("a treatment", "/treatments/ketamine-infusion-series/"),
    ("a clinician", "/clinicians/luis-serrano/"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap: the site's pages", "/sitemap-site.xml"),
    ("sitemap: articles, first", "/sitemap-articles-1.xml"),
    ("sitemap: articles, middle", f"/sitemap-articles-{(files + 1) // 2}.xml"),
]
client = Client(HTTP_HOST="kmd.localhost")
figures = {}
for label, path in pages:
    client.get(path)
    times = []
    for _ in range(9):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            answer = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    assert answer.status_code == 200, (path, answer.status_code)
    figures[label] = [statistics.median(times), len(queries)]
counts = {"articles": Article.objects.count(), "brands": Brand.objects.count()}
print(json.dumps({**counts, "pages": figures}))
"""


def database(per_brand: int) -> dict:
    """The environment of the bench database with ``per_brand`` articles a brand."""
    name = f"portal_public_{per_brand}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{server}/{name}",
        "PAGE_CACHE_SECONDS": "0",
        "SEARCHES_PER_MINUTE": "100000000",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "BENCH_BRANDS": "50",
        "BENCH_ARTICLES": str(per_brand),
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    django_commands.shell(env, (ROOT / "bench/generate_public.py").read_text())
    return env


environments = {size: database(size) for size in SIZES}
# The two sizes in turn, ROUNDS times: a machine whose speed drifts over minutes (a
# shared one's does, by 50 % and more) then weighs on both alike. Each page's figure is
# the median of its rounds' medians.
ROUNDS = 3
rounds = {size: [] for size in SIZES}
for _ in range(ROUNDS):
    for size in SIZES:
        rounds[size].append(json.loads(django_commands.shell(environments[size], MEASURE)))


def combined(measured: list[dict]) -> dict:
    pages = {
        label: [
            statistics.median(one["pages"][label][0] for one in measured),
            measured[-1]["pages"][label][1],
        ]
        for label in measured[0]["pages"]
    }
    return {**measured[-1], "pages": pages}


small, large = (combined(rounds[size]) for size in SIZES)
lines = [
    f"{large['brands']} brands; {small['articles']:,} and {large['articles']:,} articles "
    f"(K\\MD's pages; time and queries per page)",
    f"{'':30} {'100 a brand':>17} {'10,000 a brand':>17}  change",
]
for label, (ms_small, q_small) in small["pages"].items():
    ms_large, q_large = large["pages"][label]
    change = (ms_large - ms_small) / ms_small * 100
    lines.append(
        f"{label:<30} {ms_small:6.1f} ms {q_small:2d} q {ms_large:8.1f} ms {q_large:2d} q  "
        f"{change:+5.0f} %"
    )
print("\n".join(lines), flush=True)
lines += [
    "",
    *small_cache.measure(environments[SIZES[-1]]["DATABASE_URL"], brands=50, per_brand=SIZES[-1]),
]
figures = "\n".join(lines)
print("\n".join(lines[-5:]))

if "--no-record" not in sys.argv:
    results_file = ROOT / "bench/RESULTS.md"
    title, _, rest = results_file.read_text().partition("\n\n")
    section = (
        f"## {datetime.date.today():%Y-%m-%d}: public pages at a clinic group's scale "
        f"(bench/public_scale.py)\n\n{django_commands.machine(server + '/postgres')}. "
        f"Server time through Django's test client, nothing cached: the median of 9 "
        f"requests, {ROUNDS} rounds taking the two sizes in turn, the median of the rounds; then "
        "throughput under gunicorn with a page cache too small for the group."
        f"\n\n```\n{figures}\n```\n"
    )
    results_file.write_text(f"{title}\n\n{section}\n{rest}")
    print(f"(recorded in {results_file.relative_to(ROOT)})")
