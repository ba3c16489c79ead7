"""Personas shared by every test (after healthchecks' alice/bob/charlie).

brand_a and brand_b are two clinics; each role of brand A has a user, brand B has a
brand admin, one "group admin" manages both, and a superuser sees everything.
"""

import os
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from portal import health
from tests.factories import BrandFactory, Role, UserFactory, staff

# --clock / TEST_CLOCK: the whole run at another moment (tests/clock.py).
pytest_plugins = ["tests.clock"]

# A mutation run (`make mutation`) runs the same tests again and again in forked
# processes: the same examples every time, so each mutant is judged by the same cases.
hypothesis_settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.differing_executors],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

HOST_A = "brand-a.localhost"
HOST_B = "brand-b.localhost"


# Whole folders whose tests start real servers, browsers or the HTML checker.
SLOW_FOLDERS = ("tests/reliability/", "tests/e2e/", "tests/html/")


# Tests whose outcome does not depend on the database the suite runs on: those that
# build their own SQLite and PostgreSQL databases per test (reliability), and the page
# checkers (axe, the HTML checker), which judge markup. A second pass of the suite on
# another database (CI's PostgreSQL pass) would repeat them exactly, so it may skip them.
OWN_DATABASE_FOLDERS = (
    "tests/reliability/",
    "tests/e2e/test_accessibility.py",
    "tests/html/",
)


def pytest_collection_modifyitems(config, items):
    repeat_skipped = os.environ.get("SKIP_OWN_DATABASE_TESTS") == "1"
    for item in items:
        path = str(item.fspath)
        if any(folder in path for folder in SLOW_FOLDERS):
            item.add_marker(pytest.mark.slow)
        if repeat_skipped and any(folder in path for folder in OWN_DATABASE_FOLDERS):
            item.add_marker(
                pytest.mark.skip(
                    reason="does not depend on the suite's database: it ran in the first "
                    "pass already (SKIP_OWN_DATABASE_TESTS=1)"
                )
            )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # A fast hasher keeps logins cheap; a clean cache keeps host answers from leaking
    # between tests whose rows reuse hostnames with new ids; uploads go to a temporary
    # folder, never into the working tree.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.IMAGE_WEBP_EFFORT = 0  # the fastest encoding: the tests judge sizes, not bytes
    settings.MEDIA_ROOT = tmp_path / "media"
    # Text messages land in django-sms's in-memory outbox (sms.outbox), never a provider.
    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    settings.DEFAULT_FROM_SMS = "+15005550006"
    import sms

    sms.outbox = []
    cache.clear()
    health.forget_down()  # a worker's memory of a down database, per test
    yield
    cache.clear()


def _in_real_transaction(connection) -> bool:
    """Is a transaction open other than the test's own (which never commits)?"""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


