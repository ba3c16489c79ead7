"""What patients see of articles on each brand's site."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article, Status
from portal.text import without_controls
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article, topic
from tests.sitemaps import sitemap_lastmods, sitemap_text, sitemap_urls

ATOM = "{http://www.w3.org/2005/Atom}"


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def get(path, host=HOST_A):
    return client_for(host=host).get(path)


@pytest.fixture
def sleep_article(brand_a):
    return article(
        brand_a,
        slug="can-ketamine-help-sleep",
        title="Can ketamine therapy help you sleep?",
        body=(
            "<p>Intro words.</p><h2>What it is</h2><p>" + "word " * 450 + "</p>"
            "<h3>Before</h3><p>x</p><h2>Risks &amp; side effects</h2><p>y</p>"
        ),
        topics=("sleep", "depression"),
    )


class TestDetail:
    # Within a year of its review (1 Oct 2026), so the page credits it as current.
    @pytest.mark.time_machine(datetime(2026, 12, 1, 12, tzinfo=UTC), tick=False)
    def test_the_article_page_carries_everything_a_reader_needs(self, sleep_article):
        soup = soup_of(get("/articles/can-ketamine-help-sleep/"))
        assert soup.title.get_text() == "Can ketamine therapy help you sleep? · Alpha Wellness"
        assert soup.h1.get_text() == "Can ketamine therapy help you sleep?"
        toc = [(a.get_text(), a["href"]) for a in soup.select(".toc a")]
        assert toc == [
            ("What it is", "#what-it-is"),
            ("Before", "#before"),
            ("Risks & side effects", "#risks-side-effects"),
        ]
        for _, href in toc:
            assert soup.find(id=href[1:]) is not None
        meta = soup.select_one(".article-meta").get_text(" ", strip=True)
        assert "3 minute read" in meta
        assert soup.select_one(".reviewed-by").get_text() == (
            "Medically reviewed by Dr. Test Reviewer, MD on October 1, 2026"
        )
        assert "not a diagnosis" in soup.select_one(".disclaimer").get_text()

    def test_share_links_are_plain_links(self, sleep_article):
        soup = soup_of(get("/articles/can-ketamine-help-sleep/"))
        links = {a["class"][0]: a["href"] for a in soup.select(".share a")}
        page = "http://brand-a.localhost/articles/can-ketamine-help-sleep/"
        assert links["share-email"].startswith("mailto:?")
        assert parse_qs(urlsplit(links["share-facebook"]).query)["u"] == [page]
        assert parse_qs(urlsplit(links["share-x"]).query)["url"] == [page]
        assert parse_qs(urlsplit(links["share-linkedin"]).query)["url"] == [page]
        assert links["share-copy"] == page
        scripts = [s.get("src") for s in soup.find_all("script") if s.get("src")]
        assert all(src.startswith("/static/") for src in scripts)

    def test_the_closing_call_to_action_prefills_topic_and_article(self, sleep_article):
        soup = soup_of(get("/articles/can-ketamine-help-sleep/"))
        cta = soup.select_one(".closing-cta")
        link = cta.find("a", string="Request a consultation")
        query = parse_qs(urlsplit(link["href"]).query)
        assert urlsplit(link["href"]).path == "/consultation/"
        # The main topic (the first one the editor gave) is pre-selected.
        assert query == {"topic": ["sleep"], "article": ["can-ketamine-help-sleep"]}

    def test_recent_and_related_posts_come_from_the_same_brand(
        self, brand_a, brand_b, sleep_article
    ):
        article(brand_a, slug="depression-basics", topics=("depression",))
        article(brand_a, slug="pain-basics", topics=("chronic-pain",))
        article(brand_b, slug="beta-sleep", topics=("sleep",))
        soup = soup_of(get("/articles/can-ketamine-help-sleep/"))
        recent = [a["href"] for a in soup.select(".recent-posts a")]
        related = [a["href"] for a in soup.select(".related a")]
        assert set(recent) == {"/articles/depression-basics/", "/articles/pain-basics/"}
        assert related == ["/articles/depression-basics/"]
        assert "beta-sleep" not in soup.decode()

    def test_seo_tags_and_json_ld(self, brand_a, brand_b):
        shared = article(
            brand_b,
            brand_a,
            slug="shared-piece",
            seo_title="Shared SEO title",
            seo_description="Shared SEO description",
        )
        soup = soup_of(get("/articles/shared-piece/", host=HOST_A))
        assert soup.title.get_text() == "Shared SEO title · Alpha Wellness"
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical == "http://brand-b.localhost/articles/shared-piece/"
        assert soup.find("meta", property="og:url")["content"] == canonical
        description = soup.find("meta", attrs={"name": "description"})["content"]
        # Too short for search results on its own: completed with a true sentence.
        assert description == (
            "Shared SEO description Information from the care team of Alpha Wellness."
        )
        # No picture of its own and no brand logo: the portal's own link-preview picture.
        assert soup.find("meta", property="og:image")["content"].endswith("link-preview.png")
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == (
            "summary_large_image"
        )
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["@type"] == "MedicalWebPage"
        assert data["reviewedBy"] == {"@type": "Person", "name": "Dr. Test Reviewer, MD"}
        assert data["lastReviewed"] == "2026-10-01"
        assert data["url"] == canonical
        assert shared.canonical_brand == brand_b

    def test_drafts_future_and_other_brands_articles_are_404(self, brand_a, brand_b):
        article(brand_a, slug="a-draft", status=Status.DRAFT)
        article(brand_a, slug="in-review", status=Status.IN_REVIEW)
        article(brand_a, slug="future", publish_at=timezone.now() + timedelta(hours=1))
        article(brand_b, slug="beta-only")
        for slug in ("a-draft", "in-review", "future", "beta-only", "no-such-thing"):
            assert get(f"/articles/{slug}/").status_code == 404, slug

    def test_a_changed_slug_redirects_permanently(self, sleep_article):
        sleep_article.slug = "ketamine-and-sleep"
        sleep_article.save()
        response = get("/articles/can-ketamine-help-sleep/")
        assert response.status_code == 301
        assert response["Location"] == "/articles/ketamine-and-sleep/"
        sleep_article.slug = "ketamine-sleep-2"
        sleep_article.save()
        assert (
            get("/articles/can-ketamine-help-sleep/")["Location"] == "/articles/ketamine-sleep-2/"
        )
        assert get("/articles/ketamine-and-sleep/")["Location"] == "/articles/ketamine-sleep-2/"

    def test_an_old_slug_does_not_redirect_into_another_brand(self, brand_b):
        moved = article(brand_b, slug="old-name")
        moved.slug = "new-name"
        moved.save()
        assert get("/articles/old-name/", host=HOST_A).status_code == 404


class TestListAndTopics:
    def test_the_list_is_newest_first_paginated_and_brand_scoped(self, brand_a, brand_b):
        now = timezone.now()
        for day in range(12):
            article(brand_a, slug=f"a-{day:02d}", publish_at=now - timedelta(days=day + 1))
        article(brand_b, slug="beta-only")
        first = soup_of(get("/articles/"))
        titles = [a["href"] for a in first.select(".article-card h2 a")]
        assert titles[:2] == ["/articles/a-00/", "/articles/a-01/"]
        assert len(titles) == 10
        second = soup_of(get("/articles/?page=2"))
        assert [a["href"] for a in second.select(".article-card h2 a")] == [
            "/articles/a-10/",
            "/articles/a-11/",
        ]
        assert "beta-only" not in first.decode() + second.decode()

    @pytest.mark.parametrize("page", ["999", "abc", "-1", "<script>", "1; DROP TABLE x"])
    def test_odd_page_numbers_answer_sensibly(self, brand_a, page):
        article(brand_a, slug="only-one")
        response = get(f"/articles/?page={page}")
        assert response.status_code == 200
        assert "only-one" in response.content.decode()

    def test_a_topic_page_lists_only_its_articles(self, brand_a):
        article(brand_a, slug="about-sleep", topics=("sleep",))
        article(brand_a, slug="about-ptsd", topics=("ptsd",))
        soup = soup_of(get("/articles/topic/ptsd/"))
        assert soup.h1.get_text() == "Ptsd"
        assert [a["href"] for a in soup.select(".article-card h2 a")] == ["/articles/about-ptsd/"]
        assert get("/articles/topic/no-such-topic/").status_code == 404

    def test_the_topic_menu_shows_only_topics_with_live_articles_here(self, brand_a, brand_b):
        article(brand_a, slug="about-sleep", topics=("sleep",))
        article(brand_b, slug="beta-pain", topics=("chronic-pain",))
        topic("empty-topic")
        names = [a.get_text() for a in soup_of(get("/articles/")).select(".nav-pills a")]
        assert names == ["All topics", "Sleep"]


class TestScheduling:
    def test_a_scheduled_article_appears_exactly_on_time_everywhere(self, brand_a):
        at = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.get_current_timezone())
        article(brand_a, slug="scheduled", publish_at=at)
        paths = ["/articles/", "/articles/scheduled/", "/articles/feed/"]
        with time_machine.travel(at - timedelta(seconds=1), tick=False):
            before = [get(p) for p in paths]
            sitemap_before = sitemap_text()
        with time_machine.travel(at, tick=False):
            after = [get(p) for p in paths]
            sitemap_after = sitemap_text()
        assert before[1].status_code == 404
        assert after[1].status_code == 200
        for early, on_time in zip(before[:1] + before[2:], after[:1] + after[2:], strict=True):
            assert b"scheduled" not in early.content
            assert b"scheduled" in on_time.content
        assert "/articles/scheduled/" not in sitemap_before
        assert "/articles/scheduled/" in sitemap_after

    def test_an_unpublished_article_disappears_at_once(self, brand_a, sleep_article):
        get("/articles/can-ketamine-help-sleep/")
        get("/articles/")  # both pages are now in the page cache
        assert "can-ketamine-help-sleep" in sitemap_text()  # and the sitemap
        sleep_article.status = Status.DRAFT
        sleep_article.save()
        assert get("/articles/can-ketamine-help-sleep/").status_code == 404
        assert b"can-ketamine-help-sleep" not in get("/articles/").content
        assert "can-ketamine-help-sleep" not in sitemap_text()


class TestSearch:
    def test_it_finds_matching_articles_of_this_brand(self, brand_a, brand_b, sleep_article):
        article(
            brand_a,
            slug="about-pain",
            title="Chronic pain",
            summary="Pain care.",
            body="<p>Nerve pain.</p>",
        )
        article(brand_b, slug="beta-sleep", title="Sleep at Beta", summary="Sleep.")
        soup = soup_of(get("/articles/search/?q=sleep"))
        assert [a["href"] for a in soup.select(".article-card h2 a")] == [
            "/articles/can-ketamine-help-sleep/"
        ]
        assert soup.find(attrs={"role": "status"}).get_text() == "1 article found."

    def test_no_results_and_empty_queries_answer_helpfully(self, brand_a, sleep_article):
        none = soup_of(get("/articles/search/?q=zebra"))
        assert "No articles match “zebra”" in none.get_text()
        empty = soup_of(get("/articles/search/?q=+++"))
        assert "Type a word or two" in empty.get_text()
        assert soup_of(get("/articles/search/")).h1.get_text() == "Search articles"

    def test_an_over_long_query_is_shortened_with_a_note(self, brand_a, sleep_article):
        soup = soup_of(get("/articles/search/?q=" + "sleep " * 100))
        assert "only its first 100 characters" in soup.get_text()
        assert len(soup.find("input", {"name": "q"})["value"]) <= 100

    @pytest.mark.parametrize(
        "query",
        [
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%",
            "_",
            "\\",
            "sleep\x00",
            "😴 sleep",
            "a & b | !c",
            "\u202eevil",
        ],
    )
    def test_hostile_queries_are_harmless(self, brand_a, sleep_article, query):
        response = client_for(host=HOST_A).get("/articles/search/", {"q": query})
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.find("script", string=lambda s: s and "alert" in s) is None


class TestFeedSitemapRobots:
    def test_the_atom_feed_lists_the_brands_live_articles(self, brand_a, brand_b, sleep_article):
        article(brand_b, slug="beta-only")
        article(brand_a, slug="a-draft", status=Status.DRAFT)
        response = get("/articles/feed/")
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(response.content)
        assert root.find(f"{ATOM}title").text == "Alpha Wellness: articles"
        links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
        assert links == ["http://brand-a.localhost/articles/can-ketamine-help-sleep/"]

    def test_hostile_titles_are_escaped_in_the_feed(self, brand_a):
        article(brand_a, slug="x", title="<script>alert(1)</script> & ]]>", summary="<b>hi</b>")
        root = ElementTree.fromstring(get("/articles/feed/").content)
        entry = root.find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}title").text == "<script>alert(1)</script> & ]]>"

    def test_the_sitemap_lists_this_brands_pages_only(self, brand_a, brand_b, sleep_article):
        article(brand_b, slug="beta-only")
        urls = sitemap_urls()
        assert "http://brand-a.localhost/articles/can-ketamine-help-sleep/" in urls
        assert "http://brand-a.localhost/articles/topic/sleep/" in urls
        assert "http://brand-a.localhost/" in urls
        assert not any("beta-only" in url for url in urls)
        assert timezone.localdate(sleep_article.updated).isoformat() in sitemap_lastmods()

    def test_the_sitemaps_are_not_themselves_indexed(self, brand_a, sleep_article):
        for path in ("/sitemap.xml", "/sitemap-site.xml", "/sitemap-articles-1.xml"):
            response = get(path)
            assert response["Content-Type"] == "application/xml"
            assert "noindex" in response["X-Robots-Tag"]

    def test_a_shared_article_is_listed_only_by_its_canonical_brand(self, brand_a, brand_b):
        article(brand_b, brand_a, slug="shared")  # canonical on brand B
        for host, listed in ((HOST_A, False), (HOST_B, True)):
            urls = sitemap_urls(host)
            assert ("http://brand-b.localhost/articles/shared/" in urls) is listed
            assert not any("brand-a.localhost/articles/shared" in url for url in urls)
            feed = ElementTree.fromstring(client_for(host=host).get("/articles/feed/").content)
            links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
            assert (links == ["http://brand-b.localhost/articles/shared/"]) is listed
            assert listed or links == []
        # Brand A's readers still find it on their site, pointing search engines to B.
        page = BeautifulSoup(get("/articles/shared/").content, "html.parser")
        assert (
            page.find("link", rel="canonical")["href"]
            == "http://brand-b.localhost/articles/shared/"
        )

    def test_robots_txt(self, brand_a):
        body = get("/robots.txt").content.decode()
        assert "Disallow: /admin/" in body
        assert "Sitemap: http://brand-a.localhost/sitemap.xml" in body


HOSTILE = [
    '</script><script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "\u202egnp.exe",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_every_field_is_neutralised_on_the_page(brand_a, payload):
    article(
        brand_a,
        slug="hostile",
        title=payload,
        summary=payload,
        seo_title=payload[:70],
        seo_description=payload,
        reviewer_name=payload,
        body=f"<h2>{payload}</h2><p>{payload}</p>",
    )
    response = get("/articles/hostile/")
    soup = soup_of(response)
    scripts = soup.find_all("script")
    assert {s.get("type") for s in scripts if not s.get("src")} == {"application/ld+json"}
    assert soup.find(["img", "svg"]) is None
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")]
    data = json.loads(soup.find("script", type="application/ld+json").string)
    shown = without_controls(payload)  # direction overrides are dropped on save
    assert data["headline"] == shown
    assert soup.h1.get_text() == shown


@pytest.mark.parametrize("count", [5, 200])
def test_list_and_detail_cost_a_constant_number_of_queries(
    brand_a, count, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the pages themselves, not the page cache
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            slug=f"bulk-{n}",
            title=f"Bulk {n}",
            summary="s",
            body="<p>b</p>",
            canonical_brand=brand_a,
            status=Status.PUBLISHED,
            publish_at=now - timedelta(minutes=n + 1),
        )
        for n in range(count)
    )
    sleep = topic("sleep")
    for item in Article.objects.all():
        item.brands.add(brand_a)
        item.topics.add(sleep)
    client = client_for(host=HOST_A)
    client.get("/")  # warm the brand and location caches
    with django_assert_max_num_queries(4):
        assert client.get("/articles/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/articles/bulk-3/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/articles/topic/sleep/").status_code == 200
