"""Search answers from a stored index: stemmed, ranked, current after every write, bounded."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles import search
from articles.models import Article, Status
from tests.articles.test_pages import get, soup_of
from tests.conftest import HOST_A
from tests.factories import article, topic


def found(query: str, host=HOST_A) -> list[str]:
    page = soup_of(get(f"/articles/search/?q={query}", host=host))
    return [link["href"].strip("/").split("/")[-1] for link in page.select(".article-card h2 a")]


class TestTheQueryLanguageIsNotAVisitors:
    @pytest.mark.parametrize(
        ("typed", "sent"),
        [
            ("sleep", '"sleep"'),
            ('say "hi', '"say" """hi"'),
            ("title:sleep NEAR(a b) *", '"title:sleep" "NEAR(a" "b)" "*"'),
            ("a OR b NOT c", '"a" "OR" "b" "NOT" "c"'),
        ],
    )
    def test_every_word_is_a_plain_string(self, typed, sent):
        assert search.fts5_query(typed) == sent

    def test_at_most_eight_words_are_used(self):
        assert search.fts5_query(" ".join(f"w{n}" for n in range(20))).count('"') == 16

    def test_nothing_to_match_is_an_empty_query(self):
        assert search.fts5_query("   ") == ""


class TestMatching:
    def test_word_forms_are_matched_and_the_title_ranks_first(self, brand_a):
        article(brand_a, slug="in-the-text", title="Notes", body="<p>Sleeping well matters.</p>")
        article(brand_a, slug="in-the-title", title="Sleep and mood", body="<p>Words.</p>")
        assert found("sleep") == ["in-the-title", "in-the-text"]
        assert found("sleeps") == ["in-the-title", "in-the-text"]

    def test_all_words_must_match(self, brand_a):
        article(brand_a, slug="both", title="Sleep and infusions")
        article(brand_a, slug="one", title="Sleep alone")
        assert found("sleep infusion") == ["both"]

    def test_drafts_and_other_brands_are_not_found(self, brand_a, brand_b):
        article(brand_a, slug="draft", title="Sleep draft", status=Status.DRAFT, publish_at=None)
        article(brand_b, slug="theirs", title="Sleep elsewhere")
        article(brand_a, slug="ours", title="Sleep here")
        assert found("sleep") == ["ours"]

    def test_a_save_updates_the_index_and_a_delete_removes_the_article(self, brand_a):
        item = article(brand_a, slug="renamed", title="Insomnia basics")
        assert found("insomnia") == ["renamed"]
        item.title = "Restful nights"
        item.save()
        assert found("insomnia") == [] and found("restful") == ["renamed"]
        item.delete()
        assert found("restful") == []

    def test_rows_written_in_bulk_are_found_too(self, brand_a):
        sleep = topic("sleep")
        Article.objects.bulk_create(
            [
                Article(
                    slug="bulk-one",
                    title="Bulk written about melatonin",
                    summary="s",
                    body="<p>b</p>",
                    canonical_brand=brand_a,
                    status=Status.PUBLISHED,
                    publish_at=timezone.now(),
                )
            ]
        )
        item = Article.objects.across_brands().get(slug="bulk-one")
        item.brands.add(brand_a)
        item.topics.add(sleep)
        assert found("melatonin") == ["bulk-one"]

    @pytest.mark.parametrize(
        "query",
        ['"', '""', "NEAR(", "title:x", "*", "-sleep", "sleep)", "^sleep", "' OR 1=1; --"],
    )
    def test_hostile_queries_are_answered(self, brand_a, query):
        article(brand_a, slug="s", title="Sleep")
        response = get(f"/articles/search/?q={query}")
        assert response.status_code == 200


class TestAWordOfEveryArticle:
    """Only the newest ``MAX_RANKED`` matches are ranked: a common word stays cheap."""

    @pytest.fixture
    def five_sleep_articles(self, brand_a, monkeypatch):
        monkeypatch.setattr(search, "MAX_RANKED", 3)
        now = timezone.now()
        for age in range(5):  # sleep-0 is the newest
            article(
                brand_a,
                slug=f"sleep-{age}",
                title=f"Note {age}",
                body="<p>On sleep.</p>",
                publish_at=now - timedelta(days=age),
            )
        article(
            brand_a,
            slug="sleep-title",
            title="Sleep, in the title",
            publish_at=now - timedelta(days=30),
        )

    def test_the_newest_matches_are_shown_and_the_page_says_there_are_more(
        self, five_sleep_articles
    ):
        assert found("sleep") == ["sleep-0", "sleep-1", "sleep-2"]
        text = soup_of(get("/articles/search/?q=sleep")).get_text(" ", strip=True)
        assert "3 or more articles found" in text and "Add a word" in text

    def test_below_the_bound_the_title_still_ranks_first(self, five_sleep_articles, monkeypatch):
        monkeypatch.setattr(search, "MAX_RANKED", 10)
        assert found("sleep")[0] == "sleep-title" and len(found("sleep")) == 6
        text = soup_of(get("/articles/search/?q=sleep")).get_text(" ", strip=True)
        assert "6 articles found" in text and "or more" not in text


@pytest.mark.parametrize("count", [5, 150])
def test_a_search_page_costs_the_same_queries_at_any_size(
    brand_a, count, django_assert_max_num_queries
):
    sleep = topic("sleep")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            slug=f"bulk-{n}",
            title=f"Sleep note {n}",
            summary="s",
            body="<p>Rest.</p>",
            canonical_brand=brand_a,
            status=Status.PUBLISHED,
            publish_at=now,
        )
        for n in range(count)
    )
    for item in Article.objects.across_brands():
        item.brands.add(brand_a)
        item.topics.add(sleep)
    client = Client(HTTP_HOST=HOST_A)
    client.get("/")  # warm the brand caches
    # The results with their total (one query on PostgreSQL, two on SQLite), their
    # topics, and the brand's menu links.
    with django_assert_max_num_queries(4):
        page = client.get("/articles/search/?q=sleep&page=2")
    assert page.status_code == 200


# The count is per clock minute: the moment is stated, so that a minute turning over
# halfway through the flood (which failed a run at 22:42) cannot reset it.
@pytest.mark.time_machine(datetime(2026, 12, 8, 15, 0, 20, tzinfo=UTC), tick=False)
def test_a_flood_of_searches_from_one_client_is_slowed(brand_a, settings):
    article(brand_a, slug="s", title="Sleep")
    flood = Client(HTTP_HOST=HOST_A, REMOTE_ADDR="10.1.1.1")
    answers = [flood.get("/articles/search/?q=sleep").status_code for _ in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429
    refused = flood.get("/articles/search/?q=sleep")
    assert "wait a minute" in refused.content.decode()
    other = Client(HTTP_HOST=HOST_A, REMOTE_ADDR="10.2.2.2")
    assert other.get("/articles/search/?q=sleep").status_code == 200
    assert flood.get("/articles/").status_code == 200  # only searching is slowed
