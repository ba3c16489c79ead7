"""Django's PostgreSQL backend with deadlines on every wait (portal/db_deadline.py):
connecting, the health check of a kept connection, and every query. After a wait ran
out, the worker rests from the database for a moment instead of waiting again."""

from django.db.backends.postgresql import base

from portal import db_deadline


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(db_deadline.guard_query)

    def get_new_connection(self, conn_params):
        if db_deadline.resting():
            raise db_deadline.DatabaseUnanswered("The database did not answer a moment ago.")
        try:
            # A server that accepts and never answers the start-up: libpq's connect
            # timeout ends it too, in whole seconds; this is the worker's own.
            with db_deadline.deadline(db_deadline.query_seconds()):
                return super().get_new_connection(conn_params)
        except Exception:
            db_deadline.note_unanswered()  # refused, timed out or silent: rest a moment
            raise

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
