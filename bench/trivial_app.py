"""The trivial limit: a WSGI app that returns fixed bytes, under the same gunicorn.

It serves the very bytes of the article page, so the comparison measures what the
portal adds on top of the server and the network stack, nothing else.
"""

import os

with open(os.environ["BENCH_BODY"], "rb") as handle:
    BODY = handle.read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
