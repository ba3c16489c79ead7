"""Anonymous public pages come from a shared cache that is never stale."""

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from articles.models import Status
from clinic.models import OpeningHours
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article, reference_location
from tests.portal.test_settings import STRONG_KEY, run_django

NY = ZoneInfo("America/New_York")


def fetch(path="/", host=HOST_A, client=None):
    response = (client or client_for(host=host)).get(path)
    return response, response.get("X-Page-Cache")


def test_a_second_visit_is_served_from_the_cache_without_queries(
    brand_a, django_assert_num_queries
):
    article(brand_a, slug="piece")
    first, state = fetch("/articles/piece/")
    assert state == "miss"
    with django_assert_num_queries(0):
        second, state = fetch("/articles/piece/")
    assert state == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Host" in second["Vary"]


def test_each_brand_and_url_has_its_own_entry(brand_a, brand_b):
    a, _ = fetch("/", HOST_A)
    b, _ = fetch("/", HOST_B)
    assert b"Alpha Wellness" in a.content and b"Beta Infusion Center" in b.content
    a_again, state = fetch("/", HOST_A)
    assert state == "hit" and a_again.content == a.content
    assert fetch("/articles/?page=2", HOST_A)[1] == "miss"
    assert fetch("/articles/?page=2", HOST_A)[1] == "hit"


@pytest.mark.parametrize(
    "query",
    ["?evict=1", "?page=2&evict=1", "?page=abc", "?page=1234567", "?page=1&page=2", "?q=sleep"],
)
def test_junk_query_strings_are_rendered_but_never_stored(brand_a, query):
    """Endless variants of one URL must not be able to fill the cache."""
    from django.core.cache import cache

    def pages_stored():
        return sum(":pagecache:" in key and "generation" not in key for key in cache._cache)

    fetch("/articles/")
    stored = pages_stored()
    response, state = fetch(f"/articles/{query}")
    assert response.status_code in (200, 404) and state is None
    assert fetch(f"/articles/{query}")[1] is None
    assert pages_stored() == stored == 1


def test_staff_and_forms_are_never_served_from_the_cache(brand_a, editor_a):
    staff = client_for(editor_a)
    staff.get("/")
    assert fetch("/", client=staff)[1] is None
    for path in ("/consultation/", "/consultation/thanks/", "/admin/login/"):
        fetch(path)
        assert fetch(path)[1] is None, path


def test_drafts_previews_and_errors_are_not_cached(brand_a, editor_a):
    draft = article(brand_a, slug="draft", status=Status.DRAFT)
    fetch(f"/articles/preview/{draft.pk}/", client=client_for(editor_a))
    assert fetch("/no-such-page/")[1] is None
    assert fetch("/no-such-page/")[0].status_code == 404


class TestInvalidation:
    def test_publishing_editing_and_unpublishing_show_at_once(self, brand_a):
        item = article(brand_a, slug="news", title="First title", status=Status.DRAFT)
        assert b"First title" not in fetch("/articles/")[0].content
        item.status = Status.PUBLISHED
        item.save()
        assert b"First title" in fetch("/articles/")[0].content
        fetch("/articles/news/")
        item.title = "Second title"
        item.save()
        assert b"Second title" in fetch("/articles/news/")[0].content
        item.status = Status.DRAFT
        item.save()
        assert fetch("/articles/news/")[0].status_code == 404
        assert b"Second title" not in fetch("/articles/")[0].content

    def test_adding_a_brand_to_an_article_shows_it_there(self, brand_a, brand_b):
        item = article(brand_a, slug="shared")
        assert b"shared" not in fetch("/articles/", HOST_B)[0].content
        item.brands.add(brand_b)
        assert b"/articles/shared/" in fetch("/articles/", HOST_B)[0].content

    def test_hours_and_brand_settings_edits_show_at_once(self, brand_a):
        place = reference_location(brand_a)
        with time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=NY), tick=False):
            assert b"Closed" in fetch("/")[0].content
            OpeningHours.objects.create(location=place, weekday=5, opens=time(9), closes=time(12))
            assert b"Open now" in fetch("/")[0].content
            brand_a.tagline = "A brand new banner"
            brand_a.save()
            assert b"A brand new banner" in fetch("/")[0].content