@pytest.fixture(autouse=True)
def _caches_retired_as_if_committed(monkeypatch):
    """Let caches be retired when a save "commits" inside the test's own transaction.

    Production retires after commit (portal.retirement). A test runs inside one outer
    transaction that never commits, so without this, no save would ever retire
    anything. Here, leaving the outermost transaction of the code under test counts as
    its commit, and a save outside any transaction of its own retires at once, as in
    autocommit. Tests with ``transaction=True`` use real commits and are untouched.
    """
    from django.db import transaction

    from portal import retirement

    monkeypatch.setattr(retirement, "_in_transaction", _in_real_transaction)
    original_exit = transaction.Atomic.__exit__

    def exit_and_retire(self, exc_type, exc_value, traceback):
        connection = transaction.get_connection(self.using)
        answer = original_exit(self, exc_type, exc_value, traceback)
        if connection.in_atomic_block and not _in_real_transaction(connection):
            due = [c for c in connection.run_on_commit if isinstance(c[1], retirement._Retirement)]
            connection.run_on_commit = [c for c in connection.run_on_commit if c not in due]
            if exc_type is None:
                for _savepoints, callback, _robust in due:
                    callback()
        return answer

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_retire)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (``seed_demo``) built once for a test module, as Django's
    ``setUpTestData`` builds a class's data once: seeding takes seconds, and a few
    dozen tests only read it. It is seeded in a transaction held open for the module;
    each test runs in a savepoint inside it (the ``db`` fixture), so what a test
    changes is undone for the next, and the module's end rolls the demo back.

    Yields what seed_demo printed. Every test of the module from the first that asks
    for it on sees the demo: keep such modules to tests of the demo.
    """
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock():
        media = tmp_path_factory.mktemp("demo-media")
        _demo_media["path"] = media
        with override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media, IMAGE_WEBP_EFFORT=0
        ):
            held = transaction.atomic()
            held._from_testcase = True  # type: ignore[attr-defined]  # as TestCase marks its own
            held.__enter__()
            try:
                printed = StringIO()
                call_command("seed_demo", stdout=printed)
                yield printed.getvalue()
            finally:
                transaction.set_rollback(True)
                held.__exit__(None, None, None)
                cache.clear()


# Where the module's demo world keeps its uploads (logos, pictures): its tests read
# them there, not in their own empty media folder.
_demo_media: dict = {}


@pytest.fixture
def demo(demo_world, db, settings):
    """A test's view of the module's demo world (see demo_world)."""
    settings.MEDIA_ROOT = _demo_media["path"]
    return demo_world


@pytest.fixture
def brand_a(db):
    return BrandFactory(slug="brand-a", name="Alpha Wellness", hostname=HOST_A)


@pytest.fixture
def brand_b(db):
    return BrandFactory(
        slug="brand-b", name="Beta Infusion Center", hostname=HOST_B, phone="+17865550100"
    )


@pytest.fixture
def editor_a(brand_a):
    return staff("editor_a", (brand_a, Role.EDITOR))


@pytest.fixture
def front_desk_a(brand_a):
    return staff("front_desk_a", (brand_a, Role.FRONT_DESK))


@pytest.fixture
def brand_admin_a(brand_a):
    return staff("brand_admin_a", (brand_a, Role.BRAND_ADMIN))


@pytest.fixture
def staff_b(brand_b):
    return staff("staff_b", (brand_b, Role.BRAND_ADMIN))


@pytest.fixture
def group_admin(brand_a, brand_b):
    return staff("group_admin", (brand_a, Role.BRAND_ADMIN), (brand_b, Role.BRAND_ADMIN))


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def personas(editor_a, front_desk_a, brand_admin_a, staff_b, group_admin, superuser):
    return {
        "editor_a": editor_a,
        "front_desk_a": front_desk_a,
        "brand_admin_a": brand_admin_a,
        "staff_b": staff_b,
        "group_admin": group_admin,
        "superuser": superuser,
    }


def client_for(user=None, host=HOST_A, *, second_factor=True) -> Client:
    """Return a test client on ``host``, logged in as ``user`` when given.

    Staff are signed in as after their password and their authenticator's code (an app
    set up for them here), unless ``second_factor`` is False: the password alone.
    """
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
        if second_factor and user.is_staff:
            pass_second_factor(client, user)
    return client


def pass_second_factor(client: Client, user) -> None:
    """Mark ``client``'s session as past the second factor, as staff/two_factor does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_a(brand_a):
    return client_for(host=HOST_A)


@pytest.fixture
def client_b(brand_b):
    return client_for(host=HOST_B)


@pytest.fixture
def redis_cache(settings):
    """Point Django's cache at the local Redis server (skipped when none answers)."""
    import redis

    # One Redis database per parallel test worker (gw0: 15, gw1: 14, ...): a cache clear
    # empties a whole database and must not reach another worker's keys.
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    url = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - worker % 8}")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis server answers at {url}")
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.resilient_cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def production_server(tmp_path_factory):
    """Demo data in a fresh SQLite file, then two production gunicorn workers on it.

    Production settings without Redis ("one machine"); shared by the reliability and
    browser tests that need a real deployment. Yields its URL, settings and log file.
    """
    from tests.reliability.harness import production_deployment

    with production_deployment(tmp_path_factory.mktemp("production")) as server:
        yield server


def content_of(response) -> bytes:
    """The body of a response, streamed (CSV exports) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
