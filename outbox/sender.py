"""The outbox sender: one long-running process that sends every message of the outbox.

It sends what is due, then sleeps until the next row is due (at most ``poll`` seconds,
so that new rows go out within a moment). It rides out a database outage: the failed
round is logged, the connection is dropped, and it tries again with a growing pause;
nothing is lost, because the rows are the queue. SIGTERM (a deployment, systemd) ends
it after the e-mail in hand.
"""

import logging
import signal
import threading
from datetime import timedelta

from django.db import DatabaseError, InterfaceError, close_old_connections, connections
from django.utils import timezone

from outbox import sending

logger = logging.getLogger(__name__)

LONGEST_OUTAGE_PAUSE = 30.0


def run(*, poll: float = 1.0, stop: threading.Event | None = None, rounds: int | None = None):
    """Send due messages until ``stop`` is set (or after ``rounds`` rounds)."""
    stop = stop or threading.Event()
    outage_pause = 0.0
    done = 0
    while not stop.is_set() and (rounds is None or done < rounds):
        done += 1
        try:
            close_old_connections()
            while sending.send_due() and not stop.is_set():
                pass  # a full batch: there may be more right away
            pause = _until_next_due(poll)
            if outage_pause:
                logger.warning("Database reachable again; sending resumed")
            outage_pause = 0.0
        except (DatabaseError, InterfaceError) as exc:
            # The database went away: drop the broken connection and try again later.
            outage_pause = min(LONGEST_OUTAGE_PAUSE, max(1.0, outage_pause * 2))
            logger.warning(
                "Database unavailable (%s); notification sender retrying in %.0f s",
                type(exc).__name__,
                outage_pause,
            )
            connections.close_all()
            pause = outage_pause
        stop.wait(pause)


def _until_next_due(poll: float) -> float:
    upcoming = sending.next_due()
    if upcoming is None:
        return poll
    return max(0.0, min(poll, (upcoming - timezone.now()) / timedelta(seconds=1)))


def stop_on_sigterm() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop
