"""The portal behind a real caching proxy: Varnish from Debian, with deploy/varnish.vcl.

Staff edit through the admin (through the proxy, as they would behind a CDN); the
portal bans the brand's surrogate key after each save commits, and the very next
anonymous request through the proxy gets the new page. Staff and form pages never
come from the proxy.
"""

import re
import shutil
import subprocess
import time
import urllib.parse
from contextlib import suppress
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.reliability.harness import ROOT, free_port, production_deployment
from tests.reliability.test_production_workers import Browser, demo_article_slug

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
pytestmark = pytest.mark.skipif(
    not Path(VARNISHD).exists(),
    reason="Varnish is not installed (apt-get install varnish); .ci/run installs it",
)
HOST = "ignite.localhost"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("varnish")
    port = free_port()
    with production_deployment(
        folder, CDN_PURGE_BACKEND="http", CDN_PURGE_URLS=f"http://127.0.0.1:{port}/"
    ) as server:
        backend = urllib.parse.urlsplit(server["base"]).port
        vcl = (ROOT / "deploy" / "varnish.vcl").read_text().replace('"8000"', f'"{backend}"')
        (folder / "portal.vcl").write_text(vcl)
        # -j none: run as the test user (the default jail cannot read the temp folder).
        command = [VARNISHD, "-F", "-j", "none", "-n", str(folder / "work")]
        command += ["-a", f"127.0.0.1:{port}", "-f", str(folder / "portal.vcl")]
        process = subprocess.Popen(
            [*command, "-s", "malloc,32m"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                with suppress(OSError):
                    if Browser(base, HOST).get("/healthz")[0] in (200, 503):
                        break
                time.sleep(0.1)
            else:
                pytest.fail(f"varnishd did not start: {process.stderr.read(2000)}")
            yield {**server, "proxy": base}
        finally:
            process.terminate()
            process.wait(timeout=10)


def anonymous(proxy, path):
    status, page, headers = Browser(proxy["proxy"], HOST).get(path)
    return status, page, headers.get("X-Cache")


def cached_twice(proxy, path):
    """Fetch twice through the proxy; return the second answer (which should be a hit)."""
    anonymous(proxy, path)
    return anonymous(proxy, path)


class AdminForm(HTMLParser):
    """Every field of the admin's change form as a browser would send it."""

    def __init__(self, page: str):
        super().__init__()
        self.fields: list[list[str]] = []
        self._select = None
        self._textarea = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append(
                [name, a.get("value") or ("on" if a.get("type") == "checkbox" else "")]
            )
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append([self._select, a.get("value", "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea and self._textarea[1].startswith("\n"):
                self._textarea[1] = self._textarea[1][1:]
            self._textarea = None

    def set(self, name, value):
        for field in self.fields:
            if field[0] == name:
                field[1] = value
                return
        raise KeyError(name)


def edit_in_admin(staff: Browser, path: str, **changes):
    status, page, _ = staff.get(path)
    assert status == 200, (path, status)
    form = AdminForm(page)
    for name, value in changes.items():
        form.set(name, value)
    status, answer, _headers = staff.request("POST", path, [*map(tuple, form.fields)])
    assert status == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer)[:3]


def admin_path(proxy, code: str) -> str:
    from tests.reliability.test_production_workers import shell

    return shell(proxy["env"], code).strip()


def test_admin_edits_show_through_the_proxy_at_once(proxy):
    slug = demo_article_slug(proxy["env"], "ignite", with_hero=False)
    article_id = admin_path(
        proxy, f"from articles.models import Article; print(Article.objects.get(slug={slug!r}).pk)"
    )
    change = f"/admin/articles/article/{article_id}/change/"
    page = f"/articles/{slug}/"
    assert cached_twice(proxy, page)[2] == "HIT"
    assert cached_twice(proxy, "/articles/")[2] == "HIT"

    staff = Browser(proxy["proxy"], HOST)
    staff.log_in("ignite-editor")

    # The summary: a live health article's change waits for its medical approval (the
    # page stays as it was); once approved and put live, every cached copy goes at once.
    edit_in_admin(staff, change, summary="Edited behind the proxy")
    assert "Edited behind the proxy" not in anonymous(proxy, page)[1]
    approved = admin_path(
        proxy,
        "from django.contrib.auth import get_user_model; "
        "from articles import review, services; from articles.models import Article; "
        "from care.models import Clinician; "
        f"article = Article.objects.get(pk={article_id}); "
        "editor = get_user_model().objects.get(username='ignite-editor'); "
        "reviewer = Clinician.objects.get(account__username='ignite-reviewer'); "
        "review.decide(review.send(article, user=editor, clinician=reviewer), approve=True); "
        "services.put_change_live(article, user=editor); print('live')",
    )
    assert approved.endswith("live")
    status, text, state = anonymous(proxy, page)
    assert (status, state) == (200, "MISS") and "Edited behind the proxy" in text
    assert "Edited behind the proxy" in anonymous(proxy, "/articles/")[1]
    assert cached_twice(proxy, page)[2] == "HIT"

    edit_in_admin(staff, change, status="draft")
    assert anonymous(proxy, page)[0] == 404
    assert "Edited behind the proxy" not in anonymous(proxy, "/articles/")[1]

    edit_in_admin(staff, change, status="published")
    status, text, _ = anonymous(proxy, page)
    assert status == 200 and "Edited behind the proxy" in text


def test_hours_edited_in_the_admin_show_through_the_proxy_at_once(proxy):
    location_id = admin_path(
        proxy,
        "from clinic.models import Location; "
        "print(Location.objects.across_brands().filter(brand__slug='ignite')[0].pk)",
    )
    slug = admin_path(
        proxy,
        f"from clinic.models import Location; print(Location.objects.get(pk={location_id}).slug)",
    )
    page = f"/locations/{slug}/"
    assert "11:11" not in cached_twice(proxy, page)[1]

    staff = Browser(proxy["proxy"], HOST)
    staff.log_in("ignite-admin")
    edit_in_admin(
        staff,
        f"/admin/clinic/location/{location_id}/change/",
        **{"opening_hours-0-closes": "11:11"},
    )
    status, text, state = anonymous(proxy, page)
    assert (status, state) == (200, "MISS") and "11:11" in text


def test_staff_and_form_pages_never_come_from_the_proxy(proxy):
    staff = Browser(proxy["proxy"], HOST)
    staff.log_in("ignite-editor")
    for _ in range(2):
        status, _page, headers = staff.get("/admin/")
        assert status == 200 and headers.get("X-Cache") == "MISS"
        status, _page, headers = staff.get("/")
        assert headers.get("X-Cache") == "MISS" and "private" in headers["Cache-Control"]
    patient = Browser(proxy["proxy"], HOST)
    for _ in range(2):
        status, page, headers = patient.get("/consultation/")
        assert status == 200 and headers.get("X-Cache") == "MISS"
    # Each visitor's form carries its own CSRF token: none was shared.
    other = Browser(proxy["proxy"], HOST).get("/consultation/")[1]
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(page)[1] != token.search(other)[1]


def test_a_page_the_browser_holds_is_answered_304_by_the_proxy(proxy):
    """The proxy keeps the page's validator and answers a browser that holds the page
    with 304, from its own store; a browser holding an older page gets the new one."""
    browser = Browser(proxy["proxy"], HOST)
    for path in ("/", "/articles/", "/articles/feed/"):
        browser.get(path)
        status, _page, headers = browser.request("GET", path, headers={"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("ETag"), path
        again = browser.request(
            "GET", path, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]}
        )
        assert again[0] == 304 and again[1] == "" and again[2].get("X-Cache") == "HIT", path
        stale = browser.request("GET", path, headers={"If-None-Match": '"an-older-page"'})
        assert stale[0] == 200 and stale[1], path
