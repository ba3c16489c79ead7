"""The client's address, directly and behind trusted proxies; forged headers ignored."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from appointments.privacy import client_hash
from portal.clientip import client_ip, parse_address, parse_networks, resolve
from tests.conftest import HOST_A
from tests.factories import TEST_PASSWORD

LB = "10.0.0.5"  # the load balancer, as the app servers see it
PATIENT = "203.0.113.10"
ATTACKER = "198.51.100.66"
STAFF = "192.0.2.44"
TRUSTED = parse_networks(("10.0.0.0/24",))


class TestResolvingTheAddress:
    def test_a_direct_deployment_ignores_forwarded_headers(self):
        assert resolve(ATTACKER, PATIENT) == ATTACKER

    def test_behind_a_trusted_proxy_the_proxys_entry_is_the_client(self):
        assert resolve(LB, PATIENT, trusted=TRUSTED) == PATIENT

    def test_a_client_cannot_forge_its_way_past_the_proxy(self):
        # The client sent "X-Forwarded-For: STAFF"; the balancer appended the real peer.
        assert resolve(LB, f"{STAFF}, {ATTACKER}", trusted=TRUSTED) == ATTACKER

    def test_a_request_that_skipped_the_proxy_is_taken_at_its_word_only(self):
        assert resolve(ATTACKER, STAFF, trusted=TRUSTED) == ATTACKER

    def test_chains_of_trusted_proxies_are_walked_from_the_right(self):
        chain = f"{STAFF}, {PATIENT}, 10.0.0.7"
        assert resolve(LB, chain, trusted=TRUSTED) == PATIENT

    def test_a_proxy_count_takes_the_entry_the_outermost_proxy_wrote(self):
        assert resolve(LB, f"{STAFF}, {PATIENT}", count=1) == PATIENT
        assert resolve(LB, f"{STAFF}, {PATIENT}, 10.0.0.7", count=2) == PATIENT
        assert resolve(LB, "", count=1) == LB  # did not pass through the proxy

    @pytest.mark.parametrize(
        "header",
        ["<script>", "' OR 1=1 --", "999.1.1.1", "١٢٣.٤.٥.٦", "a" * 5000, ",,,", " "],
    )
    def test_garbage_in_the_header_never_becomes_the_address(self, header):
        assert resolve(LB, header, trusted=TRUSTED) in (LB,)
        assert resolve(LB, header, count=1) == LB

    @pytest.mark.parametrize(
        ("written", "read"),
        [
            ("203.0.113.10:5123", "203.0.113.10"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("2001:db8::1", "2001:db8::1"),
            ("::ffff:203.0.113.10", "203.0.113.10"),
        ],
    )
    def test_addresses_are_read_as_proxies_write_them(self, written, read):
        assert str(parse_address(written)) == read

    def test_a_typo_in_the_proxy_list_stops_start_up(self):
        with pytest.raises(ImproperlyConfigured, match="not an IP address"):
            parse_networks(("10.0.0.0/33",))


def test_requests_read_the_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR=PATIENT)
    assert client_ip(request) == LB  # off by default
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(request) == PATIENT
    assert client_hash(request) == client_hash(RequestFactory().get("/", REMOTE_ADDR=PATIENT))


def log_in(client, username, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )


@pytest.mark.parametrize("behind_balancer", [False, True], ids=["direct", "behind-balancer"])
class TestStaffSignIn:
    @pytest.fixture(autouse=True)
    def _deployment(self, settings, behind_balancer, brand_a):
        if behind_balancer:
            settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
        self.behind_balancer = behind_balancer

    def client_at(self, address, forged=None):
        if self.behind_balancer:
            chain = f"{forged}, {address}" if forged else address
            return Client(HTTP_HOST=HOST_A, REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR=chain)
        extra = {"HTTP_X_FORWARDED_FOR": forged} if forged else {}
        return Client(HTTP_HOST=HOST_A, REMOTE_ADDR=address, **extra)

    def test_guessing_across_many_accounts_locks_the_guessers_address(self, django_user_model):
        names = [f"staff{number}" for number in range(6)]
        for name in names:
            django_user_model.objects.create_user(name, password=TEST_PASSWORD, is_staff=True)
        answers = []
        for attempt in range(24):  # 24 wrong passwords spread over 6 accounts
            attacker = self.client_at(ATTACKER)
            answers.append(log_in(attacker, names[attempt % 6], "wrong-password").status_code)
        assert answers[:4] == [200] * 4
        assert set(answers[5:]) == {429}  # the address is locked from the fifth failure on
        # ... even for a correct password of yet another account
        assert log_in(self.client_at(ATTACKER), names[0], TEST_PASSWORD).status_code == 429

    def test_a_stranger_cannot_lock_staff_out_from_their_own_address(self, editor_a):
        for _ in range(10):
            log_in(self.client_at(ATTACKER, forged=STAFF), "editor_a", "wrong-password")
        assert log_in(self.client_at(STAFF), "editor_a", TEST_PASSWORD).status_code == 302
