"""Public pages are ready for a shared HTTP cache (a CDN, Varnish) in front.

Shareable pages say how long a shared cache may keep them (``s-maxage``, never past
the page's own deadline) and carry their brand's surrogate key; everything else is
marked private. After a save commits, the brands it touched are purged through the
configured backend (portal/purge.py).
"""

import json
import re
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from articles.models import Status
from portal import purge
from tests.conftest import HOST_A, client_for
from tests.factories import article, reference_location

NY = ZoneInfo("America/New_York")
# A Monday, 15:00 in New York: the reference location closes at 16:30.
MONDAY_3PM = datetime(2026, 11, 23, 15, tzinfo=NY)


def s_maxage(response) -> int:
    found = re.search(r"s-maxage=(\d+)", response["Cache-Control"])
    assert found, response["Cache-Control"]
    return int(found.group(1))


class TestHeaders:
    def test_an_article_may_be_kept_until_the_clinic_next_opens_or_closes(self, brand_a, settings):
        settings.PAGE_CACHE_SECONDS = 4 * 3600
        reference_location(brand_a)
        article(brand_a, slug="piece")
        with time_machine.travel(MONDAY_3PM, tick=False):
            response = client_for(host=HOST_A).get("/articles/piece/")
        assert response["Cache-Control"].startswith("public, max-age=0, ")
        assert s_maxage(response) == 90 * 60  # 16:30 closing, "Open now" changes then
        assert response["Surrogate-Key"] == f"portal brand-{brand_a.pk}"
        assert response["Cache-Tag"] == f"portal,brand-{brand_a.pk}"

    def test_a_hit_tells_the_time_left_not_the_time_first_stored(self, brand_a, settings):
        settings.PAGE_CACHE_SECONDS = 4 * 3600
        reference_location(brand_a)
        with time_machine.travel(MONDAY_3PM, tick=False):
            first = client_for(host=HOST_A).get("/")
        with time_machine.travel(MONDAY_3PM + timedelta(minutes=30), tick=False):
            again = client_for(host=HOST_A).get("/")
        assert again["X-Page-Cache"] == "hit"
        assert s_maxage(first) - s_maxage(again) == 30 * 60
        assert again["Surrogate-Key"] == first["Surrogate-Key"]

    def test_a_scheduled_article_bounds_how_long_the_lists_may_be_kept(self, brand_a, settings):
        settings.PAGE_CACHE_SECONDS = 3600
        article(brand_a, slug="later", publish_at=MONDAY_3PM + timedelta(minutes=7))
        with time_machine.travel(MONDAY_3PM, tick=False):
            assert s_maxage(client_for(host=HOST_A).get("/articles/")) == 7 * 60

    def test_without_hours_or_schedules_the_configured_age_is_the_limit(self, brand_a, settings):
        settings.PAGE_CACHE_SECONDS = 120
        assert s_maxage(client_for(host=HOST_A).get("/")) == 120

    def test_pages_for_staff_forms_and_errors_are_private(self, brand_a, editor_a):
        draft = article(brand_a, slug="draft", status=Status.DRAFT)
        anonymous = client_for(host=HOST_A)
        staff = client_for(editor_a)
        answers = {
            "staff home": staff.get("/"),
            "preview": staff.get(f"/articles/preview/{draft.pk}/"),
            "form": anonymous.get("/consultation/"),
            "not found": anonymous.get("/no-such-page/"),
            "search": anonymous.get("/articles/?q=sleep"),
            "admin": anonymous.get("/admin/login/"),
        }
        for name, response in answers.items():
            control = response["Cache-Control"]
            assert "s-maxage" not in control and "public" not in control, name
            assert "private" in control or "no-store" in control, name
            assert "Surrogate-Key" not in response, name

    def test_the_theme_keeps_its_year_long_fingerprinted_lifetime(self, brand_a):
        response = client_for(host=HOST_A).get("/theme.css")
        assert "max-age=31536000" in response["Cache-Control"]
        assert response["Surrogate-Key"] == f"portal brand-{brand_a.pk}"

    def test_headers_are_sent_with_the_page_cache_off_too(self, brand_a, settings):
        settings.PAGE_CACHE = False
        response = client_for(host=HOST_A).get("/")
        assert "X-Page-Cache" not in response
        assert s_maxage(response) > 0 and "Surrogate-Key" in response


