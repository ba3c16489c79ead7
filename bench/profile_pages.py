"""Where a public page's time goes when nothing is cached.

    make bench-profile   (or: .venv/bin/python bench/profile_pages.py [--no-record])

Prepares the same database as ``make bench`` (production settings, the demo data and
1,000 generated articles on SQLite, no page cache) and renders K\\MD's page types and
the consultation form through Django's test client in one process. For each page it
prints the server time (median of 15 after warming up), the queries, and the share of
the time in each part of the stack, from cProfile's own-time of every function:

- templates: Django's template engine (parsing is cached; this is rendering);
- forms: Django's forms and widgets, and crispy-forms' layout;
- ORM: building queries and turning rows into objects;
- database: the SQLite driver's own time;
- project: the portal's own modules;
- other: Python's library, middleware packages and the rest.

Then the portal's own functions with the most time under them (cumulative), so a
change knows where to look. Recorded at the top of bench/RESULTS.md unless
--no-record.
"""

import datetime
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

import django_commands
from run import env_for, manage

ROOT = Path(__file__).resolve().parent.parent

MEASURE = r"""
import cProfile, json, pstats, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from articles.models import Article, Topic
from care.models import Clinician, Treatment
from clinic.models import Brand, Location

brand = Brand.objects.get(slug="kmd")
treatment = Treatment.objects.filter(brand=brand).order_by("order", "pk").first()
clinician = Clinician.objects.filter(brands=brand).order_by("order", "pk").first()
place = Location.objects.filter(brand=brand).order_by("order", "pk").first()
topic = Topic.objects.filter(articles__brands=brand).distinct().order_by("pk").first()
pages = {
    "home": "/",
    "article": "/articles/can-ketamine-infusion-therapy-help-treat-ptsd/",
    "article list": "/articles/",
    "topic": f"/articles/topic/{topic.slug}/",
    "search": "/articles/search/?q=sleep",
    "treatment": f"/treatments/{treatment.slug}/",
    "clinician": f"/clinicians/{clinician.slug}/",
    "locations": "/locations/",
    "location": f"/locations/{place.slug}/",
    "faq": "/faq/",
    "consultation form": "/consultation/",
    "sitemap index": "/sitemap.xml",
    "sitemap, site": "/sitemap-site.xml",
    "sitemap, articles": "/sitemap-articles-1.xml",
}
PARTS = [
    ("templates", ("/django/template/", "/django/templatetags/", "/django/utils/html.py",
                   "/django/utils/safestring.py")),
    ("forms", ("/django/forms/", "/crispy_forms/", "/crispy_bootstrap5/")),
    ("database", ("SQLiteCursorWrapper", "sqlite3", "psycopg")),
    ("ORM", ("/django/db/",)),
    ("URLs, i18n", ("/django/urls/", "/django/utils/translation/", "/asgiref/")),
    ("project", tuple(f"{ROOT}/{app}/" for app in
        ("articles", "appointments", "care", "clinic", "pages", "portal", "staff", "outbox"))),
]

PART_NAMES = [name for name, _ in PARTS] + ["other"]

def part_of(filename):
    for name, markers in PARTS:
        if any(marker in filename for marker in markers):
            return name
    return "other"

client = Client(HTTP_HOST="kmd.localhost")
figures = {}
for label, path in pages.items():
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(15):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries)  # now: the next request empties the log
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(10):
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile).stats
    shares, total = {}, 0.0
    whole = max(entry[3] for entry in stats.values())
    own = []
    for (filename, line, function), (_, _, own_time, cumulative, callers) in stats.items():
        total += own_time
        if filename == "~" and not part_of(function) == "database":
            # A built-in (getattr, str.join ...) works for whoever called it.
            for (caller_file, _, caller_function), timing in callers.items():
                part = part_of(caller_function if caller_file == "~" else caller_file)
                shares[part] = shares.get(part, 0.0) + timing[2]
            continue
        part = part_of(function if filename == "~" else filename)
        shares[part] = shares.get(part, 0.0) + own_time
        # The chain every request passes (middleware, the view itself) is left out of
        # the list: what is wanted is what inside the page costs.
        if part == "project" and cumulative < 0.8 * whole:
            name = f"{filename.removeprefix(ROOT + '/')}:{line} {function}"
            own.append((cumulative, name))
    own.sort(reverse=True)
    figures[label] = {
        "ms": statistics.median(times),
        "queries": query_count,
        "shares": {name: 100 * shares.get(name, 0.0) / total for name in PART_NAMES},
        "top": [[100 * cumulative / whole, name] for cumulative, name in own[:6]],
    }
print(json.dumps({"articles": Article.objects.count(), "pages": figures}))
"""


def main():
    workdir = Path(tempfile.mkdtemp(prefix="portal-profile-"))
    env = {**env_for(workdir), "PAGE_CACHE_SECONDS": "0"}
    try:
        print(f"Preparing {workdir} (demo data and 1,000 generated articles) ...", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--allow-production")
        manage(env, "collectstatic", "--noinput", "-v0")
        generator = (ROOT / "bench/generate_articles.py").read_text()
        manage(env, "shell", "--no-imports", "-c", generator, extra_env={"BENCH_ADD": "1000"})
        code = f"ROOT = {str(ROOT)!r}\n{MEASURE}"
        result = json.loads(django_commands.shell(env, code).strip().splitlines()[-1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    parts = ["templates", "forms", "ORM", "database", "URLs, i18n", "project", "other"]
    lines = [
        f"{result['articles']:,} articles; K\\MD's pages, no cache; server time (median of 15), "
        "queries, and the share of profiled time in each part",
        f"{'':18} {'ms':>6} {'q':>3}  " + " ".join(f"{p:>10}" for p in parts),
    ]
    for label, page in result["pages"].items():
        shares = " ".join(f"{page['shares'][p]:9.0f}%" for p in parts)
        lines.append(f"{label:<18} {page['ms']:6.1f} {page['queries']:3d}  {shares}")
    lines.append("")
    lines.append("The portal's own functions with the most time under them (% of the page):")
    for label, page in result["pages"].items():
        lines.append(f"{label}:")
        lines.extend(f"  {share:5.1f} %  {name}" for share, name in page["top"])
    figures = "\n".join(lines)
    print(figures)

    if "--no-record" not in sys.argv:
        results_file = ROOT / "bench/RESULTS.md"
        title, _, rest = results_file.read_text().partition("\n\n")
        cpu = django_commands.cpu_name()
        section = (
            f"## {datetime.date.today():%Y-%m-%d}: where a page's time goes "
            f"(bench/profile_pages.py)\n\n{os.cpu_count()} cores ({cpu}), SQLite, "
            f"Python {platform.python_version()}.\n\n```\n{figures}\n```\n"
        )
        results_file.write_text(f"{title}\n\n{section}\n{rest}")
        print(f"(recorded in {results_file.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
