"""No request lost under load and faults, through a real gunicorn with several workers.

200 patients press "send" at the same moment; the mail server is down; a task worker
is killed mid-run; the database disappears for a while. Every request that was
acknowledged is saved exactly once, and every refusal is a clear, retryable 503.
"""

import os
import signal
import sqlite3
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.reliability.harness import (
    PYTHON,
    ROOT,
    Patient,
    TcpProxy,
    environment,
    free_port,
    gunicorn,
    prepare_database,
    submit_concurrently,
)

PG_SERVER = os.environ.get("TEST_POSTGRES_SERVER", "postgres://root@127.0.0.1:5432")
CONCURRENT = 200


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def fresh_database(kind, tmp_path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'load.sqlite3'}"
        return
    if not postgres_available():
        pytest.skip(f"PostgreSQL does not answer at {PG_SERVER}")
    import psycopg

    name = f"portal_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database_url: str, sql: str):
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchall()


def saved_requests(database_url):
    return query(
        database_url,
        "SELECT reference, name FROM appointments_consultationrequest "
        "WHERE name LIKE 'Load Patient %'",
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_200_concurrent_requests_are_all_saved_while_the_mail_server_is_down(kind, tmp_path):
    with fresh_database(kind, tmp_path) as database_url:
        env = environment(
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(tmp_path / "media"),
            TASKS_BACKEND="immediate",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(free_port()),  # nothing listens there: every send fails
            EMAIL_TIMEOUT="2",
        )
        prepare_database(env)
        with gunicorn(env, workers=4) as base:
            started = time.monotonic()
            patients, results = submit_concurrently(base, CONCURRENT)
            elapsed = time.monotonic() - started
        statuses = [status for status, _body, _headers in results]
        assert all(status == 302 for status in statuses), sorted(set(statuses))
        assert all(h["Location"] == "/consultation/thanks/" for _s, _b, h in results)
        rows = saved_requests(database_url)
        assert len(rows) == CONCURRENT
        assert len({reference for reference, _name in rows}) == CONCURRENT
        assert {name for _ref, name in rows} == {f"Load Patient {p.number}" for p in patients}
        # Each request's two e-mails wait in the outbox for the mail server to return.
        pending = query(
            database_url,
            "SELECT count(*) FROM appointments_notification WHERE status = 'pending'",
        )[0][0]
        assert pending == 2 * CONCURRENT
        print(f"{kind}: {CONCURRENT} concurrent submissions in {elapsed:.1f}s")


def test_a_killed_task_worker_loses_no_e_mail(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    mail_dir = tmp_path / "mail"
    env = environment(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / "media"),
        TASKS_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        NOTIFICATION_CLAIM_SECONDS="2",
    )
    prepare_database(env)
    with gunicorn(env, workers=2) as base:
        _patients, results = submit_concurrently(base, 20)
    assert [status for status, _b, _h in results] == [302] * 20

    def worker():
        return subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    first = worker()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (mail_dir.exists() and any(mail_dir.iterdir())):
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)  # a crash in the middle of the queue
    first.wait(timeout=10)

    def unsent():
        return query(
            database_url,
            "SELECT count(*) FROM appointments_notification WHERE status != 'sent'",
        )[0][0]

    second = worker()
    try:
        deadline = time.monotonic() + 90
        while unsent() and time.monotonic() < deadline:
            time.sleep(1)
            # The safety net picks up rows whose claim the killed worker left behind.
            subprocess.run(
                [PYTHON, "manage.py", "send_pending_notifications"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                timeout=60,
            )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    assert unsent() == 0
    assert len(saved_requests(database_url)) == 20
    # The file backend ends every message with a line of 79 dashes.
    sent = sum(f.read_text().count("-" * 79) for f in Path(mail_dir).iterdir())
    assert sent >= 40  # every e-mail at least once


def test_a_database_outage_answers_a_clear_503_then_recovers(tmp_path):
    with fresh_database("postgresql", tmp_path) as database_url:
        direct_env = environment(DATABASE_URL=database_url, MEDIA_ROOT=str(tmp_path / "media"))
        prepare_database(direct_env)
        port = int(database_url.rsplit(":", 1)[1].split("/")[0])
        proxy = TcpProxy(port)
        proxied = database_url.replace(f":{port}/", f":{proxy.port}/")
        env = environment(
            DATABASE_URL=proxied,
            CONN_MAX_AGE="0",
            MEDIA_ROOT=str(tmp_path / "media"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        try:
            with gunicorn(env, workers=2) as base:
                _before, results = submit_concurrently(base, 10)
                assert [status for status, _b, _h in results] == [302] * 10
                patient = Patient(base, 500)
                patient.fetch_form()

                proxy.cut()
                status, body, headers = patient.send()
                assert status == 503
                assert "briefly unavailable" in body and headers.get("Retry-After") == "30"
                import urllib.request

                try:
                    urllib.request.urlopen(base + "/healthz", timeout=5)
                    health = 200
                except urllib.error.HTTPError as error:
                    health = error.code
                assert health == 503

                proxy.restore()
                status, _body, _headers = patient.send()  # the patient sends again
                assert status == 302
                status, _body, _headers = patient.send()  # and once more, by accident
                assert status == 302
                _after, results = submit_concurrently(base, 10, start=1000)
                assert [status for status, _b, _h in results] == [302] * 10
        finally:
            proxy.close()
        rows = saved_requests(database_url)
        assert len(rows) == 21  # 10 + the patient who met the outage, once + 10
