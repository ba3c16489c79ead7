"""A brand's sitemap is an index and files of a bounded size: the archive can grow
without any file growing (bench/public_scale.py measures it at 10,000 articles)."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.sitemaps import ArticleSitemap
from tests.conftest import HOST_A, client_for
from tests.factories import article
from tests.sitemaps import NS, sitemap_documents, sitemap_urls


@pytest.fixture
def three_a_file(monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 3)


def listed(document: str) -> list[str]:
    return [loc.text for loc in ElementTree.fromstring(document).iter(f"{NS}loc")]


def test_the_index_names_the_site_file_and_one_file_per_three_articles(brand_a, three_a_file):
    now = timezone.now()
    for number in range(7):  # written in turn: piece-0 is the oldest
        article(brand_a, slug=f"piece-{number}", publish_at=now - timedelta(days=30 - number))
    index = client_for(host=HOST_A).get("/sitemap.xml")
    assert index["Content-Type"] == "application/xml"
    assert listed(index.content.decode()) == [
        f"http://{HOST_A}/sitemap-site.xml",
        *(f"http://{HOST_A}/sitemap-articles-{n}.xml" for n in (1, 2, 3)),
    ]
    site, *files = sitemap_documents(HOST_A)
    assert f"http://{HOST_A}/locations/" in listed(site)
    assert not any("/articles/piece-" in url for url in listed(site))
    # Oldest first: a new article only ever changes the last file.
    assert [[url.rsplit("/", 2)[1] for url in listed(file)] for file in files] == [
        ["piece-0", "piece-1", "piece-2"],
        ["piece-3", "piece-4", "piece-5"],
        ["piece-6"],
    ]


def test_a_file_past_the_last_is_not_found(brand_a, three_a_file):
    article(brand_a, slug="only-one")
    client = client_for(host=HOST_A)
    assert client.get("/sitemap-articles-1.xml").status_code == 200
    for path in ("/sitemap-articles-2.xml", "/sitemap-articles-0.xml", "/sitemap-articles-x.xml"):
        assert client.get(path).status_code == 404, path


def test_a_site_without_articles_lists_its_pages_alone(brand_a):
    index = client_for(host=HOST_A).get("/sitemap.xml").content.decode()
    assert listed(index) == [f"http://{HOST_A}/sitemap-site.xml"]
    assert client_for(host=HOST_A).get("/sitemap-articles-1.xml").status_code == 404
    assert f"http://{HOST_A}/" in sitemap_urls(HOST_A)


def test_an_article_taken_off_the_brand_leaves_its_file(brand_a, brand_b):
    """Listed by the canonical brand only while the article is still on it."""
    piece = article(brand_a, brand_b, slug="moving-on")
    assert f"http://{HOST_A}/articles/moving-on/" in sitemap_urls(HOST_A)
    piece.brands.set([brand_b])
    assert not any("moving-on" in url for url in sitemap_urls(HOST_A))
