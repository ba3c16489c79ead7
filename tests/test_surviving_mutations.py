"""Behaviours a mutation of the code once changed without any test noticing (issue 34):
each test names the behaviour it holds in place."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from appointments import ratelimit
from appointments.models import ConsultationRequest
from clinic.hours import week_parity
from staff.models import Invitation


def test_alternate_weeks_count_from_the_anchor_s_monday_not_the_anchor_day():
    # Anchored on Saturday 14 November 2026: its week began Monday the 9th.
    saturday = date(2026, 11, 14)
    assert week_parity(date(2026, 11, 13), saturday) == 0  # the Friday of that week
    assert week_parity(date(2026, 11, 20), saturday) == 1  # six days later, next week
    assert week_parity(date(2026, 11, 27), saturday) == 0


@pytest.mark.django_db
def test_an_invitation_past_its_expiry_is_no_longer_open(brand_a):
    now = timezone.now()
    invitation = Invitation(
        brand=brand_a, email="new@alpha.example", role="editor", expires_at=now + timedelta(1)
    )
    assert invitation.is_open
    invitation.expires_at = now - timedelta(minutes=1)
    assert not invitation.is_open


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_counts_the_last_ten_minutes_only(brand_a):
    def requests_made(minutes_ago, count):
        with time_machine.travel(timezone.now() - timedelta(minutes=minutes_ago), tick=False):
            for n in range(count):
                ConsultationRequest.objects.create(
                    brand=brand_a,
                    name="Pat",
                    email=f"pat{n}@example.org",
                    phone="+13055550100",
                    client_hash="same-client",
                )

    def may_send() -> bool:
        try:
            with transaction.atomic():
                ratelimit.hold(brand_a, "same-client", limit=3)
        except ratelimit.LimitReached:
            return False
        return True

    requests_made(11, 3)  # outside the window: they no longer count
    assert may_send()
    requests_made(9, 3)  # inside it
    assert not may_send()
