"""A database that accepts connections and never answers costs one request a few
seconds, not a worker.

When PostgreSQL (or a pooler in front of it) keeps the connection up but answers
nothing, the operating system acknowledges every packet: TCP timeouts and keepalives
never fire, and the server's statement_timeout cannot, as the server is not running the
statement. The query would wait until gunicorn killed the worker at 30 s, with every
other worker soon stuck the same way. So, in gunicorn's workers (``enable`` from
gunicorn.conf.py's ``post_fork``), every query has a deadline kept by the worker
itself: a timer signal that interrupts the wait with ``DatabaseUnanswered``, a kind of
OperationalError, which the site answers with its branded 503 (portal/errors.py).

The timer is SIGALRM, which only the main thread receives: a sync worker's requests run
there. Elsewhere (runserver's threads, tests, management commands) nothing changes.
"""

import signal
import threading
import time
from contextlib import contextmanager

from django.db import OperationalError


class DatabaseUnanswered(OperationalError):
    """The database did not answer within the deadline."""


_settings = {"query_seconds": 0.0}
# A kept connection's "still there?" (SELECT 1 at the start of a request) and the health
# check's probe answer in milliseconds from a working server: a short wait is enough.
QUICK_SECONDS = 0.3
_armed = threading.Event()


def enable(query_seconds: float) -> None:
    """Give every query of this process a deadline (0 turns it off)."""
    _settings["query_seconds"] = max(0.0, query_seconds)


def query_seconds() -> float:
    return _settings["query_seconds"]


def quick_seconds() -> float:
    """The deadline of a quick check: 0 (none) where queries have none either."""
    return min(QUICK_SECONDS, query_seconds())


# After a wait ran out, the worker does not wait on the database again for this long:
# the rest of the request (its error page too) and the requests right after it fail at
# once instead of each waiting out a deadline of its own. Then it tries again.
RESTING_SECONDS = 2.0
_last_unanswered = {"at": float("-inf")}


def note_unanswered() -> None:
    _last_unanswered["at"] = time.monotonic()


def resting() -> bool:
    """Did the database leave a wait unanswered a moment ago (in this worker)?"""
    return query_seconds() > 0 and time.monotonic() - _last_unanswered["at"] < RESTING_SECONDS


def _on_alarm(signum, frame):
    if _armed.is_set():
        _armed.clear()
        raise DatabaseUnanswered("The database did not answer in time.")


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float):
    """Raise ``DatabaseUnanswered`` in the block if it takes longer than ``seconds``
    (where a timer signal can be had; otherwise the block simply runs)."""
    if seconds <= 0 or not _can_time() or _armed.is_set():  # none, or one already running
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _armed.set()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _armed.clear()
        signal.signal(signal.SIGALRM, previous)


def guard_query(execute, sql, params, many, context):
    """An execute wrapper (Django's ``execute_wrappers``): the query's deadline, and a
    connection left in an unknown state is closed so that the next query opens anew."""
    try:
        with deadline(query_seconds()):
            return execute(sql, params, many, context)
    except DatabaseUnanswered:
        note_unanswered()
        context["connection"].close()
        raise
