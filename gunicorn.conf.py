"""gunicorn settings for the portal (``gunicorn -c gunicorn.conf.py portal.wsgi``).

Only what differs from gunicorn's defaults, each for a reason:

- the access log never carries a query string or a referrer: staff search the inbox by
  a patient's name, e-mail or phone (``/admin/...?q=``), and a referrer repeats the
  search page's address on the next request;
- a worker is restarted now and then, so that a slow leak cannot grow for ever: every
  tens of thousands of requests, not every few seconds of a busy day, and from a
  preloaded app (the restart is a fork, not a fresh import of Django: no half-second
  pause for the requests queued behind it). Deploy a new release with a full restart
  (systemctl restart), not HUP, so that the master loads the new code too.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
max_requests = 50000
max_requests_jitter = 5000
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# %(U)s is the path without its query string; no %(r)s (the request line with the
# query), no %(f)s (the referrer), no %(q)s.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'


def pre_fork(server, worker):
    # With preload_app, anything the master opened would be shared by every worker it
    # forks: a database connection must never be (the workers open their own).
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


def post_fork(server, worker):
    app = server.cfg.wsgi_app or getattr(server.app, "app_uri", None) or ""
    if not app.startswith("portal."):
        return  # not the portal: the bench's trivial app runs under these settings too
    from django.conf import settings

    # A long download (the inbox's CSV) beats while it makes progress: portal/heartbeat.py.
    from portal import heartbeat

    heartbeat.install(worker.notify)
    # A database that accepts and never answers costs a request seconds, not the worker.
    from portal import db_deadline

    db_deadline.enable(settings.DB_QUERY_DEADLINE)
