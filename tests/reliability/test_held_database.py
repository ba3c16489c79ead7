"""A database that accepts connections and never answers costs one request, not the
site (issue 31, items 3 and 4).

Production-like gunicorn (sync workers, the deploy guide's 30-second timeout) reaches
PostgreSQL through a proxy that, mid-run, holds every connection open, acknowledges
everything and forwards nothing: a hung server process, or a pooler whose server went
silent. TCP timeouts and keepalives never fire then. Before the workers kept deadlines
of their own (portal/db_deadline.py), every worker waited until gunicorn killed it.
"""

import json
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from tests.reliability.harness import (
    TcpProxy,
    pgbouncer,
    pgbouncer_binary,
    production_deployment,
)
from tests.reliability.test_load_and_faults import fresh_database

HOST = "kmd.localhost"
# How soon every worker answers again once the database does, after the 2 s rest.
RECOVERY_SECONDS = 20


def timed_get(url: str, timeout: float = 40) -> tuple[int, float, bytes]:
    request = urllib.request.Request(url, headers={"Host": HOST})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, time.monotonic() - started, body


@contextmanager
def served_through(way, tmp_path, database_url, proxy):
    """The address the app uses: the proxy itself, or PgBouncer in front of it (the
    pooler whose server goes silent), with the settings each needs."""
    held_url = database_url.replace(f"127.0.0.1:{proxy.target[1]}/", f"127.0.0.1:{proxy.port}/")
    if way == "direct":
        yield held_url, {}
        return
    if not pgbouncer_binary():
        pytest.skip("PgBouncer is not installed (apt-get install pgbouncer)")
    name = database_url.rsplit("/", 1)[1]
    with pgbouncer(proxy.port, name) as port:
        pooled_url = database_url.replace(f":{proxy.target[1]}/", f":{port}/")
        yield pooled_url, {"DB_TRANSACTION_POOLER": "1"}


@pytest.mark.parametrize("way", ["direct", "pgbouncer"])
def test_a_database_that_never_answers_costs_a_request_not_the_site(tmp_path, way):
    with fresh_database("postgresql", tmp_path) as database_url:
        port = int(database_url.rsplit(":", 1)[1].split("/")[0])
        proxy = TcpProxy(port)
        try:
            with (
                served_through(way, tmp_path, database_url, proxy) as (served_url, extra),
                production_deployment(
                    tmp_path,
                    workers=2,
                    timeout=30,  # the deploy guide's
                    database_url=database_url,
                    served_database_url=served_url,
                    SEARCHES_PER_MINUTE="100000",
                    **extra,
                ) as server,
            ):
                base = server["base"]
                # The home page is cached for every worker (the one machine's file cache).
                assert timed_get(base + "/")[0] == 200
                status, _, page = timed_get(base + "/")
                stylesheet = page.decode().split('rel="stylesheet" href="', 1)[1].split('"')[0]
                assert timed_get(base + stylesheet)[0] == 200

                proxy.hold()
                started = time.monotonic()
                answers = []
                while time.monotonic() - started < 20:  # outlasts the 5 s a request may take
                    for path in ("/healthz", "/", stylesheet, "/articles/search/?q=sleep"):
                        status, seconds, body = timed_get(base + path)
                        answers.append((path, status, seconds, body))

                for path, status, seconds, body in answers:
                    if path == "/healthz":
                        assert status == 503 and seconds < 1, (path, status, seconds)
                        assert json.loads(body)["database"] == "down"
                    elif path in ("/", stylesheet):  # cached, and static
                        assert status == 200 and seconds < 1, (path, status, seconds)
                    else:  # needs the database: the branded 503, within 5 s
                        assert status == 503 and seconds < 5, (path, status, seconds)
                        assert b"<html" in body.lower()

                # Back on its own in every worker within seconds: each rests a moment
                # after its last unanswered wait, then connects anew (through PgBouncer,
                # once the pooler retries its server: server_login_retry).
                proxy.restore()
                deadline = time.monotonic() + RECOVERY_SECONDS
                for path in ("/articles/search/?q=again", "/healthz"):
                    while [timed_get(base + path)[0] for _ in range(4)] != [200] * 4:
                        assert time.monotonic() < deadline, f"{path}: no recovery"
                        time.sleep(0.5)
                assert "WORKER TIMEOUT" not in server["log"].read_text()
        finally:
            proxy.close()
