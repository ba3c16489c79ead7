"""A database that stops answering (packets swallowed) gives quick, clear answers.

Through a real gunicorn whose workers reach PostgreSQL over a link that goes silent
(tests/reliability/netcut.py): /healthz and a page that needs the database answer a
503 within seconds, not when gunicorn kills the worker at 30 s, and everything works
again once the link is back.
"""

import time
import urllib.error
import urllib.request

import pytest

from tests.reliability import netcut
from tests.reliability.harness import environment, free_port, gunicorn, prepare_database
from tests.reliability.test_load_and_faults import fresh_database

pytestmark = pytest.mark.skipif(
    not netcut.available(), reason="needs root and network namespaces (ip netns)"
)


def timed_get(url: str, timeout: float = 40) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def test_a_silent_database_is_a_quick_503_and_then_recovers(tmp_path):
    with fresh_database("postgresql", tmp_path) as database_url:
        prepare_database(environment(DATABASE_URL=database_url, MEDIA_ROOT=str(tmp_path)))
        port = int(database_url.rsplit(":", 1)[1].split("/")[0])
        link = netcut.SilentLink(port, free_port())
        silent_url = database_url.replace(f"127.0.0.1:{port}/", f"{link.host}:{link.port}/")
        env = environment(
            DATABASE_URL=silent_url,
            MEDIA_ROOT=str(tmp_path),
            DB_CONNECT_TIMEOUT="2",
            DB_NETWORK_TIMEOUT="3",
            PAGE_CACHE_SECONDS="0",
        )
        try:
            with gunicorn(env, workers=2) as base:
                for path in ("/healthz", "/articles/", "/consultation/"):
                    assert timed_get(base + path)[0] == 200, path

                link.silence()
                for path in ("/healthz", "/articles/", "/consultation/", "/healthz"):
                    status, seconds = timed_get(base + path)
                    # A clear answer, well before gunicorn's 30 s worker timeout: the
                    # health check within a second, a page within five.
                    assert status == 503, (path, status)
                    assert seconds < (1 if path == "/healthz" else 5), (path, seconds)

                link.restore()
                deadline = time.monotonic() + 20
                while timed_get(base + "/healthz")[0] != 200:
                    assert time.monotonic() < deadline, "no recovery after the link came back"
                    time.sleep(0.5)
                # Each worker rests from the database for 2 s after a slow failure: the
                # other worker may still be resting when the first answers the probe.
                while timed_get(base + "/articles/")[0] != 200:
                    assert time.monotonic() < deadline + 5, "pages did not come back"
                    time.sleep(0.5)
        finally:
            link.close()
