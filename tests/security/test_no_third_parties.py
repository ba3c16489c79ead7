"""Patient pages of both demo brands load nothing from another host (no CDN, fonts,
analytics, maps or share scripts): privacy, not only speed."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import client_for

RESOURCE_ATTRIBUTES = [
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
]


@pytest.mark.parametrize("host", ["ignite.localhost:8000", "kmd.localhost:8000"])
def test_patient_pages_load_nothing_from_any_other_host(demo, host):
    client = client_for(host=host)
    from articles.models import Article, Topic
    from clinic.models import Location

    slug = host.split(".")[0]
    article = Article.objects.live().filter(brands__slug=slug, language="en").first()
    topic = Topic.objects.filter(articles=article).first()
    location = Location.objects.filter(brand__slug=slug).first()
    paths = [
        "/",
        "/articles/",
        f"/articles/{article.slug}/",
        f"/articles/topic/{topic.slug}/",
        "/articles/search/?q=ketamine",
        "/articles/search/?q=zzzz",
        "/locations/",
        f"/locations/{location.slug}/",
        "/consultation/",
        "/consultation/thanks/",
        "/privacy/",
        "/no-such-page/",
    ]
    for path in paths:
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        for tag, attribute in RESOURCE_ATTRIBUTES:
            for element in soup.find_all(tag):
                value = element.get(attribute)
                if not value:
                    continue
                if tag == "link" and not set(element.get("rel", [])) & {
                    "stylesheet",
                    "icon",
                    "preload",
                    "modulepreload",
                    "manifest",
                }:
                    continue  # canonical/alternate links name pages, they load nothing
                for url in value.split(","):
                    url = url.strip().split(" ")[0]
                    assert not urlsplit(url).netloc and not url.startswith("//"), (path, url)
