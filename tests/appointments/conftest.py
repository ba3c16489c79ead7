"""Shared rows and helpers for the consultation tests (a Monday morning in Miami)."""

import itertools
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import HOST_A, client_for
from tests.factories import article, reference_location

NY = ZoneInfo("America/New_York")
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=NY)
# With a two-hour lead, the first slot on Monday is 11:00 New York time (16:00 UTC).
FIRST_SLOT = "{pk}|2026-11-23T16:00Z"


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def location(brand_a):
    return reference_location(brand_a, slug="downtown", name="Downtown clinic")


@pytest.fixture
def sleep_piece(brand_a):
    return article(brand_a, slug="ketamine-sleep", topics=("sleep",))


def form_page(client, path="/consultation/"):
    response = client.get(path)
    assert response.status_code == 200
    token = re.search(r'name="submission_token" value="([^"]+)"', response.content.decode())
    return response, token.group(1)


def valid_data(place, token, **overrides):
    data = {
        "name": "Ana María O'Neil",
        "email": "ana@example.org",
        "phone": "(305) 555-0147",
        "contact_method": "phone",
        "location": str(place.pk),
        "topic": "",
        "slot": FIRST_SLOT.format(pk=place.pk),
        "preference_note": "",
        "message": "I have had trouble sleeping for months.",
        "consent": "on",
        "website": "",
        "submission_token": token,
        "article": "",
    }
    data.update(overrides)
    return data


_requests_sent = itertools.count(1)


def submit(place, client=None, **overrides):
    """Send a request as a patient does; each call a different request (a resend of the
    very same one finds the first: tests/appointments/test_resend.py)."""
    client = client or client_for(host=HOST_A)
    _, token = form_page(client)
    overrides.setdefault(
        "message", f"I have had trouble sleeping for months ({next(_requests_sent)})."
    )
    return client, client.post("/consultation/", valid_data(place, token, **overrides))
