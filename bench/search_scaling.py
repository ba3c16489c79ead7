"""Server time of search and the sitemap at about 100 and 10,000 articles of one brand.

    .venv/bin/python bench/search_scaling.py sqlite:////tmp/search.sqlite3
    .venv/bin/python bench/search_scaling.py postgres://root@127.0.0.1:5432/portal_search

The database must be empty (or new); it gets the demo data and generated articles
(bench/generate_articles.py). Each figure is the median of 9 requests through Django's
test client in one process, with no page cache: what a server spends on the page.
"""

import os
import subprocess
import sys
from pathlib import Path

from django_commands import manage

ROOT = Path(__file__).resolve().parent.parent


url = sys.argv[1]
env = {
    **os.environ,
    "DATABASE_URL": url,
    "PAGE_CACHE_SECONDS": "0",
    "SEARCHES_PER_MINUTE": "100000000",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}
manage(env, "migrate", "--noinput", "-v0")
manage(env, "seed_demo")
gen = (ROOT / "bench/generate_articles.py").read_text()
code = r"""
import statistics, time
from django.test import Client
from django.db import connection, reset_queries
from django.conf import settings
c = Client(HTTP_HOST="kmd.localhost")
out = []
paths = (
    "/articles/search/?q=insomnia",  # a word of two demo articles
    "/articles/search/?q=ketamine",  # a word of every article: all are ranked
    "/articles/search/?q=ketamine&page=50",
    "/sitemap.xml",
    "/sitemap-articles-1.xml",
)
for path in paths:
    c.get(path)
    times = []
    for _ in range(9):
        t = time.perf_counter(); r = c.get(path); times.append((time.perf_counter()-t)*1000)
    assert r.status_code == 200, (path, r.status_code)
    out.append(f"{path:<40} {statistics.median(times):7.1f} ms")
print("\n".join(out))
"""
for add in (100, 9900):
    e = {**env, "BENCH_ADD": str(add)}
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "--no-imports", "-c", gen],
        cwd=ROOT,
        env=e,
        check=True,
        capture_output=True,
    )
    r = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    print(f"--- {url.split(':')[0]} with about {100 if add == 100 else 10000} generated articles")
    print(r.stdout, r.stderr[-2000:])