class TestLifetimes:
    def test_the_open_now_line_changes_on_the_minute_without_any_save(self, brand_a):
        reference_location(brand_a)
        with time_machine.travel(datetime(2026, 11, 23, 16, 29, tzinfo=NY), tick=False):
            assert b"Open now" in fetch("/")[0].content
            assert fetch("/")[1] == "hit"
        with time_machine.travel(datetime(2026, 11, 23, 16, 30, tzinfo=NY), tick=False):
            response, state = fetch("/")
        assert state == "miss"
        assert b"Closed" in response.content

    def test_a_scheduled_article_appears_on_time_on_cached_pages(self, brand_a):
        at = datetime(2026, 12, 1, 9, tzinfo=timezone.get_current_timezone())
        with time_machine.travel(at - timedelta(hours=1), tick=False):
            article(brand_a, slug="scheduled", publish_at=at)
            assert b"scheduled" not in fetch("/articles/")[0].content
            assert fetch("/articles/")[1] == "hit"
        with time_machine.travel(at, tick=False):
            assert b"/articles/scheduled/" in fetch("/articles/")[0].content

    def test_pages_are_kept_at_most_the_configured_time(self, brand_a, settings):
        settings.PAGE_CACHE_SECONDS = 60
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            fetch("/")
            assert fetch("/")[1] == "hit"
        with time_machine.travel(now + timedelta(seconds=61), tick=False):
            assert fetch("/")[1] == "miss"


def test_the_page_cache_is_shared_through_redis(redis_cache, brand_a):
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "ResilientRedisCache"
    assert fetch("/")[1] == "miss"
    caches["default"].close()  # as if the next request reached another app server
    assert fetch("/")[1] == "hit"


@pytest.mark.slow
def test_production_static_files_are_fingerprinted_and_compressed(tmp_path):
    result = run_django(
        "collectstatic",
        "--noinput",
        "-v0",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="clinic.example",
        STATIC_ROOT=str(tmp_path),
        timeout=900,  # compressing every static file twice; slow on a busy machine
    )
    assert result.returncode == 0, result.stderr[-2000:]
    css = list((tmp_path / "css").glob("portal.*.css"))
    assert css, "no fingerprinted portal.css"
    assert Path(f"{css[0]}.gz").exists() and Path(f"{css[0]}.br").exists()


class TestContentCache:
    """With whole-page caching off, article data is still reused until content changes."""

    @pytest.fixture(autouse=True)
    def _pages_off(self, settings):
        settings.PAGE_CACHE = False

    def test_an_article_page_needs_no_article_query_the_second_time(
        self, brand_a, django_assert_max_num_queries
    ):
        reference_location(brand_a)
        article(brand_a, slug="piece", title="Cached piece")
        client = client_for(host=HOST_A)
        client.get("/articles/piece/")
        with django_assert_max_num_queries(0):
            assert b"Cached piece" in client.get("/articles/piece/").content

    def test_an_edit_is_seen_at_once(self, brand_a):
        item = article(brand_a, slug="piece", title="Old title")
        fetch("/articles/piece/")
        item.title = "New title"
        item.save()
        assert b"New title" in fetch("/articles/piece/")[0].content

    def test_a_scheduled_article_joins_the_lists_on_time(self, brand_a):
        at = datetime(2026, 12, 1, 9, tzinfo=timezone.get_current_timezone())
        with time_machine.travel(at - timedelta(hours=1), tick=False):
            article(brand_a, slug="old-news")
            article(brand_a, slug="scheduled", publish_at=at)
            assert b"/articles/scheduled/" not in fetch("/articles/old-news/")[0].content
        with time_machine.travel(at, tick=False):
            page = fetch("/articles/old-news/")[0].content
        assert b"/articles/scheduled/" in page  # in "Recent posts" on the minute

    def test_a_missing_article_stays_missing_and_then_appears(self, brand_a):
        assert fetch("/articles/later/")[0].status_code == 404
        article(brand_a, slug="later")
        assert fetch("/articles/later/")[0].status_code == 200