class FakeCache(BaseHTTPRequestHandler):
    """Records what the portal asks of a shared cache (or of Cloudflare's API)."""

    seen: list = []
    answer = b'{"success": true, "errors": []}'

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self.seen.append((self.command, self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.answer)

    do_BAN = do_POST = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_cache():
    FakeCache.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCache)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    purge.backend.cache_clear()
    yield f"http://127.0.0.1:{server.server_port}", FakeCache.seen
    server.shutdown()
    purge.backend.cache_clear()


class TestPurgeBackends:
    def test_a_save_bans_the_brands_pages_in_every_cache(self, brand_a, settings, fake_cache):
        url, seen = fake_cache
        settings.CDN_PURGE_BACKEND = "http"
        settings.CDN_PURGE_URLS = [url + "/", url + "/second"]
        piece = article(brand_a, slug="piece")
        seen.clear()
        piece.title = "Edited"
        piece.save()
        assert [(method, path) for method, path, _h, _b in seen] == [
            ("BAN", "/"),
            ("BAN", "/second"),
        ]
        assert {headers["Surrogate-Key"] for _m, _p, headers, _b in seen} == {f"brand-{brand_a.pk}"}

    def test_a_shared_topic_purges_every_brand(self, brand_a, settings, fake_cache):
        from tests.factories import topic

        url, seen = fake_cache
        settings.CDN_PURGE_BACKEND = "http"
        settings.CDN_PURGE_URLS = [url]
        sleep = topic("sleep")
        seen.clear()
        sleep.name = "Sleep and rest"
        sleep.save()
        assert [headers["Surrogate-Key"] for _m, _p, headers, _b in seen] == ["portal"]

    def test_cloudflare_is_asked_to_purge_by_tag(self, brand_a, settings, fake_cache):
        url, seen = fake_cache
        settings.CDN_PURGE_BACKEND = "cloudflare"
        settings.CLOUDFLARE_ZONE_ID = "zone123"
        settings.CLOUDFLARE_API_TOKEN = "secret-token"
        settings.CLOUDFLARE_API_URL = url + "/client/v4/zones/{zone}/purge_cache"
        piece = article(brand_a, slug="piece")
        seen.clear()
        piece.save()
        [(method, path, headers, body)] = seen
        assert (method, path) == ("POST", "/client/v4/zones/zone123/purge_cache")
        assert headers["Authorization"] == "Bearer secret-token"
        assert json.loads(body) == {"tags": [f"brand-{brand_a.pk}"]}

    def test_a_failed_purge_is_logged_and_the_save_stands(self, brand_a, settings, caplog):
        settings.CDN_PURGE_BACKEND = "http"
        settings.CDN_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there
        purge.backend.cache_clear()
        piece = article(brand_a, slug="piece")
        piece.title = "Saved anyway"
        piece.save()
        piece.refresh_from_db()
        assert piece.title == "Saved anyway"
        assert "Could not purge" in caplog.text and "secret" not in caplog.text
        purge.backend.cache_clear()

    def test_a_refusal_by_cloudflare_is_reported(self, brand_a, settings, fake_cache, caplog):
        url, _seen = fake_cache
        settings.CDN_PURGE_BACKEND = "cloudflare"
        settings.CLOUDFLARE_ZONE_ID = "zone123"
        settings.CLOUDFLARE_API_TOKEN = "secret-token"
        settings.CLOUDFLARE_API_URL = url + "/{zone}"
        FakeCache.answer = b'{"success": false, "errors": [{"code": 10000}]}'
        try:
            article(brand_a, slug="piece")
        finally:
            FakeCache.answer = b'{"success": true, "errors": []}'
        assert "Could not purge" in caplog.text and "RuntimeError" in caplog.text
        assert "secret-token" not in caplog.text

    @pytest.mark.parametrize(
        "configuration",
        [
            {"CDN_PURGE_BACKEND": "http", "CDN_PURGE_URLS": []},
            {"CDN_PURGE_BACKEND": "http", "CDN_PURGE_URLS": ["varnish:6081"]},
            {"CDN_PURGE_BACKEND": "cloudflare", "CLOUDFLARE_ZONE_ID": ""},
            {"CDN_PURGE_BACKEND": "no.such.Backend"},
        ],
    )
    def test_a_misconfigured_backend_is_refused(self, settings, configuration):
        for name, value in configuration.items():
            setattr(settings, name, value)
        purge.backend.cache_clear()
        with pytest.raises((ImproperlyConfigured, ImportError)):
            purge.backend()
        purge.backend.cache_clear()
