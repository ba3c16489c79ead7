"""The article page's throughput when the page cache cannot hold the group's pages.

Called by bench/public_scale.py on its database of 50 brands × 10,000 articles: a Redis
of its own with ``maxmemory 64mb`` and ``allkeys-lru`` is the portal's cache; the portal
runs as in production (2 gunicorn sync workers, page cache on). wrk first asks for
random articles of the 48 generated brands until Redis evicts (its memory full of
pages that will not all fit), then measures one article page, a reader's random
article of the group (nearly always a miss), and the trivial WSGI app serving the
article's bytes: the yardstick the issue measures the article against (>= 15 %).
"""

import json
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis
from run import Server, env_for, free_port, manage, wrk

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/articles/can-ketamine-infusion-therapy-help-treat-ptsd/"

RANDOM_ARTICLE = """
-- Each thread its own sequence, and each run a new one (the seed is written anew).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
function init(args)
  math.randomseed(%(seed)d + number * 7919)
end
request = function()
  local brand = string.format("bench-%%02d", math.random(3, %(brands)d))
  local path = "/articles/g-" .. brand .. "-" .. math.random(1, %(per_brand)d) .. "/"
  return wrk.format("GET", path, {Host = brand .. ".localhost"})
end
"""


def measure(database_url: str, *, brands: int, per_brand: int) -> list[str]:
    workdir = Path(tempfile.mkdtemp(prefix="portal-small-cache-"))
    port = free_port()
    options = {"maxmemory": "64mb", "maxmemory-policy": "allkeys-lru", "save": ""}
    options |= {"port": port, "bind": "127.0.0.1"}
    command = ["redis-server"]
    for name, value in options.items():
        command += [f"--{name}", str(value)]
    cache = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    servers: list[Server] = []
    try:
        env = env_for(
            workdir,
            DATABASE_URL=database_url,
            REDIS_URL=f"redis://127.0.0.1:{port}/0",
            PAGE_CACHE_SECONDS="600",
        )
        manage(env, "collectstatic", "--noinput", "-v0")
        portal = Server(env)
        servers.append(portal)
        script = workdir / "random.lua"

        def random_articles(seconds: int) -> dict:
            script.write_text(
                RANDOM_ARTICLE
                % {"seed": secrets.randbelow(10**6), "brands": brands, "per_brand": per_brand}
            )
            return wrk(portal.base + "/", f"{seconds}s", script=script)

        client = redis.Redis(port=port)
        deadline = time.monotonic() + 900
        while not client.info("stats")["evicted_keys"] and time.monotonic() < deadline:
            random_articles(20)  # fill until Redis evicts
        stats, memory = client.info("stats"), client.info("memory")
        random_pages = random_articles(10)
        portal.get(ARTICLE)
        body, headers = portal.get(ARTICLE)
        one_article = wrk(portal.base + ARTICLE, "10s")
        (workdir / "article.html").write_bytes(body)
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
        limit = wrk(trivial.base + "/", "10s")
    finally:
        for server in servers:
            server.stop()
        cache.terminate()
        cache.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    share = 100 * one_article["rps"] / limit["rps"]
    return [
        f"Page cache: Redis maxmemory 64 MB, allkeys-lru; used {memory['used_memory_human']}, "
        f"{stats['evicted_keys']:,} pages evicted while filling",
        f"  trivial WSGI app (the article's bytes)   {limit['rps']:8.0f} req/s",
        f"  one article page                          {one_article['rps']:8.0f} req/s"
        f"   {share:5.1f} % of trivial",
        f"  a random article of the group (misses)    {random_pages['rps']:8.0f} req/s"
        f"   {100 * random_pages['rps'] / limit['rps']:5.1f} % of trivial"
        + (f"  ({random_pages['errors']} errors)" if random_pages["errors"] else ""),
    ]
