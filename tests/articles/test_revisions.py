"""Revisions side by side (articles/revisions.py: plain logic; the admin page on top)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.revisions import Row, blocks, side_by_side
from tests.conftest import client_for
from tests.factories import article


def test_blocks_are_read_as_plain_text():
    body = "<h2>Before</h2>\n<p>Eat <strong>lightly</strong> &amp; rest.</p><ul><li>Water</li></ul>"
    assert blocks(" Title ", body) == ["Title", "Before", "Eat lightly & rest.", "Water"]


def test_empty_blocks_are_left_out():
    assert blocks("T", "<p> </p><p></p>") == ["T"]


def test_a_changed_paragraph_sits_beside_its_old_self():
    rows = side_by_side(["T", "One", "Two"], ["T", "One!", "Two"])
    assert rows == [Row("same", "T", "T"), Row("changed", "One", "One!"), Row("same", "Two", "Two")]


def test_added_and_removed_blocks_face_a_gap():
    assert side_by_side(["T", "Old"], ["T"]) == [Row("same", "T", "T"), Row("removed", "Old", "")]
    assert side_by_side(["T"], ["T", "New"]) == [Row("same", "T", "T"), Row("added", "", "New")]


def test_a_longer_replacement_pairs_what_it_can():
    rows = side_by_side(["A"], ["B", "C"])
    assert [row.kind for row in rows] == ["changed", "added"]


@pytest.fixture
def revised(brand_a):
    piece = article(brand_a, slug="revised", body="<p>First version.</p><p>Unchanged.</p>")
    piece.body = "<p>Second version.</p><p>Unchanged.</p><p>A <script>new</script> line.</p>"
    piece.save()
    return piece


def test_the_admin_page_shows_the_latest_change_by_default(editor_a, revised):
    page = client_for(editor_a).get(reverse("admin:articles_article_compare", args=[revised.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    changed = soup.select(".compare-changed td")
    assert "First version." in changed[0].get_text() and "Second version." in changed[1].get_text()
    assert "2 changes." in soup.get_text()
    assert "<script>" not in page.content.decode().split("compare-table")[1]


@pytest.mark.parametrize(
    "query", [{"a": "nonsense", "b": "<script>"}, {"a": "-1"}, {"b": "9" * 40}]
)
def test_garbage_revision_ids_fall_back_to_the_latest_two(editor_a, revised, query):
    url = reverse("admin:articles_article_compare", args=[revised.pk])
    page = client_for(editor_a).get(url, query)
    assert page.status_code == 200 and "2 changes." in page.content.decode()


def test_another_brands_article_is_not_there(editor_a, brand_b):
    theirs = article(brand_b, slug="theirs")
    url = reverse("admin:articles_article_compare", args=[theirs.pk])
    assert client_for(editor_a).get(url).status_code == 404
