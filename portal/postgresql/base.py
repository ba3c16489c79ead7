"""Django's PostgreSQL backend with deadlines on every wait (portal/db_deadline.py):
connecting and setting the session up, the health check of a kept connection, and
every query. After a wait ran out, the worker rests from the database for a moment
instead of waiting again."""

import time
from contextlib import suppress

from django.db.backends.postgresql import base

from portal import db_deadline

# A failed connection attempt slower than this was a wait, not a refusal.
SLOW_CONNECT_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(db_deadline.guard_query)

    def connect(self):
        """Connect and set the session up (time zone, role), all within the deadline:
        behind a pooler the connection itself succeeds at once, and the first statement
        is what a silent server leaves unanswered."""
        if db_deadline.resting():
            raise db_deadline.DatabaseUnanswered("The database did not answer a moment ago.")
        started = time.monotonic()
        try:
            with db_deadline.deadline(db_deadline.query_seconds()):
                super().connect()
        except Exception:
            # Timed out or silent: rest a moment. A refusal came at once: the next
            # request may try again straight away (the server may be back by then).
            if time.monotonic() - started > SLOW_CONNECT_SECONDS:
                db_deadline.note_unanswered()
            self._drop_half_made_connection()
            raise

    def _drop_half_made_connection(self):
        if self.connection is not None:
            with suppress(Exception):  # it is being thrown away either way
                self.connection.close()
            self.connection = None

    def is_usable(self):
        # Django asks this at the start of a request (CONN_HEALTH_CHECKS) on a connection
        # kept from an earlier one, bypassing the execute wrappers: a silent server
        # would hold the request here.
        try:
            with db_deadline.deadline(db_deadline.quick_seconds()):
                return super().is_usable()
        except db_deadline.DatabaseUnanswered:
            db_deadline.note_unanswered()
            return False
