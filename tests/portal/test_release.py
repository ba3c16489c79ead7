"""A deployment never serves what the previous release rendered (portal/release.py)."""

from portal import generations
from portal.release import fingerprint
from tests.conftest import HOST_A, client_for


def test_the_fingerprint_follows_the_code_and_templates(tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "base.html"
    page.write_text("<header>old</header>")
    (tmp_path / "notes.md").write_text("not code")
    before = fingerprint(tmp_path)
    (tmp_path / "notes.md").write_text("still not code")
    assert fingerprint(tmp_path) == before
    page.write_text("<header>new</header>")
    assert fingerprint(tmp_path) != before


def test_a_new_release_renders_its_own_pages(brand_a, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 600
    client = client_for(host=HOST_A)
    assert client.get("/privacy/")["X-Page-Cache"] == "miss"
    assert client.get("/privacy/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr(generations, "RELEASE", "next-release")
    assert client.get("/privacy/")["X-Page-Cache"] == "miss"
