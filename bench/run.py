"""Benchmark the portal under gunicorn with wrk; print figures, write nothing.

    make bench        (or: .venv/bin/python bench/run.py)

Starts the portal as in production (PORTAL_ENV=production, DEBUG off, collected
static files, 2 sync gunicorn workers) on a fresh SQLite database with the demo data
plus 1,000 generated articles, and measures with wrk (Debian package):
- home, article list, article detail, locations and the consultation form with no
  cache at all, with a cold page cache (every request rendered; article data may be
  reused) and with a warm page cache;
- a trivial WSGI app serving the same article bytes under the same gunicorn: the
  ceiling the portal is compared with;
- article detail and list at 100, 1,000 and 10,000 articles (no cache): the cost
  must stay flat;
- the article page's weight (HTML, CSS and JS as sent compressed, no images).
Only loopback addresses are used; every run is bounded in time.
"""

import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "kmd.localhost"
ARTICLE = "/articles/can-ketamine-infusion-therapy-help-treat-ptsd/"
PAGES = {
    "home": "/",
    "article list": "/articles/",
    "article detail": ARTICLE,
    "locations": "/locations/",
    "consultation form": "/consultation/",
}
# Searched as the articles grow: a word of two demo articles only, and one that every
# generated article contains as well (the worst case: every row matches and is ranked).
SEARCHES = {
    "search (2 matches)": "/articles/search/?q=insomnia",
    "search (every article)": "/articles/search/?q=ketamine",
    "sitemap index": "/sitemap.xml",
    "sitemap, articles 1": "/sitemap-articles-1.xml",
}
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(workdir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=".localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        CACHE_DIR=str(workdir / "cache"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
        SEARCHES_PER_MINUTE="100000000",  # wrk is one client searching flat out
    )
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def manage(env, *args, extra_env=None):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **(extra_env or {})},
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )


class Server:
    def __init__(self, env, app="portal.wsgi", workers=2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                # Both the portal and the trivial app run with the deployment's own
                # gunicorn settings (gunicorn.conf.py): the same server, the same log.
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                app,
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            # The trivial app is bench/trivial_app.py; gunicorn.conf.py's hooks import
            # the project's modules, so both directories are on the path.
            env={**env, "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)])},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/healthz" if app == "portal.wsgi" else "/")
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{app} did not start")

    def get(self, path, encoding=None):
        headers = {"Host": HOST}
        if encoding:
            headers["Accept-Encoding"] = encoding
        request = urllib.request.Request(self.base + path, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read(), dict(response.headers)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextmanager
def demo_server(prefix: str) -> Iterator[str]:
    """The portal as in production on a fresh SQLite database with the demo data (no
    generated articles); yields its port, and removes everything after."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = env_for(workdir)
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--allow-production")
        manage(env, "collectstatic", "--noinput", "-v0")
        server = Server(env)
        yield server.base.rsplit(":", 1)[1]
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def wrk(url, duration=DURATION, connections=CONNECTIONS, script=None):
    """wrk's figures for ``url``; ``script``: a Lua file choosing each request."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}",
            "--latency",
            *(("-s", str(script)) if script else ()),
            "-H",
            f"Host: {HOST}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])

    def percentile(name):
        value, unit = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rate,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "errors": int(errors[1]) if errors else 0,
    }


def row(name, result, limit=None):
    ratio = f"{100 * result['rps'] / limit:5.1f} %" if limit else "      "
    print(
        f"  {name:<22} {result['rps']:9.0f} req/s   p50 {result['p50']:6.2f} ms   "
        f"p99 {result['p99']:6.2f} ms   {ratio}"
        + (f"   ({result['errors']} errors)" if result["errors"] else "")
    )


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = env_for(workdir)
    print(f"Preparing {workdir} (demo data, collected static files) ...")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--allow-production")
    manage(env, "collectstatic", "--noinput", "-v0")
    generate = ["shell", "--no-imports", "-c", (ROOT / "bench/generate_articles.py").read_text()]

    def add_articles(count):
        manage(env, *generate, extra_env={"BENCH_ADD": str(count)})

    servers = []
    scaling = {}
    try:
        # Nothing cached but the host-to-brand and location lookups: what a render costs.
        uncached = Server({**env, "PAGE_CACHE_SECONDS": "0"})
        servers.append(uncached)

        def measure_scaling(total):
            paths = {name: PAGES[name] for name in ("article list", "article detail")}
            scaling[total] = {
                name: wrk(uncached.base + path, duration="5s")
                for name, path in {**paths, **SEARCHES}.items()
            }

        add_articles(100)
        measure_scaling(100)
        add_articles(900)
        measure_scaling(1000)

        # Whole pages not cached: every request renders (article data may be reused).
        cold = Server({**env, "PAGE_CACHE": "0"})
        servers.append(cold)
        warm = Server({**env, "PAGE_CACHE_SECONDS": "600"})
        servers.append(warm)
        warm.get(ARTICLE)
        body, headers = warm.get(ARTICLE)  # a cache hit, as the warm figures measure
        (workdir / "article.html").write_bytes(body)
        # Every header the portal sends but the three gunicorn adds to any answer.
        sent = [(k, v) for k, v in headers.items() if k not in ("Server", "Date", "Connection")]
        (workdir / "headers.json").write_text(json.dumps(sent))
        trivial = Server(
            {
                **env,
                "BENCH_BODY": str(workdir / "article.html"),
                "BENCH_HEADERS": str(workdir / "headers.json"),
            },
            app="trivial_app",
        )
        servers.append(trivial)

        print(
            f"\nDemo data + 1,000 generated articles. wrk, {CONNECTIONS} connections, "
            f"{DURATION} each, 2 gunicorn sync workers, {os.cpu_count()} cores.\n"
        )
        limit = wrk(trivial.base + "/")
        print("Trivial WSGI app (the article page's very bytes, headers included):")
        row("trivial limit", limit)
        for label, server in (
            ("No cache (every query and render)", uncached),
            ("Cold page cache (every request rendered)", cold),
            ("Warm page cache", warm),
        ):
            print(f"\n{label}:{' ' * (44 - len(label))}ratio to trivial")
            for name, path in PAGES.items():
                server.get(path)  # first request fills the in-process caches
                row(name, wrk(server.base + path), limit["rps"])

        add_articles(9000)
        measure_scaling(10000)
        print("\nCost against the number of articles (no cache, 5 s each): it must stay flat")
        for total, results in scaling.items():
            for name, result in results.items():
                row(f"{name} @ {total:,}", result, limit["rps"])

        print("\nArticle page weight (compressed as sent; images excluded):")
        html, _ = warm.get(ARTICLE)
        html_gz = len(gzip.compress(html, 6))
        assets = re.findall(
            r'(?:href|src)="(/(?:static/[^"]+\.(?:css|js)|theme\.css[^"]*))"', html.decode()
        )
        total = html_gz
        print(f"  {'HTML (gzip)':<48} {html_gz / 1024:6.1f} KB  ({len(html) / 1024:.1f} KB raw)")
        for asset in sorted(set(assets)):
            content, headers = warm.get(asset.replace("&amp;", "&"), encoding="br, gzip")
            size = len(content)
            if "Content-Encoding" not in headers:
                size = len(gzip.compress(content, 6))
            total += size
            print(
                f"  {asset[:48]:<48} {size / 1024:6.1f} KB  "
                f"({headers.get('Content-Encoding', 'gzip*')})"
            )
        print(f"  {'total':<48} {total / 1024:6.1f} KB")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
