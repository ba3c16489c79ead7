"""Production settings under gunicorn with two workers and no Redis ("one machine").

Each worker is its own process: anything kept in a process's memory (sessions, rate
limits, cached pages) would disagree between them. These tests talk to the real server
over HTTP, as a browser and staff would, and read what it logged.
"""

import http.client
import re
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from tests.portal.test_settings import STRONG_KEY
from tests.reliability.harness import PYTHON, ROOT, environment, gunicorn, manage

HOST = "ignite.localhost"
DEMO_PASSWORD = "clinic-demo-2026"
# What one patient types: none of it may ever reach a log line.
PATIENT = {
    "name": "Zelda Quixotic-Marsh",
    "email": "zelda.quixotic@example.org",
    "phone": "(213) 555-0199",
    "message": "Nightmares since the accident, private words 7Q3X",
}
PATIENT_TRACES = [
    "Zelda",
    "Quixotic",
    "zelda.quixotic",
    "zelda.quixotic%40example.org",
    "2135550199",
    "555-0199",
    "555%2D0199",
    "Nightmares",
    "7Q3X",
]


class Browser:
    """One visitor: its own cookies (kept even though they are Secure: this is HTTP)."""

    def __init__(self, base: str, host: str = HOST):
        self.netloc = urllib.parse.urlsplit(base).netloc
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(self, method, path, data=None, headers=None):
        connection = http.client.HTTPConnection(self.netloc, timeout=30)
        sent = {"Host": self.host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"https://{self.host}{path}"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ('""', "") or "Max-Age=0" in value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        connection.close()
        return response.status, text, dict(response.getheaders())

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, fields):
        status, page, _ = self.get(path)
        assert status == 200, (path, status, page[:300])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})

    def log_in(self, username):
        status, _, headers = self.post_form(
            "/admin/login/?next=/admin/",
            {"username": username, "password": DEMO_PASSWORD, "next": "/admin/"},
        )
        assert status == 302 and headers["Location"] == "/admin/", status


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Demo data in a fresh SQLite file, then two production workers on it."""
    folder = tmp_path_factory.mktemp("production")
    database = f"sqlite:///{folder / 'portal.sqlite3'}"
    media = folder / "media"
    development = environment(DATABASE_URL=database, MEDIA_ROOT=str(media))
    manage(development, "migrate", "--noinput", "-v0")
    manage(development, "seed_demo")
    production = environment(
        PORTAL_ENV="production",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS=".localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database,
        MEDIA_ROOT=str(media),
        STATIC_ROOT=str(folder / "static"),
        CONSULTATION_RATE_LIMIT="5",
        TASKS_BACKEND="immediate",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="DEBUG",
    )
    # migrate under production settings makes the database cache's table itself.
    manage(production, "migrate", "--noinput", "-v0")
    manage(production, "collectstatic", "--noinput", "-v0")
    log_path = folder / "server.log"
    with gunicorn(production, workers=2, log_path=log_path) as base:
        yield {"base": base, "env": production, "log": log_path}


def location_value(form_page: str) -> str:
    """The first location on the form: a choice, or the hidden only one."""
    found = re.search(r'name="location"[^>]*value="(\d+)"', form_page) or re.search(
        r'<option value="(\d+)"', form_page
    )
    return found[1]


def shell(env, code: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_one_machine_mode_uses_the_database_cache(server):
    code = "from django.core.cache import caches; print(type(caches['default']).__name__)"
    assert shell(server["env"], code).strip() == "DatabaseCache"


def test_a_logged_out_session_is_dead_in_every_worker(server):
    staff = Browser(server["base"])
    staff.log_in("ignite-frontdesk")
    inbox = "/admin/appointments/consultationrequest/"
    for _ in range(10):  # reaches both workers, which may remember the session
        assert staff.get(inbox)[0] == 200
    stolen = dict(staff.cookies)
    index = staff.get("/admin/")[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', index)[1]
    status, _, _ = staff.request("POST", "/admin/logout/", {"csrfmiddlewaretoken": token})
    assert status in (200, 302)
    replay = Browser(server["base"])
    replay.cookies = stolen
    answers = [replay.get(inbox) for _ in range(10)]
    assert [status for status, _, _ in answers] == [302] * 10
    assert all("/admin/login/" in headers["Location"] for _, _, headers in answers)


def test_the_rate_limit_counts_once_across_workers(server):
    base = server["base"]
    statuses = []
    for number in range(7):
        patient = Browser(base)  # a new browser each time, the same address
        page = patient.get("/consultation/")[1]
        fields = {
            "submission_token": re.search(r'name="submission_token" value="([^"]+)"', page)[1],
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[
                1
            ],
            "location": location_value(page),
            "name": f"Limit Patient {number}",
            "email": f"limit{number}@example.org",
            "phone": "+13105550100",
            "contact_method": "phone",
            "slot": "",
            "preference_note": "Any weekday",
            "consent": "on",
        }
        statuses.append(patient.request("POST", "/consultation/", fields)[0])
    assert statuses == [302] * 5 + [429] * 2


def test_an_unpublished_article_is_gone_from_every_worker_at_once(server):
    slug = shell(
        server["env"],
        "from articles.models import Article; "
        "print(Article.objects.live().filter(brands__slug='ignite', hero_image='')[0].slug)",
    ).strip()
    visitor = Browser(server["base"])
    for _ in range(10):  # cached by both workers (through the shared cache)
        assert visitor.get(f"/articles/{slug}/")[0] == 200
    shell(
        server["env"],
        "from articles.models import Article, Status; "
        f"a = Article.objects.get(slug={slug!r}); a.status = Status.DRAFT; a.save()",
    )
    assert [visitor.get(f"/articles/{slug}/")[0] for _ in range(10)] == [404] * 10


def test_hero_images_and_static_files_load_without_anything_in_front(server):
    slug = shell(
        server["env"],
        "from articles.models import Article; print(Article.objects.live()"
        ".filter(brands__slug='ignite').exclude(hero_image='').first().slug)",
    ).strip()
    visitor = Browser(server["base"])
    status, page, _ = visitor.get(f"/articles/{slug}/")
    assert status == 200
    images = re.findall(r'(/media/[^" ]+\.(?:webp|png|jpg|jpeg))', page)
    assert len(images) >= 2, "the explainer shows its hero image and renditions"
    for source in set(images):
        status, _, headers = visitor.get(source)
        assert status == 200, source
        assert headers["Content-Type"].startswith("image/")
        assert "max-age" in headers["Cache-Control"]
    assert visitor.get("/media/../portal.sqlite3")[0] == 404
    assert visitor.get("/media/")[0] == 404


def test_no_log_line_carries_patient_details(server):
    """A patient writes in; staff search for them every way and export: then grep."""
    base = server["base"]
    patient = Browser(base, host="kmd.localhost")  # a brand whose budget is untouched
    status, page, _ = patient.get("/consultation/")
    fields = {
        "submission_token": re.search(r'name="submission_token" value="([^"]+)"', page)[1],
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1],
        "location": location_value(page),
        "contact_method": "email",
        "slot": "",
        "preference_note": "Evenings",
        "consent": "on",
        **PATIENT,
    }
    status, _, _ = patient.request("POST", "/consultation/", fields)
    assert status == 302, status
    reference = re.search(r"KMD-[A-Z0-9]{4}-[A-Z0-9]{2}", patient.get("/consultation/thanks/")[1])[
        0
    ]
    staff = Browser(base, host="kmd.localhost")
    staff.log_in("kmd-frontdesk")
    inbox = "/admin/appointments/consultationrequest/"
    for term in (PATIENT["email"], PATIENT["phone"], PATIENT["name"], "Quixotic"):
        query = urllib.parse.urlencode({"q": term})
        status, page, _ = staff.get(f"{inbox}?{query}")
        assert status == 200 and reference in page, term
        change = re.search(
            r'href="(/admin/appointments/consultationrequest/\d+/change/[^"]*)"', page
        )
        assert staff.get(change[1].replace("&amp;", "&"))[0] == 200
    export = f"{inbox}export/?{urllib.parse.urlencode({'q': PATIENT['email']})}"
    status, csv_text, _ = staff.get(export)
    assert status == 200 and "Zelda" in csv_text
    hostile = urllib.parse.urlencode({"q": f"<script>{PATIENT['phone']}"})
    assert staff.get(f"{inbox}?{hostile}")[0] == 200  # no results, still not logged
    log = Path(server["log"]).read_text()
    assert "GET /admin/appointments/consultationrequest/ HTTP" in log  # it did log
    for trace in PATIENT_TRACES:
        assert trace.lower() not in log.lower(), trace


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Debian's Chromium at {CHROMIUM}")
def test_a_browser_sees_every_image_of_the_explainer_and_the_site(server, tmp_path):
    """Chromium, production settings, gunicorn alone: no broken image, no console error."""
    from playwright.sync_api import sync_playwright

    slug = shell(
        server["env"],
        "from articles.models import Article; print(Article.objects.live()"
        ".filter(brands__slug='kmd').exclude(hero_image='')[0].slug)",
    ).strip()
    port = server["base"].rsplit(":", 1)[1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        try:
            for width in (360, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                failed = []
                page.on("requestfailed", lambda request, failed=failed: failed.append(request.url))
                page.on(
                    "response",
                    lambda response, failed=failed: (
                        response.status >= 400 and failed.append(response.url)
                    ),
                )
                page.goto(f"http://kmd.localhost:{port}/articles/{slug}/")
                page.wait_for_load_state("networkidle")
                hero = page.locator("main img").first
                hero.scroll_into_view_if_needed()
                page.wait_for_function(
                    "img => img.complete && img.naturalWidth > 0", arg=hero.element_handle()
                )
                source = hero.evaluate("img => img.currentSrc")
                assert "/media/" in source
                page.screenshot(path=str(tmp_path / f"explainer-{width}.png"), full_page=False)
                assert failed == []
                page.close()
        finally:
            browser.close()
