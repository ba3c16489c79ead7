"""Two-factor sign-in: required for the roles that see patient data, optional for editors."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Role
from staff import two_factor
from tests.conftest import HOST_A, client_for
from tests.factories import staff
from tests.two_factor import code_for, device_code, enrol, key_on

INBOX = reverse("admin:appointments_consultationrequest_changelist")
SETUP = reverse("staff_two_factor_setup")
VERIFY = reverse("staff_two_factor_verify")
MANAGE = reverse("staff_two_factor")
MEMBERSHIPS = reverse("admin:clinic_brandmembership_changelist")


def password_only(user):
    return client_for(user, second_factor=False)


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def errors(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(li.get_text() for li in soup.select(".errorlist li"))


def codes_on(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [code.get_text() for code in soup.select(".recovery-codes code")]


def enrolled(user):
    """A client that set up an app for ``user``; returns it with the recovery codes."""
    client = password_only(user)
    codes = codes_on_page(enrol(client))
    return client, codes


def codes_on_page(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)


def sign_in_again(user):
    """A new browser: the password done, the code not yet."""
    return password_only(user)


def test_the_rule_follows_the_roles_that_open_patient_data():
    # The inbox for front desk and brand admins; testimonials' consent records (names
    # of patients) for editors too.
    assert two_factor.roles_that_require_it() == {Role.FRONT_DESK, Role.BRAND_ADMIN, Role.EDITOR}


def test_an_editor_reads_no_consent_record_on_the_password_alone(editor_a, brand_a):
    """Issue 29, item 5: editors read testimonial consent records with a password."""
    from datetime import date

    from pages.models import Testimonial

    quote = Testimonial.objects.create(
        brand=brand_a,
        quote="Kind staff.",
        attribution="A patient",
        consent_by="Robin Consenting",
        consent_on=date(2026, 11, 1),
    )
    for path in (
        reverse("admin:pages_testimonial_changelist"),
        reverse("admin:pages_testimonial_change", args=[quote.pk]),
    ):
        answer = password_only(editor_a).get(path)
        assert answer.status_code == 302 and answer["Location"].startswith(SETUP)
        assert "Robin Consenting" not in answer.content.decode()
    assert (
        "Robin Consenting"
        in client_for(editor_a)
        .get(reverse("admin:pages_testimonial_change", args=[quote.pk]))
        .content.decode()
    )


class TestRequired:
    @pytest.mark.parametrize(
        "persona", ["editor_a", "front_desk_a", "brand_admin_a", "group_admin", "superuser"]
    )
    @pytest.mark.parametrize("path", ["/admin/", INBOX, MEMBERSHIPS])
    def test_no_back_office_page_opens_on_the_password_alone(self, personas, persona, path):
        response = password_only(personas[persona]).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{SETUP}?next=")

    def test_a_patient_request_stays_closed_and_unchanged(self, front_desk_a, brand_a):
        from tests.appointments.test_inbox_admin import make_request

        request = make_request(brand_a)
        client = password_only(front_desk_a)
        url = reverse("admin:appointments_consultationrequest_change", args=[request.pk])
        assert client.get(url).status_code == 302
        answer = client.post(url, {"status": "declined"})
        assert answer.status_code == 302 and answer["Location"].startswith(SETUP)
        request.refresh_from_db()
        assert request.status == "new"

    def test_setting_up_the_app_opens_the_back_office(self, front_desk_a):
        client = password_only(front_desk_a)
        page = client.get(f"{SETUP}?next={INBOX}")
        assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
        shown = page.content.decode()
        # The QR code is drawn into the page itself: nothing is fetched from elsewhere.
        assert "<svg" in shown and "otpauth" not in shown.split("<svg")[0]
        assert not re.search(r'src="https?://', shown)
        answer = client.post(SETUP, {"code": code_for(key_on(shown)), "next": INBOX})
        assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
        codes = codes_on(answer)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert "Two-factor sign-in is on." in text(answer)
        onward = BeautifulSoup(answer.content, "html.parser").select_one("#content a.button")
        assert onward["href"] == INBOX
        assert client.get(INBOX).status_code == 200
        assert TOTPDevice.objects.get(user=front_desk_a).confirmed

    @pytest.mark.parametrize(
        "typed",
        [
            "000000",
            "12345",
            "abcdef",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "١٢٣٤٥٦",  # Arabic-Indic digits
            "9" * 32,
        ],
    )
    def test_a_wrong_code_is_refused_and_nothing_turns_on(self, front_desk_a, typed):
        client = password_only(front_desk_a)
        client.get(SETUP)
        answer = client.post(SETUP, {"code": typed})
        assert answer.status_code == 200
        assert "does not match" in errors(answer)
        assert "<script>alert" not in answer.content.decode()
        assert not TOTPDevice.objects.filter(user=front_desk_a, confirmed=True).exists()
        assert client.get(INBOX).status_code == 302

    def test_empty_and_oversized_codes_get_a_clear_message(self, front_desk_a):
        client = password_only(front_desk_a)
        assert "Enter the code." in errors(client.post(SETUP, {"code": ""}))
        assert "at most 32 characters" in errors(client.post(SETUP, {"code": "1" * 500}))

    def test_reloading_the_set_up_page_keeps_the_same_key(self, front_desk_a):
        client = password_only(front_desk_a)
        first = key_on(client.get(SETUP).content.decode())
        assert key_on(client.get(SETUP).content.decode()) == first
        # Nothing is stored until the code is confirmed.
        assert not TOTPDevice.objects.filter(user=front_desk_a).exists()

    def test_a_key_read_in_another_session_is_worth_nothing(self, front_desk_a):
        """Issue 29, item 2: someone who once had the password reads the set-up key; the
        real person sees another key, enrols, and the key read before opens nothing."""
        attacker = password_only(front_desk_a)
        stolen = key_on(attacker.get(SETUP).content.decode())
        person = password_only(front_desk_a)
        own = key_on(person.get(SETUP).content.decode())
        assert own != stolen
        person.post(SETUP, {"code": code_for(own)})
        assert TOTPDevice.objects.get(user=front_desk_a, confirmed=True).bin_key == own
        thief = sign_in_again(front_desk_a)
        assert "does not match" in errors(thief.post(VERIFY, {"code": code_for(stolen)}))
        assert thief.get(INBOX).status_code == 302
        # Nor can the stolen key be confirmed in the session that read it any more.
        assert attacker.post(SETUP, {"code": code_for(stolen)})["Location"].startswith(VERIFY)

    def test_a_set_up_key_expires(self, front_desk_a):
        import time_machine
        from django.utils import timezone

        client = password_only(front_desk_a)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            first = key_on(client.get(SETUP).content.decode())
            traveller.shift(two_factor.PENDING_LIFETIME - 60)
            assert key_on(client.get(SETUP).content.decode()) == first
            traveller.shift(120)
            later = client.get(SETUP).content.decode()
            assert key_on(later) != first
            # The old key's code no longer sets anything up.
            answer = client.post(SETUP, {"code": code_for(first)})
            assert "does not match" in errors(answer)
            assert not two_factor.is_enrolled(front_desk_a)

    def test_a_new_password_voids_the_key_being_set_up(self, front_desk_a):
        from django.conf import settings
        from django.contrib.auth import update_session_auth_hash
        from django.test import RequestFactory

        client = password_only(front_desk_a)
        first = key_on(client.get(SETUP).content.decode())
        front_desk_a.set_password("a whole new passphrase 2026")
        front_desk_a.save()
        # The person's own session stays signed in after changing it (as Django's
        # password-change page does); the key shown before is gone all the same.
        request = RequestFactory().get("/")
        request.user, request.session = front_desk_a, client.session
        update_session_auth_hash(request, front_desk_a)
        request.session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key  # cycled
        assert key_on(client.get(SETUP).content.decode()) != first

    def test_a_two_factor_reset_voids_the_key_being_set_up(self, front_desk_a):
        client, _codes = enrolled(front_desk_a)
        first = key_on(client.get(SETUP).content.decode())  # moving to a new phone
        two_factor.turn_off(front_desk_a)
        assert key_on(client.get(SETUP).content.decode()) != first

    def test_the_role_cannot_turn_it_off(self, front_desk_a):
        client, _ = enrolled(front_desk_a)
        assert "stays on" in text(client.get(MANAGE))
        client.post(reverse("staff_two_factor_turn_off"), follow=True)
        assert two_factor.is_enrolled(front_desk_a)


class TestSigningIn:
    def test_the_next_sign_in_asks_for_the_code_and_returns_to_the_page(self, front_desk_a):
        enrolled(front_desk_a)
        client = sign_in_again(front_desk_a)
        asked = client.get(INBOX)
        assert asked.status_code == 302 and asked["Location"].startswith(VERIFY)
        answer = client.post(VERIFY, {"code": device_code(front_desk_a), "next": INBOX})
        assert answer.status_code == 302 and answer["Location"] == INBOX
        assert client.get(INBOX).status_code == 200

    def test_a_code_is_accepted_once(self, front_desk_a):
        enrolled(front_desk_a)
        code = device_code(front_desk_a)
        assert sign_in_again(front_desk_a).post(VERIFY, {"code": code}).status_code == 302
        replay = sign_in_again(front_desk_a)
        assert "does not match" in errors(replay.post(VERIFY, {"code": code}))
        assert replay.get(INBOX).status_code == 302

    def test_the_session_gets_a_new_key_when_the_code_is_right(self, front_desk_a):
        enrolled(front_desk_a)
        client = sign_in_again(front_desk_a)
        before = client.session.session_key
        client.post(VERIFY, {"code": device_code(front_desk_a)})
        assert client.session.session_key != before

    def test_guessing_is_slowed_down_even_for_the_right_code(self, front_desk_a):
        enrolled(front_desk_a)
        client = sign_in_again(front_desk_a)
        for _ in range(3):
            client.post(VERIFY, {"code": "000000"})
        answer = client.post(VERIFY, {"code": device_code(front_desk_a)})
        assert "Too many wrong codes" in errors(answer)
        assert client.get(INBOX).status_code == 302

    def test_a_recovery_code_works_once_and_says_how_many_are_left(self, front_desk_a):
        _, codes = enrolled(front_desk_a)
        client = sign_in_again(front_desk_a)
        answer = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
        assert "9 are left" in text(answer)
        assert client.get(INBOX).status_code == 200
        again = sign_in_again(front_desk_a)
        assert "does not match" in errors(again.post(VERIFY, {"code": codes[0]}))
        assert StaticToken.objects.filter(device__user=front_desk_a).count() == 9

    def test_new_recovery_codes_replace_the_old_ones(self, front_desk_a):
        client, old = enrolled(front_desk_a)
        fresh = codes_on(client.post(reverse("staff_two_factor_new_codes")))
        assert len(fresh) == 10 and not set(fresh) & set(old)
        late = sign_in_again(front_desk_a)
        assert "does not match" in errors(late.post(VERIFY, {"code": old[1]}))

    @pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "javascript:x"])
    def test_it_never_sends_anyone_to_another_site(self, front_desk_a, unsafe):
        enrolled(front_desk_a)
        client = sign_in_again(front_desk_a)
        answer = client.post(VERIFY, {"code": device_code(front_desk_a), "next": unsafe})
        assert answer["Location"] == "/admin/"

    def test_the_app_cannot_be_replaced_on_the_password_alone(self, front_desk_a):
        enrolled(front_desk_a)
        client = sign_in_again(front_desk_a)
        answer = client.get(SETUP)
        assert answer.status_code == 302 and answer["Location"].startswith(VERIFY)
        assert TOTPDevice.objects.filter(user=front_desk_a).count() == 1

    def test_moving_to_a_new_phone_retires_the_old_app(self, front_desk_a):
        client, _ = enrolled(front_desk_a)
        old = TOTPDevice.objects.get(user=front_desk_a)
        page = client.get(SETUP).content.decode()
        client.post(SETUP, {"code": code_for(key_on(page))})
        assert list(TOTPDevice.objects.filter(user=front_desk_a)) != [old]
        assert TOTPDevice.objects.filter(user=front_desk_a).count() == 1

    def test_strangers_are_sent_to_sign_in(self, brand_a):
        for path in (SETUP, VERIFY, MANAGE):
            answer = client_for().get(path)
            assert answer.status_code == 302 and "/admin/login/" in answer["Location"]


@pytest.fixture
def reviewer_only(brand_a):
    """A clinician's staff login that only reviews articles: no role, no patient data."""
    from tests.factories import UserFactory

    return UserFactory(username="reviewer_only", is_staff=True)


