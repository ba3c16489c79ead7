"""The trivial limit: a WSGI app that returns fixed bytes, under the same gunicorn.

It serves the very bytes of the article page, headers included (security headers,
caching headers, Vary), so the comparison measures what the portal adds on top of the
server and the network stack, nothing else.
"""

import json
import os

with open(os.environ["BENCH_BODY"], "rb") as handle:
    BODY = handle.read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]
if os.environ.get("BENCH_HEADERS"):
    with open(os.environ["BENCH_HEADERS"]) as handle:
        HEADERS = [tuple(pair) for pair in json.load(handle)]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
