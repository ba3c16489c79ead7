"""A worker's own deadline on database waits (portal/db_deadline.py), without a
database: the timer, where it applies, and what a guarded query leaves behind."""

import signal
import threading
import time
from unittest import mock

import pytest

from portal import db_deadline


def test_a_wait_longer_than_the_deadline_is_interrupted():
    started = time.monotonic()
    with pytest.raises(db_deadline.DatabaseUnanswered), db_deadline.deadline(0.2):
        time.sleep(5)  # a query waiting on a silent server
    assert time.monotonic() - started < 1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nothing left armed


def test_a_quick_block_finishes_and_leaves_no_timer():
    with db_deadline.deadline(2):
        value = sum(range(1000))
    assert value == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    time.sleep(0.05)  # and no late alarm


def test_other_threads_are_left_alone():
    """Only a sync worker's main thread gets timer signals: elsewhere, no deadline."""
    outcome = {}

    def run():
        with db_deadline.deadline(0.05):
            time.sleep(0.2)
        outcome["finished"] = True

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert outcome == {"finished": True}


def test_no_deadline_is_kept_until_enabled():
    assert db_deadline.query_seconds() == 0
    assert db_deadline.quick_seconds() == 0
    with db_deadline.deadline(db_deadline.query_seconds()):
        time.sleep(0.05)


def test_a_guarded_query_that_times_out_closes_its_connection():
    db_deadline.enable(0.2)
    connection = mock.Mock()
    try:
        with pytest.raises(db_deadline.DatabaseUnanswered):
            db_deadline.guard_query(
                lambda *args: time.sleep(5), "SELECT 1", None, False, {"connection": connection}
            )
        assert db_deadline.quick_seconds() == 0.2
    finally:
        db_deadline.enable(0)
    connection.close.assert_called_once()


def test_a_guarded_query_in_time_returns_its_answer():
    db_deadline.enable(1)
    try:
        answer = db_deadline.guard_query(
            lambda sql, *rest: f"ran {sql}", "SELECT 1", None, False, {"connection": None}
        )
    finally:
        db_deadline.enable(0)
    assert answer == "ran SELECT 1"


def test_the_answer_is_the_site_s_503():
    from django.db import OperationalError

    assert issubclass(db_deadline.DatabaseUnanswered, OperationalError)  # portal/errors.py
