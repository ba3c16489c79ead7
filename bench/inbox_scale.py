"""Server time of the consultation inbox with a million requests on PostgreSQL.

    make bench-scale   (or: .venv/bin/python bench/inbox_scale.py [DATABASE_URL] [--no-record])

The database (postgres://root@127.0.0.1:5432/portal_inbox unless given) is made if
missing and gets the demo data and, once, 1,000,000 generated requests shared by the
demo brands (bench/generate_requests.py; about two minutes). Run it again and the rows
are reused. Each figure is the median of 5 requests through Django's test client in
one process (after one to warm up): what the server spends on the page, for a
front-desk member of one brand and for the group admin of both, the staff dashboard
among them (its "waiting too long" panel reads a backlog of two years). The CSV exports
of 50,000 and 150,000 rows are timed to the first byte and to the end, and the Python
memory they hold at the peak is measured (tracemalloc, on a second run). The figures are
printed and recorded at the top of bench/RESULTS.md with the date and the machine.
"""

import datetime
import os
import sys
from pathlib import Path

import django_commands
import psycopg
from django_commands import manage

ROOT = Path(__file__).resolve().parent.parent
arguments = [argument for argument in sys.argv[1:] if argument != "--no-record"]
url = arguments[0] if arguments else "postgres://root@127.0.0.1:5432/portal_inbox"
server, name = url.rsplit("/", 1)
with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')

env = {
    **os.environ,
    "DATABASE_URL": url,
    "PAGE_CACHE_SECONDS": "0",
    "BACK_OFFICE_HOST": "",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "BENCH_REQUESTS": os.environ.get("BENCH_REQUESTS", "1000000"),
}


def shell(code: str) -> str:
    return django_commands.shell(env, code)


manage(env, "migrate", "--noinput", "-v0")
manage(env, "seed_demo")
# Generating half a million rows in one statement outlasts the web's statement limit.
generating = {**env, "DB_STATEMENT_TIMEOUT": "900"}
print(
    django_commands.shell(generating, (ROOT / "bench/generate_requests.py").read_text()),
    end="",
    flush=True,
)

MEASURE = r"""
import statistics, time, tracemalloc
from datetime import timedelta
from django.utils import timezone
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from appointments.models import ConsultationRequest
from clinic.models import Brand

LIST = "/admin/appointments/consultationrequest/"


def signed_in(username):
    # As after signing in with the password and the authenticator's code.
    user = get_user_model().objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="kmd.localhost")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(client, path):
    client.get(path)
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            answer = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    assert answer.status_code == 200, (path, answer.status_code)
    return statistics.median(times), len(queries)


kmd = Brand.objects.get(slug="kmd")
rows = ConsultationRequest.objects.filter(brand=kmd)
sample = rows.order_by("pk")[rows.count() // 2]  # one from the middle
location = sample.location_id
topic = rows.exclude(topic=None).values_list("topic_id", flat=True).first()
assignee = rows.exclude(assignee=None).values_list("assignee_id", flat=True).first()
surname = sample.name.split()[-1]
today = timezone.localdate()
week_ago, tomorrow = today - timedelta(days=7), today + timedelta(days=1)
pages = [
    ("dashboard", "/admin/"),
    ("first page", LIST),
    ("status: new", f"{LIST}?status__exact=new"),
    ("one location", f"{LIST}?location__id__exact={location}"),
    ("one topic", f"{LIST}?topic__id__exact={topic}"),
    ("one assignee", f"{LIST}?assignee__id__exact={assignee}"),
    ("received: past 7 days", f"{LIST}?created__gte={week_ago}&created__lt={tomorrow}"),
    ("page 200", f"{LIST}?p=200"),
    ("search: reference", f"{LIST}?q={sample.reference}"),
    ("search: phone", f"{LIST}?q={sample.phone.as_national}"),
    ("search: name", f"{LIST}?q={sample.name.replace(' ', '+')}"),
    ("search: surname", f"{LIST}?q={surname}"),
    ("a request's change page", f"{LIST}{sample.pk}/change/"),
]
print(f"{ConsultationRequest.objects.count():,} requests, {rows.count():,} of them K\\MD's")
for username in ("kmd-frontdesk", "group-admin"):
    client = signed_in(username)
    print(f"--- {username}")
    for label, path in pages:
        ms, queries = timed(client, path)
        print(f"{label:<26} {ms:7.1f} ms  {queries:2d} queries")

# Exports of 50,000 and 150,000 rows: first byte, last byte, Python memory at the peak.
client = signed_in("kmd-admin")
for size in (50_000, 150_000):
    ids = list(rows.order_by("-created").values_list("pk", flat=True)[size - 1 : size])
    since = rows.get(pk=ids[0]).created
    path = f"{LIST}export/?created__gte={since.isoformat().replace('+', '%2B')}"
    started = time.perf_counter()
    answer = client.get(path)
    lines = iter(answer.streaming_content)
    next(lines)
    first = (time.perf_counter() - started) * 1000
    count = 1 + sum(chunk.count(b"\n") for chunk in lines)
    total = (time.perf_counter() - started) * 1000
    # Memory on a second run (tracemalloc slows Python down, so not on the timed one).
    tracemalloc.start()
    for _chunk in client.get(path).streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"CSV export of {count - 1:,} rows: first byte {first:.0f} ms, all {total:.0f} ms, "
          f"peak Python memory {peak:.1f} MB")
"""
figures = shell(MEASURE)
print(figures, end="")