def test_cached_words_and_content_are_kept_per_language(brand_a):
    """Spanish pages must never be served words cached in English, or the reverse."""
    from django.test import RequestFactory
    from django.utils import translation

    from clinic.opening import _words, opening_of
    from portal.pagecache import cached_content

    request = RequestFactory().get("/", HTTP_HOST=HOST_A)
    request.brand = brand_a
    built = []
    for language in ("en", "es", "en"):
        with translation.override(language):
            cached_content(request, "piece", lambda lang=language: built.append(lang) or lang)
    assert built == ["en", "es"]  # English built once and reused; Spanish built apart

    place = reference_location(brand_a)
    _words.cache_clear()
    moment = datetime(2026, 11, 23, 9, tzinfo=NY)
    for language in ("en", "es", "en"):
        with translation.override(language):
            opening_of(place, moment)
    assert _words.cache_info().misses == 2 and _words.cache_info().hits == 1


class TestRetiringOneBrandAtATime:
    """A save in one clinic retires only the pages that show it."""

    def warm(self):
        for host in (HOST_A, HOST_B):
            fetch("/articles/", host)
            assert fetch("/articles/", host)[1] == "hit"

    def test_an_article_of_one_brand_leaves_the_other_brands_pages_cached(self, brand_a, brand_b):
        piece = article(brand_a, slug="piece")
        self.warm()
        piece.title = "Edited"
        piece.save()
        assert fetch("/articles/", HOST_A)[1] == "miss"
        assert fetch("/articles/", HOST_B)[1] == "hit"

    def test_sharing_an_article_with_another_brand_retires_that_brand_too(self, brand_a, brand_b):
        piece = article(brand_a, slug="piece")
        self.warm()
        piece.brands.add(brand_b)
        assert fetch("/articles/", HOST_A)[1] == "miss"
        assert fetch("/articles/", HOST_B)[1] == "miss"
        assert b"Piece" in fetch("/articles/", HOST_B)[0].content

    def test_hours_of_one_location_retire_only_its_brand(self, brand_a, brand_b):
        place = reference_location(brand_a)
        self.warm()
        OpeningHours.objects.filter(location=place).first().delete()
        assert fetch("/articles/", HOST_A)[1] == "miss"
        assert fetch("/articles/", HOST_B)[1] == "hit"

    def test_shared_topics_retire_every_brand(self, brand_a, brand_b):
        from articles.models import Topic

        piece = article(brand_a, slug="piece")
        self.warm()
        Topic.objects.filter(articles=piece).update(name_en="Renamed")  # .update(): no signal
        topic = Topic.objects.get(articles=piece)
        topic.save()
        assert fetch("/articles/", HOST_A)[1] == "miss"
        assert fetch("/articles/", HOST_B)[1] == "miss"

    def test_a_deleted_article_retires_every_brand_it_might_have_been_on(self, brand_a, brand_b):
        piece = article(brand_a, brand_b, slug="piece")
        self.warm()
        piece.delete()
        assert fetch("/articles/", HOST_A)[1] == "miss"
        assert fetch("/articles/", HOST_B)[1] == "miss"

    def test_taking_an_article_off_a_brand_retires_that_brands_pages(self, brand_a, brand_b):
        piece = article(brand_a, brand_b, slug="piece")
        self.warm()
        assert b"/articles/piece/" in fetch("/articles/", HOST_B)[0].content
        piece.brands.remove(brand_b)
        # The article no longer names brand B: B's pages still must go (the brands the
        # relation lost, not only those it keeps).
        assert fetch("/articles/", HOST_B)[1] == "miss"
        assert b"/articles/piece/" not in fetch("/articles/", HOST_B)[0].content
        assert fetch("/articles/", HOST_A)[1] == "miss"
