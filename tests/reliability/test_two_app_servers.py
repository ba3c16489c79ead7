"""Two app servers sharing PostgreSQL and Redis, read without pause while staff save:
once a save has returned, no reader on either server gets the old page again.

The saves are slow on purpose (a third of a second inside the transaction, like an
admin form with inlines and history): a cache retired inside the transaction would let
readers store the old page under the new generation in that window.
"""

import http.client
import json
import re
import threading
import time
import urllib.parse
import uuid

import pytest

from tests.reliability.harness import environment, gunicorn, manage
from tests.reliability.test_load_and_faults import fresh_database
from tests.reliability.test_production_workers import demo_article_slug, shell

REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "kmd.localhost"
EDITS = 12


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    if not redis_available():
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    from tests.portal.test_settings import STRONG_KEY

    folder = tmp_path_factory.mktemp("two-servers")
    with fresh_database("postgresql", folder) as database_url:
        shared = {
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(folder / "media"),
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": f"two-servers-{uuid.uuid4().hex[:8]}",
        }
        manage(environment(**shared), "migrate", "--noinput", "-v0")
        manage(environment(**shared), "seed_demo")
        env = environment(
            **shared,
            PORTAL_ENV="production",
            SECRET_KEY=STRONG_KEY,
            ALLOWED_HOSTS=".localhost,127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            STATIC_ROOT=str(folder / "static"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        manage(env, "collectstatic", "--noinput", "-v0")
        with gunicorn(env, workers=2) as first, gunicorn(env, workers=2) as second:
            yield env, [first, second]


def read(base: str, path: str):
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=30)
    connection.request("GET", path, headers={"Host": HOST})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return body, response.getheader("X-Page-Cache")


def test_no_stale_page_after_a_save_returns(two_servers):
    env, servers = two_servers
    slug = demo_article_slug(env, "kmd", with_hero=False)
    pages = ["/articles/", f"/articles/{slug}/"]
    reads: list[tuple[float, int | None, str | None]] = []
    stop = threading.Event()

    def reader(number: int):
        while not stop.is_set():
            base = servers[number % 2]
            started = time.time()
            body, state = read(base, pages[(number // 2) % 2])
            found = re.search(r"Edition (\d+)", body)
            reads.append((started, int(found[1]) if found else None, state))
            number += 1

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    editor = (
        "import json, time\n"
        "from django.db import transaction\n"
        "from articles.models import Article\n"
        f"piece = Article.objects.across_brands().get(slug={slug!r})\n"
        "returned = []\n"
        f"for edition in range({EDITS}):\n"
        "    with transaction.atomic():\n"
        "        piece.title = f'Edition {edition}'\n"
        "        piece.save()\n"
        "        time.sleep(0.3)\n"
        "    returned.append(time.time())\n"
        "    time.sleep(0.4)\n"
        "print(json.dumps(returned))\n"
    )
    returned = json.loads(shell(env, editor).strip().splitlines()[-1])
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    stale = []
    for started, seen, _state in reads:
        due = [edition for edition, at in enumerate(returned) if at <= started]
        if due and (seen is None or seen < due[-1]):
            stale.append((started, seen, due[-1]))
    after_saves = [r for r in reads if r[0] > returned[0]]
    assert len(after_saves) > 10 * EDITS  # the servers were read throughout
    assert any(state == "hit" for _s, _e, state in after_saves)  # and served from cache
    assert stale == [], f"{len(stale)} stale reads of {len(after_saves)}: {stale[:5]}"