# The whole export of 150,000 rows over HTTP from gunicorn with the production timeout
# (30 s): does every row arrive, and how long does it take?
SESSION = r"""
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
user = get_user_model().objects.get(username="kmd-admin")
device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.create()
from appointments.models import ConsultationRequest
rows = ConsultationRequest.objects.filter(brand__slug="kmd").order_by("-created")
since = rows.values_list("created", flat=True)[149_999]
print(settings.SESSION_COOKIE_NAME, session.session_key, since.isoformat())
"""


def export_through_gunicorn() -> str:
    import http.client
    import tempfile
    import time
    import urllib.parse

    sys.path.insert(0, str(ROOT))
    from tests.reliability.harness import environment, gunicorn

    served = environment(DATABASE_URL=url, LOG_LEVEL="WARNING")
    cookie, key, since = shell(SESSION).split()
    path = "/admin/appointments/consultationrequest/export/?created__gte=" + urllib.parse.quote(
        since
    )
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "gunicorn.log"
        with gunicorn(served, workers=2, log_path=log, timeout=30) as base:
            connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=60)
            started = time.perf_counter()
            connection.request(
                "GET", path, headers={"Host": "kmd.localhost", "Cookie": f"{cookie}={key}"}
            )
            answer = connection.getresponse()
            body = answer.read()
            seconds = time.perf_counter() - started
        killed = "WORKER TIMEOUT" in log.read_text()
    lines = body.count(b"\n") - 1
    return (
        f"CSV export of {lines:,} rows over HTTP, gunicorn (sync, timeout 30 s): "
        f"{seconds:.1f} s, status {answer.status}, {len(body) / 2**20:.1f} MB, "
        f"worker {'killed' if killed else 'not killed'}\n"
    )


over_http = export_through_gunicorn()
print(over_http, end="")
figures += over_http


# The figures go to the top of bench/RESULTS.md, dated, with the machine they came from.
if "--no-record" not in sys.argv:
    results = ROOT / "bench/RESULTS.md"
    title, _, rest = results.read_text().partition("\n\n")
    section = (
        f"## {datetime.date.today():%Y-%m-%d}: the inbox at a clinic group's scale "
        f"(bench/inbox_scale.py)\n\n{django_commands.machine(url)}. Server time, median of 5.\n\n"
        f"```\n{figures.strip()}\n```\n"
    )
    results.write_text(f"{title}\n\n{section}\n{rest}")
    print(f"(recorded in {results.relative_to(ROOT)})")