class TestOptionalWithoutPatientData:
    def test_a_login_without_a_role_works_without_it(self, reviewer_only):
        assert password_only(reviewer_only).get("/admin/").status_code == 200
        assert "Off." in text(password_only(reviewer_only).get(MANAGE))

    def test_once_turned_on_it_is_asked_at_every_sign_in(self, reviewer_only):
        client, _ = enrolled(reviewer_only)
        assert client.get("/admin/").status_code == 200
        assert sign_in_again(reviewer_only).get("/admin/")["Location"].startswith(VERIFY)

    def test_it_may_be_turned_off(self, reviewer_only):
        client, _ = enrolled(reviewer_only)
        answer = client.post(reverse("staff_two_factor_turn_off"), follow=True)
        assert "off for your account" in text(answer)
        assert not two_factor.is_enrolled(reviewer_only)
        assert sign_in_again(reviewer_only).get("/admin/").status_code == 200

    def test_an_editor_cannot_turn_it_off(self, editor_a):
        client, _ = enrolled(editor_a)
        client.post(reverse("staff_two_factor_turn_off"))
        assert two_factor.is_enrolled(editor_a)


class TestResetByABrandAdmin:
    def reset(self, admin_user, member, host=HOST_A):
        membership = member.brand_memberships.first()
        return client_for(admin_user, host=host).post(
            MEMBERSHIPS,
            {"action": "reset_two_factor", "_selected_action": [membership.pk]},
            follow=True,
        )

    def test_a_colleague_with_a_lost_phone_sets_it_up_again(self, brand_admin_a, front_desk_a):
        enrolled(front_desk_a)
        answer = self.reset(brand_admin_a, front_desk_a)
        assert "sets up two-factor sign-in again" in text(answer)
        assert not two_factor.is_enrolled(front_desk_a)
        assert sign_in_again(front_desk_a).get("/admin/")["Location"].startswith(SETUP)

    def test_another_brands_staff_are_out_of_reach(self, brand_admin_a, staff_b):
        enrolled(staff_b)
        membership = staff_b.brand_memberships.first()
        client_for(brand_admin_a).post(
            MEMBERSHIPS, {"action": "reset_two_factor", "_selected_action": [membership.pk]}
        )
        assert two_factor.is_enrolled(staff_b)

    def test_someone_who_also_works_elsewhere_is_left_to_a_superuser(
        self, brand_admin_a, brand_a, brand_b
    ):
        shared = staff("shared", (brand_a, Role.FRONT_DESK), (brand_b, Role.FRONT_DESK))
        enrolled(shared)
        assert "ask a superuser" in text(self.reset(brand_admin_a, shared))
        assert two_factor.is_enrolled(shared)

    def test_nobody_resets_their_own_this_way(self, brand_admin_a):
        enrolled(brand_admin_a)
        assert "Your own" in text(self.reset(brand_admin_a, brand_admin_a))
        assert two_factor.is_enrolled(brand_admin_a)

    def test_an_editor_cannot_reset_anyone(self, editor_a, front_desk_a):
        enrolled(front_desk_a)
        membership = front_desk_a.brand_memberships.first()
        answer = client_for(editor_a).post(
            MEMBERSHIPS, {"action": "reset_two_factor", "_selected_action": [membership.pk]}
        )
        assert answer.status_code == 403
        assert two_factor.is_enrolled(front_desk_a)


def test_the_admin_lists_no_ones_devices(superuser):
    from django.contrib import admin

    assert TOTPDevice not in admin.site._registry
    client = client_for(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
