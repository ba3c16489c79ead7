"""Run the portal under gunicorn, as in production, and talk to it over HTTP.

Only loopback addresses are used; every loop is bounded in count and time.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "kmd.localhost"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))}
    env.update(
        PORTAL_ENV="development",
        DEBUG="0",
        CONSULTATION_RATE_LIMIT="1000000",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def manage(env, *args, timeout=300):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def prepare_database(env):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")


@contextmanager
def production_deployment(
    folder: Path,
    workers: int = 2,
    timeout: int = 60,
    database_url: str = "",
    served_database_url: str = "",
    **extra_env,
):
    """Demo data in a fresh SQLite file (or ``database_url``), then production gunicorn
    workers on it (reaching it at ``served_database_url`` when given: a proxy).

    Production settings without Redis ("one machine"), plus ``extra_env``. Yields the
    server's URL, settings and log file.
    """
    from tests.portal.test_settings import STRONG_KEY

    database = database_url or f"sqlite:///{folder / 'portal.sqlite3'}"
    media = folder / "media"
    development = environment(DATABASE_URL=database, MEDIA_ROOT=str(media))
    manage(development, "migrate", "--noinput", "-v0")
    manage(development, "seed_demo")
    production = environment(
        PORTAL_ENV="production",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS=".localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=served_database_url or database,
        MEDIA_ROOT=str(media),
        CACHE_DIR=str(folder / "cache"),
        STATIC_ROOT=str(folder / "static"),
        CONSULTATION_RATE_LIMIT="5",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="DEBUG",
        **extra_env,
    )
    manage(production, "collectstatic", "--noinput", "-v0")
    log_path = folder / "server.log"
    with gunicorn(production, workers=workers, log_path=log_path, timeout=timeout) as base:
        yield {"base": base, "env": production, "log": log_path}


@contextmanager
def gunicorn(env, workers=4, log_path=None, timeout=60):
    """Serve the portal as docs/deploy.md does (gunicorn.conf.py); yield its base URL.

    With ``log_path``, everything gunicorn and the app print goes to that file.
    """
    port = free_port()
    log = open(log_path, "w") if log_path else None  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            "5",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if process.poll() is not None:
                    output = Path(log_path).read_text() if log else process.stderr.read()
                    raise AssertionError(output[-3000:]) from None
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start")
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Patient:
    """One browser: its own cookies, a form fetched, a request sent."""

    def __init__(self, base: str, number: int):
        self.base = base
        self.number = number
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.fields = None

    def _open(self, path, data=None):
        request = urllib.request.Request(self.base + path, data=data, headers={"Host": HOST})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def fetch_form(self):
        status, body, _ = self._open("/consultation/")
        assert status == 200, (status, body[:500])
        self.fields = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[
                1
            ],
            "submission_token": re.search(r'name="submission_token" value="([^"]+)"', body)[1],
            "location": re.search(r'<option value="(\d+)"[^>]*>Brickell', body)[1],
        }

    def send(self):
        data = {
            **self.fields,
            "name": f"Load Patient {self.number}",
            "email": f"patient{self.number}@example.org",
            "phone": f"+1305555{self.number % 10000:04d}",
            "contact_method": "phone",
            "slot": "",
            "preference_note": "Any weekday",
            "message": "Load test",
            "consent": "on",
        }
        status, body, headers = self._open("/consultation/", urllib.parse.urlencode(data).encode())
        return status, body, headers


def submit_concurrently(base: str, count: int, start: int = 0):
    """Fetch ``count`` forms, then send them all at the same moment."""
    patients = [Patient(base, start + n) for n in range(count)]
    for patient in patients:
        patient.fetch_form()
    barrier = threading.Barrier(count, timeout=60)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = patients[index].send()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return patients, results


class TcpProxy:
    """A loopback TCP forwarder that can cut every connection, like a network outage,
    or hold them: accept and acknowledge everything and forward nothing until
    ``restore()``, like a hung server process or a pooler whose server went silent."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.held = False
        self.sockets = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._forward, args=(a, b), daemon=True).start()

    def _forward(self, source, sink):
        self.pipe(source, sink, held=lambda: self.held)

    @staticmethod
    def pipe(source, sink, held=lambda: False):
        """Pass bytes on from ``source`` to ``sink``; while ``held()``, nothing moves
        (the kernel still takes in and acknowledges what is sent, as for a hung server
        process), and once it is not, what waited goes on in order."""
        try:
            while True:
                while held():
                    time.sleep(0.05)
                chunk = source.recv(65536)
                if not chunk:
                    break
                while held():
                    time.sleep(0.05)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.up = False
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self.sockets = []

    def hold(self):
        self.held = True

    def restore(self):
        self.up = True
        self.held = False

    def close(self):
        self.cut()
        self.listener.close()


def pgbouncer_binary() -> str | None:
    import shutil

    return shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )


@contextmanager
def pgbouncer(server_port: int, database: str):
    """PgBouncer in transaction pooling mode in front of ``server_port``, with the
    timeouts docs/deploy.md gives; yields its port. Run as ``nobody`` when we are root
    (PgBouncer refuses to run as root)."""
    import shutil
    import tempfile

    binary = pgbouncer_binary()
    assert binary, "pgbouncer is not installed"
    # A folder of its own that ``nobody`` can reach (pytest's are private to root).
    home = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    home.chmod(0o755)
    port = free_port()
    (home / "users.txt").write_text('"root" ""\n')
    (home / "pgbouncer.ini").write_text(
        f"""[databases]
{database} = host=127.0.0.1 port={server_port} dbname={database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {home / "users.txt"}
pool_mode = transaction
max_client_conn = 200
default_pool_size = 20
query_wait_timeout = 5
server_connect_timeout = 3
server_login_retry = 2
query_timeout = 15
client_idle_timeout = 0
ignore_startup_parameters = extra_float_digits,options
logfile = {home / "pgbouncer.log"}
pidfile = {home / "pgbouncer.pid"}
"""
    )
    command = [binary, str(home / "pgbouncer.ini")]
    if os.geteuid() == 0:
        shutil.chown(home, "nobody")
        for item in home.iterdir():
            shutil.chown(item, "nobody")
        command[1:1] = ["-u", "nobody"]
    # Its output goes nowhere: an unread pipe fills up with its log lines and then
    # blocks PgBouncer's one event loop (it logs to its file as well).
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert process.poll() is None, (home / "pgbouncer.log").read_text()[-2000:]
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)
