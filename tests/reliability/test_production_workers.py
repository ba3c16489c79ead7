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

from tests.reliability.harness import PYTHON, ROOT
from tests.two_factor import code_for, key_on

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
        status, _, headers = self.get("/admin/")
        if status == 302 and "/two-factor/set-up/" in headers["Location"]:
            # A role that sees patient data sets up its app at the first sign-in.
            key = key_on(self.get("/admin/two-factor/set-up/")[1])
            status, page, _ = self.post_form(
                "/admin/two-factor/set-up/", {"code": code_for(key), "next": "/admin/"}
            )
            assert status == 200 and "recovery-codes" in page, status
            RECOVERY_CODES[username] = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)
        elif status == 302 and "/two-factor/code/" in headers["Location"]:
            # Signed in before on this server: one of the recovery codes (each works once).
            code = RECOVERY_CODES[username].pop()
            status, _, headers = self.post_form("/admin/two-factor/code/", {"code": code})
            assert status == 302, status


# The recovery codes of each account that set up its app during this run.
RECOVERY_CODES: dict[str, list[str]] = {}


def send_request(patient: "Browser", **typed) -> int:
    """Fetch the consultation form as a browser does, send it with ``typed``; return the
    status of the answer."""
    page = patient.get("/consultation/")[1]
    fields = {
        "submission_token": re.search(r'name="submission_token" value="([^"]+)"', page)[1],
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1],
        "location": location_value(page),
        "slot": "",
        "consent": "on",
        **typed,
    }
    return patient.request("POST", "/consultation/", fields)[0]


def demo_article_slug(env, brand: str, *, with_hero: bool) -> str:
    """The slug of one of ``brand``'s live demo articles, with or without a hero image."""
    choose = ".exclude(hero_image='')" if with_hero else ".filter(hero_image='')"
    return shell(
        env,
        "from articles.models import Article; "
        f"print(Article.objects.live().filter(brands__slug={brand!r}, language='en')"
        f"{choose}[0].slug)",
    ).strip()


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


def test_the_one_machine_mode_uses_a_cache_every_worker_shares(production_server):
    code = "from django.core.cache import caches; print(type(caches['default']).__name__)"
    assert shell(production_server["env"], code).strip() == "SharedFileCache"


def test_a_logged_out_session_is_dead_in_every_worker(production_server):
    staff = Browser(production_server["base"])
    staff.log_in("ignite-frontdesk")
    inbox = "/admin/appointments/consultationrequest/"
    for _ in range(10):  # reaches both workers, which may remember the session
        assert staff.get(inbox)[0] == 200
    stolen = dict(staff.cookies)
    index = staff.get("/admin/")[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', index)[1]
    status, _, _ = staff.request("POST", "/admin/logout/", {"csrfmiddlewaretoken": token})
    assert status in (200, 302)
    replay = Browser(production_server["base"])
    replay.cookies = stolen
    answers = [replay.get(inbox) for _ in range(10)]
    assert [status for status, _, _ in answers] == [302] * 10
    assert all("/admin/login/" in headers["Location"] for _, _, headers in answers)


def test_the_rate_limit_counts_once_across_workers(production_server):
    base = production_server["base"]
    statuses = []
    for number in range(7):
        patient = Browser(base)  # a new browser each time, the same address
        status = send_request(
            patient,
            name=f"Limit Patient {number}",
            email=f"limit{number}@example.org",
            phone="+13105550100",
            contact_method="phone",
            preference_note="Any weekday",
        )
        statuses.append(status)
    assert statuses == [302] * 5 + [429] * 2


def test_an_unpublished_article_is_gone_from_every_worker_at_once(production_server):
    slug = demo_article_slug(production_server["env"], "ignite", with_hero=False)
    visitor = Browser(production_server["base"])
    for _ in range(10):  # cached by both workers (through the shared cache)
        assert visitor.get(f"/articles/{slug}/")[0] == 200
    shell(
        production_server["env"],
        "from articles.models import Article, Status; "
        f"a = Article.objects.get(slug={slug!r}); a.status = Status.DRAFT; a.save()",
    )
    assert [visitor.get(f"/articles/{slug}/")[0] for _ in range(10)] == [404] * 10


def test_hero_images_and_static_files_load_without_anything_in_front(production_server):
    slug = demo_article_slug(production_server["env"], "ignite", with_hero=True)
    visitor = Browser(production_server["base"])
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


def test_no_log_line_carries_patient_details(production_server):
    """A patient writes in; staff search for them every way and export: then grep."""
    base = production_server["base"]
    patient = Browser(base, host="kmd.localhost")  # a brand whose budget is untouched
    status = send_request(patient, contact_method="email", preference_note="Evenings", **PATIENT)
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
    log = Path(production_server["log"]).read_text()
    assert "GET /admin/appointments/consultationrequest/ HTTP" in log  # it did log
    for trace in PATIENT_TRACES:
        assert trace.lower() not in log.lower(), trace
