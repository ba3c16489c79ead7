"""Production gunicorn with Redis behind a TCP proxy that is cut in the middle of a load:
every page still answers, every consultation request is saved, and the cache is used
again when Redis is back (issue 16, item 1)."""

import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
import redis

from tests.reliability.harness import HOST, TcpProxy, production_deployment
from tests.reliability.test_production_workers import Browser, send_request, shell

PAGES = [
    "/",
    "/articles/",
    "/locations/",
    "/consultation/",
    "/admin/login/",
    "/static/css/portal.css",
]


def status_of(url: str) -> int:
    try:
        request = urllib.request.Request(url, headers={"Host": HOST})
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # no answer at all


def send_patient(base: str, number: int) -> int:
    return send_request(
        Browser(base),
        name=f"Load Patient {number}",
        email=f"load{number}@example.org",
        phone="+13055550147",
        contact_method="phone",
        preference_note="Mornings",
    )


@pytest.fixture
def redis_proxy():
    try:
        redis.Redis(socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis server answers on 127.0.0.1:6379")
    proxy = TcpProxy(6379)
    yield proxy
    proxy.close()


def test_a_redis_cut_mid_load_is_not_a_site_outage(tmp_path, redis_proxy):
    prefix = f"outage-{uuid.uuid4().hex}"
    with production_deployment(
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:{redis_proxy.port}/9",
        CACHE_KEY_PREFIX=prefix,
    ) as server:
        base = server["base"]
        before = {path: status_of(base + path) for path in PAGES}
        assert set(before.values()) == {200}, before
        answers: list[tuple[str, str, int]] = []
        stop = threading.Event()
        phase = {"now": "before"}

        def read():
            while not stop.is_set():
                for path in PAGES:
                    answers.append((phase["now"], path, status_of(base + path)))

        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        try:
            time.sleep(2)
            redis_proxy.cut()
            phase["now"] = "cut"
            during = [send_patient(base, number) for number in range(2)]
            staff = Browser(base)
            staff.log_in("kmd-frontdesk")  # password, then the two-factor set-up
            inbox = staff.get("/admin/appointments/consultationrequest/")
            time.sleep(2)
            redis_proxy.restore()
            phase["now"] = "restored"
            time.sleep(3)  # past the back-off: every worker uses Redis again
            after = [send_patient(base, number) for number in range(2, 4)]
            time.sleep(1)
        finally:
            stop.set()
            for reader in readers:
                reader.join(timeout=30)
        log = server["log"].read_text()
        count = shell(
            server["env"],
            "from appointments.models import ConsultationRequest as R; "
            "print(R.objects.across_brands().filter(name__startswith='Load').count())",
        )

    wrong = [answer for answer in answers if answer[2] != 200]
    assert not wrong, wrong[:10]
    assert {phase for phase, _p, _s in answers} >= {"before", "cut", "restored"}
    assert during == [302, 302] and after == [302, 302]
    assert inbox[0] == 200 and "result_list" in inbox[1]
    assert int(count) == 4
    assert "Cache (Redis) unavailable" in log and "Cache (Redis) answers again" in log
    # Used again once back: pages were stored under the prefix after the restore.
    stored = redis.Redis(db=9).scan_iter(f"{prefix}*")
    assert next(stored, None) is not None
    redis.Redis(db=9).delete(*redis.Redis(db=9).keys(f"{prefix}*"))


def test_the_health_check_names_a_silent_or_cut_cache_within_a_second(tmp_path, redis_proxy):
    """Issue 31, item 4: Redis holding its connections (answering nothing) or cut: the
    health check still answers within a second, healthy, and says the cache is down."""
    import json
    import urllib.request

    def health(base):
        started = time.monotonic()
        with urllib.request.urlopen(base + "/healthz", timeout=10) as answer:
            return answer.status, json.loads(answer.read()), time.monotonic() - started

    prefix = f"health-{uuid.uuid4().hex}"
    with production_deployment(
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:{redis_proxy.port}/9",
        CACHE_KEY_PREFIX=prefix,
    ) as server:
        base = server["base"]
        assert health(base)[1]["cache"] == "up"
        for fault in (redis_proxy.hold, redis_proxy.cut):
            fault()
            for _ in range(6):
                status, body, seconds = health(base)
                assert status == 200 and body["database"] == "up", (fault, body)
                assert body["cache"] == "down" and seconds < 1, (fault, body, seconds)
            redis_proxy.restore()
