"""The consultation limit counts real clients, directly and behind a load balancer."""

import pytest
from django.test import Client

from appointments.models import ConsultationRequest
from tests.appointments.conftest import submit
from tests.conftest import HOST_A

LB = "10.0.0.5"
PATIENT = "203.0.113.10"
ATTACKER = "198.51.100.66"


def through_balancer(forwarded_for: str) -> Client:
    return Client(HTTP_HOST=HOST_A, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR=forwarded_for)


class TestTheFormBehindABalancer:
    @pytest.fixture(autouse=True)
    def _behind_a_balancer(self, settings, monday, location):
        settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
        self.location = location

    def test_one_noisy_client_does_not_close_the_form_for_everyone(self):
        noisy = through_balancer(ATTACKER)
        for _ in range(5):
            assert submit(self.location, client=noisy)[1].status_code == 302
        assert submit(self.location, client=noisy)[1].status_code == 429
        assert submit(self.location, client=through_balancer(PATIENT))[1].status_code == 302

    def test_a_forged_header_does_not_buy_a_fresh_budget(self):
        for number in range(6):
            # A new invented address each time, but the balancer appends the real one.
            client = through_balancer(f"192.0.2.{number}, {ATTACKER}")
            status = submit(self.location, client=client)[1].status_code
            assert status == (302 if number < 5 else 429)
        assert ConsultationRequest.objects.count() == 5


class TestTheFormServedDirectly:
    def test_a_forged_header_is_ignored(self, monday, location):
        for number in range(6):
            client = Client(
                HTTP_HOST=HOST_A, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
            )
            status = submit(location, client=client)[1].status_code
            assert status == (302 if number < 5 else 429)
