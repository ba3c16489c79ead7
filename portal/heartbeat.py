"""A long response tells gunicorn's master that its worker is still at work.

A sync worker tells the master it is alive only between requests; one response that
takes longer than ``timeout`` (a CSV of every request of a brand, sent to a slow
connection) gets its worker killed mid-file. Code that keeps making progress on one
response calls ``beat()`` now and then; gunicorn.conf.py's ``post_fork`` gives this
module the worker's own ``notify``. Outside gunicorn (tests, runserver) it does nothing.
A response stuck on something else (a silent database) still beats no more, and is
still stopped by the timeout.
"""

from collections.abc import Callable

_notify: Callable[[], None] | None = None


def install(notify: Callable[[], None]) -> None:
    global _notify
    _notify = notify


def beat() -> None:
    if _notify is not None:
        _notify()
