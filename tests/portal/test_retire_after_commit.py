"""Caches are retired after the save commits, once per transaction (portal.retirement).

These tests use real commits (``transaction=True``): the suite's usual stand-in for a
commit (tests/conftest.py) is not what is being tested here.
"""

import pytest
from django.db import transaction

from portal import generations, purge
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(path, host=HOST_A):
    response = client_for(host=host).get(path)
    return response, response.get("X-Page-Cache")


@pytest.fixture
def purges(monkeypatch):
    calls = []
    monkeypatch.setattr(purge, "purge_brands", lambda brand_ids: calls.append(brand_ids))
    return calls


def test_a_page_stored_while_the_save_is_uncommitted_is_retired_at_commit(brand_a):
    """The race: a reader in the window stores the old page under the current generation."""
    piece = article(brand_a, slug="piece", title="Old title")
    fetch("/articles/piece/")
    with transaction.atomic():
        piece.title = "New title"
        piece.save()
        before_commit = generations.current(generations.brand_key(brand_a.pk))
        # Until the commit, readers still get the committed page...
        assert fetch("/articles/piece/")[1] == "hit"
        # ...and one that fills the cache in the window (on another app server it would
        # read the old title) stores under the generation that is about to be retired.
        assert fetch("/articles/")[1] == "miss"
        assert fetch("/articles/")[1] == "hit"
        assert generations.current(generations.brand_key(brand_a.pk)) == before_commit
    assert generations.current(generations.brand_key(brand_a.pk)) != before_commit
    for path in ("/articles/", "/articles/piece/"):
        response, state = fetch(path)
        assert state == "miss" and b"New title" in response.content


def test_a_rolled_back_save_retires_nothing(brand_a, purges):
    piece = article(brand_a, slug="piece", title="Kept title")
    fetch("/articles/piece/")
    purges.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        piece.title = "Never saved"
        piece.save()
        raise RuntimeError("the admin form failed after the save")
    assert purges == []
    response, state = fetch("/articles/piece/")
    assert state == "hit" and b"Kept title" in response.content


def test_many_saves_in_one_transaction_retire_once(brand_a, brand_b, purges):
    first = article(brand_a, slug="first")
    second = article(brand_b, slug="second")
    purges.clear()
    with transaction.atomic():
        for piece in (first, second, first):
            piece.title = f"{piece.title}!"
            piece.save()
        assert purges == []
    assert purges == [{brand_a.pk, brand_b.pk}]


def test_a_save_in_one_brand_leaves_the_other_brand_cached(brand_a, brand_b, purges):
    piece = article(brand_a, slug="piece")
    fetch("/", HOST_A)
    fetch("/", HOST_B)
    purges.clear()
    piece.title = "Edited"
    piece.save()
    assert purges == [{brand_a.pk}]
    assert fetch("/", HOST_A)[1] == "miss"
    assert fetch("/", HOST_B)[1] == "hit"


def test_the_brands_hosts_come_from_the_one_registered_source(brand_a, purges):
    """portal knows no app: the clinic app registers where a brand's hosts come from,
    and a later registration replaces it (one source, never two asked)."""
    from portal import retirement

    (registered,) = retirement._brands_and_hosts
    asked = []

    def source(brand_ids):
        asked.append(brand_ids)
        return {brand_a.pk}, {"elsewhere.example"}

    try:
        retirement.brands_and_hosts_from(source)
        assert retirement._brands_and_hosts == [source]
        with transaction.atomic():
            retirement.retire({brand_a.pk})
        assert asked == [{brand_a.pk}]
    finally:
        retirement.brands_and_hosts_from(registered)
    assert retirement._brands_and_hosts == [registered]


def test_a_host_alone_is_retired(brand_a, purges):
    """A renamed domain: its pages go although no brand's content changed."""
    from portal import retirement
    from portal.hosts import bare_hostname

    key = generations.host_key(bare_hostname("old-name.example"))
    before = generations.current(key)
    with transaction.atomic():
        retirement.retire(set(), hosts=["old-name.example"])
    assert generations.current(key) != before


def test_retiring_every_brand_purges_every_brand(brand_a, purges):
    from portal import retirement

    with transaction.atomic():
        retirement.retire(None)
    assert purges == [None]  # every brand's pages, not an empty list of them


def test_the_host_map_goes_only_when_asked_and_stays_asked(brand_a, purges):
    """A brand's content saved: the hostname answers stay. A domain saved in the same
    transaction as content: they go, whichever came first."""
    from portal import retirement

    before = generations.current(generations.HOST_MAP)
    with transaction.atomic():
        retirement.retire({brand_a.pk})
    assert generations.current(generations.HOST_MAP) == before
    with transaction.atomic():
        retirement.retire({brand_a.pk}, host_map=True)
        retirement.retire({brand_a.pk})
    assert generations.current(generations.HOST_MAP) != before


def test_a_failed_retirement_never_fails_the_save(brand_a, monkeypatch, caplog):
    """The save has committed when the caches are retired: a cache that fails then is
    logged, and the person who saved is not shown an error for it."""
    from portal import retirement

    def unreachable(key):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(generations, "bump", unreachable)
    with transaction.atomic():
        retirement.retire({brand_a.pk})
        piece = article(brand_a, slug="saved-anyway")
    from articles.models import Article

    assert Article.objects.across_brands().filter(pk=piece.pk).exists()
    # The log says what failed, in words an operator can search for.
    assert (
        "Error calling portal.retirement (caches retired after a commit) in on_commit()"
        in caplog.text
    )
    assert "cache unreachable" in caplog.text
