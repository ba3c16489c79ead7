"""Brand admins onboard, re-role and deactivate their own colleagues, and nobody else's."""

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from clinic.models import BrandMembership, Role
from staff.models import Invitation
from tests.conftest import HOST_A, client_for

LINK = re.compile(r"https://backoffice\.example\.org(/admin/invitation/[^/\s]+/)")
ADD = reverse("admin:staff_invitation_add")


@pytest.fixture(autouse=True)
def _back_office(settings):
    settings.BACK_OFFICE_URL = "https://backoffice.example.org"


def texts(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(li.get_text() for li in soup.select(".errorlist li"))


def invite(user, brand, email="sam@alpha.example", role=Role.EDITOR, host=HOST_A):
    return client_for(user, host=host).post(ADD, {"brand": brand.pk, "email": email, "role": role})


def link_in(mail) -> str:
    return LINK.search(mail.body).group(1)


def new_account(**fields):
    data = {
        "first_name": "Sam",
        "last_name": "Rivera",
        "username": "sam",
        "password1": "Calm-river-2026",
        "password2": "Calm-river-2026",
    }
    data.update(fields)
    return data


class TestInviting:
    def test_a_brand_admin_invites_and_the_colleague_joins(
        self, brand_admin_a, brand_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(brand_admin_a, brand_a, email="Sam@Alpha.example")
        assert response.status_code == 302, errors(response)
        (mail,) = mailoutbox
        assert mail.to == ["sam@alpha.example"]
        assert mail.subject == f"You are invited to the {brand_a.name} back office"
        assert "as Editor" in mail.body
        path = link_in(mail)
        page = client_for(host=HOST_A).get(path)
        assert "Choose how you will sign in" in texts(page)
        newcomer = client_for(host=HOST_A)
        joined = newcomer.post(path, new_account())
        # Signed in on the password just chosen, on to the second factor's set-up.
        assert joined.status_code == 302
        assert joined["Location"].startswith(reverse("staff_two_factor_setup"))
        setup = newcomer.get(joined["Location"])
        assert setup.status_code == 200 and "Set up two-factor sign-in" in texts(setup)
        assert "One more step" in texts(setup)
        assert newcomer.get("/admin/")["Location"].startswith(reverse("staff_two_factor_setup"))
        user = get_user_model().objects.get(username="sam")
        assert user.is_staff and not user.is_superuser and user.email == "sam@alpha.example"
        assert BrandMembership.objects.get(user=user).role == Role.EDITOR
        signed_in = client_for(host=HOST_A).post(
            reverse("admin:login"), {"username": "sam", "password": "Calm-river-2026"}
        )
        assert signed_in.status_code == 302
        # Once only.
        again = client_for(host=HOST_A).post(path, new_account(username="sam2"))
        assert again.status_code == 410 and "no longer works" in texts(again)
        assert get_user_model().objects.filter(username="sam2").count() == 0

    def test_the_link_expires(
        self, brand_admin_a, brand_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            invite(brand_admin_a, brand_a)
        path = link_in(mailoutbox[0])
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            late = client_for(host=HOST_A).get(path)
        assert late.status_code == 410

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/invitation/forged/",
            "/admin/invitation/" + "x" * 500 + "/",
            "/admin/invitation/<script>/",
        ],
    )
    def test_forged_links_open_nothing(self, brand_a, path):
        response = client_for(host=HOST_A).get(path)
        assert response.status_code in (404, 410)
        assert "<script>" not in response.content.decode()

    def test_an_existing_account_must_sign_in_and_keeps_its_password(
        self, brand_admin_a, brand_a, staff_b, mailoutbox, django_capture_on_commit_callbacks
    ):
        staff_b.email = "pat@beta.example"
        staff_b.set_password("Own-secret-123")
        staff_b.save()
        with django_capture_on_commit_callbacks(execute=True):
            invite(brand_admin_a, brand_a, email="pat@beta.example")
        path = link_in(mailoutbox[0])
        stranger = client_for(host=HOST_A).post(path, new_account(password1="x", password2="x"))
        assert "Sign in to it" in texts(stranger)
        staff_b.refresh_from_db()
        assert staff_b.check_password("Own-secret-123")  # the link set nothing
        assert not BrandMembership.objects.filter(user=staff_b, brand=brand_a).exists()
        signed_in = client_for(staff_b, host=HOST_A)
        assert signed_in.post(path).status_code == 302
        assert BrandMembership.objects.get(user=staff_b, brand=brand_a).role == Role.EDITOR

    def test_a_password_alone_does_not_accept_an_invitation(
        self, brand_admin_a, brand_a, staff_b, mailoutbox, django_capture_on_commit_callbacks
    ):
        """Issue 29, item 4: a session past the password but not the second factor (the
        invitation page sat outside the gate) gained the new membership."""
        from staff import two_factor

        staff_b.email = "pat@beta.example"
        staff_b.save()
        with django_capture_on_commit_callbacks(execute=True):
            invite(brand_admin_a, brand_a, email="pat@beta.example", role=Role.FRONT_DESK)
        path = link_in(mailoutbox[0])
        password_only = client_for(staff_b, host=HOST_A, second_factor=False)
        for answer in (password_only.get(path), password_only.post(path)):
            assert answer.status_code == 302
            assert answer["Location"].startswith(reverse("staff_two_factor_setup"))
        assert not BrandMembership.objects.filter(user=staff_b, brand=brand_a).exists()
        # Once enrolled, the code is asked for, and then the invitation is taken.
        two_factor.new_recovery_codes(staff_b)
        client_for(staff_b)  # sets up an app for staff_b
        assert password_only.post(path)["Location"].startswith(reverse("staff_two_factor_verify"))
        assert not BrandMembership.objects.filter(user=staff_b, brand=brand_a).exists()
        assert client_for(staff_b, host=HOST_A).post(path).status_code == 302
        assert BrandMembership.objects.get(user=staff_b, brand=brand_a).role == Role.FRONT_DESK

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"username": "brand_admin_a"}, "That user name is taken"),
            ({"username": "no spaces"}, "Use only letters"),
            ({"password1": "short", "password2": "short"}, "too short"),
            ({"password2": "Different-2026"}, "The two passwords differ"),
            ({"first_name": ""}, "This field is required"),
            ({"first_name": "<script>x</script>" * 20}, "at most 150"),
        ],
    )
    def test_bad_account_details_are_explained(
        self,
        brand_admin_a,
        brand_a,
        mailoutbox,
        django_capture_on_commit_callbacks,
        fields,
        message,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            invite(brand_admin_a, brand_a)
        path = link_in(mailoutbox[0])
        response = client_for(host=HOST_A).post(path, new_account(**fields))
        assert response.status_code == 200 and message in texts(response)
        assert Invitation.objects.get().accepted_at is None

    def test_a_second_open_invitation_for_the_same_address_is_refused(self, brand_admin_a, brand_a):
        invite(brand_admin_a, brand_a, email="sam@alpha.example")
        twice = invite(brand_admin_a, brand_a, email="SAM@alpha.example")
        assert "already has an open invitation" in errors(twice)
        assert Invitation.objects.count() == 1

    @pytest.mark.parametrize("email", ["not-an-address", "", "a" * 250 + "@x.org"])
    def test_bad_addresses_are_refused(self, brand_admin_a, brand_a, email):
        response = invite(brand_admin_a, brand_a, email=email)
        assert response.status_code == 200 and errors(response)
        assert not Invitation.objects.exists()


class TestTheLimitsOfABrandAdmin:
    def test_no_invitation_into_another_brand(self, brand_admin_a, brand_a, brand_b, mailoutbox):
        response = invite(brand_admin_a, brand_b)
        assert response.status_code in (200, 403)
        assert not Invitation.objects.exists() and mailoutbox == []

    @pytest.mark.parametrize("role", ["superuser", "owner", ""])
    def test_no_role_beyond_the_three(self, brand_admin_a, brand_a, role):
        response = invite(brand_admin_a, brand_a, role=role)
        assert response.status_code == 200 and errors(response)
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize("persona", ["editor_a", "front_desk_a"])
    def test_editors_and_front_desk_cannot_invite(self, personas, brand_a, persona):
        assert invite(personas[persona], brand_a).status_code == 403

    def test_another_brand_s_invitations_are_invisible(
        self, brand_admin_a, brand_a, brand_b, staff_b
    ):
        other = Invitation.objects.create(
            brand=brand_b,
            email="x@beta.example",
            role="editor",
            expires_at=timezone.now() + timedelta(days=7),
        )
        listing = client_for(brand_admin_a).get(reverse("admin:staff_invitation_changelist"))
        assert "x@beta.example" not in listing.content.decode()
        delete = reverse("admin:staff_invitation_delete", args=[other.pk])
        assert client_for(brand_admin_a).post(delete, {"post": "yes"}).status_code in (403, 404)
        assert Invitation.objects.filter(pk=other.pk).exists()


class TestRolesAndDeactivation:
    def change_role(self, user, membership, role):
        url = reverse("admin:clinic_brandmembership_change", args=[membership.pk])
        return client_for(user).post(
            url, {"user": membership.user_id, "brand": membership.brand_id, "role": role}
        )

    def deactivate(self, user, *memberships):
        return client_for(user).post(
            reverse("admin:clinic_brandmembership_changelist"),
            {"action": "deactivate", "_selected_action": [m.pk for m in memberships]},
        )

    def test_a_brand_admin_changes_a_colleague_s_role(self, brand_admin_a, editor_a, brand_a):
        membership = BrandMembership.objects.get(user=editor_a, brand=brand_a)
        assert self.change_role(brand_admin_a, membership, Role.FRONT_DESK).status_code == 302
        membership.refresh_from_db()
        assert membership.role == Role.FRONT_DESK

    def test_a_colleague_of_one_brand_is_deactivated(self, brand_admin_a, editor_a, brand_a):
        membership = BrandMembership.objects.get(user=editor_a, brand=brand_a)
        self.deactivate(brand_admin_a, membership)
        editor_a.refresh_from_db()
        assert not editor_a.is_active
        assert BrandMembership.objects.filter(user=editor_a).exists()  # the record stays

    def test_the_list_says_who_is_deactivated_and_a_brand_admin_reactivates(
        self, brand_admin_a, editor_a, brand_a
    ):
        """Issue 30, item 6: a deactivated colleague still showed as "Editor", with no
        status and no way back."""
        membership = BrandMembership.objects.get(user=editor_a, brand=brand_a)
        self.deactivate(brand_admin_a, membership)
        listing = reverse("admin:clinic_brandmembership_changelist")
        row = BeautifulSoup(
            client_for(brand_admin_a).get(listing, {"account": "deactivated"}).content,
            "html.parser",
        ).select("#result_list tbody tr")
        assert len(row) == 1 and "Deactivated: cannot sign in" in row[0].get_text()
        client_for(brand_admin_a).post(
            listing, {"action": "reactivate", "_selected_action": [membership.pk]}
        )
        editor_a.refresh_from_db()
        assert editor_a.is_active

    def test_a_shared_colleague_is_reactivated_only_by_a_superuser(
        self, brand_admin_a, staff_b, brand_a, brand_b
    ):
        shared = BrandMembership.objects.create(user=staff_b, brand=brand_a, role=Role.EDITOR)
        staff_b.is_active = False
        staff_b.save()
        answer = client_for(brand_admin_a).post(
            reverse("admin:clinic_brandmembership_changelist"),
            {"action": "reactivate", "_selected_action": [shared.pk]},
            follow=True,
        )
        assert "ask a superuser" in texts(answer)
        staff_b.refresh_from_db()
        assert not staff_b.is_active

    def test_a_membership_cannot_be_moved_to_another_person(
        self, brand_admin_a, editor_a, front_desk_a, brand_a
    ):
        membership = BrandMembership.objects.get(user=editor_a, brand=brand_a)
        url = reverse("admin:clinic_brandmembership_change", args=[membership.pk])
        client_for(brand_admin_a).post(
            url, {"user": front_desk_a.pk, "brand": brand_a.pk, "role": Role.BRAND_ADMIN}
        )
        membership.refresh_from_db()
        assert membership.user == editor_a

    def test_a_shared_colleague_only_leaves_this_brand(
        self, brand_admin_a, group_admin, brand_a, brand_b
    ):
        membership = BrandMembership.objects.get(user=group_admin, brand=brand_a)
        self.deactivate(brand_admin_a, membership)
        group_admin.refresh_from_db()
        assert group_admin.is_active
        assert list(group_admin.brand_memberships.values_list("brand", flat=True)) == [brand_b.pk]

    def test_nobody_deactivates_themselves_or_another_brand_s_staff(
        self, brand_admin_a, staff_b, brand_a, brand_b
    ):
        own = BrandMembership.objects.get(user=brand_admin_a, brand=brand_a)
        other = BrandMembership.objects.get(user=staff_b, brand=brand_b)
        self.deactivate(brand_admin_a, own, other)
        brand_admin_a.refresh_from_db()
        staff_b.refresh_from_db()
        assert brand_admin_a.is_active and staff_b.is_active
        assert BrandMembership.objects.filter(pk=other.pk).exists()

    @pytest.mark.parametrize("persona", ["editor_a", "front_desk_a"])
    def test_only_brand_admins_deactivate(self, personas, editor_a, front_desk_a, brand_a, persona):
        target = front_desk_a if persona == "editor_a" else editor_a
        membership = BrandMembership.objects.get(user=target, brand=brand_a)
        self.deactivate(personas[persona], membership)
        target.refresh_from_db()
        assert target.is_active

    def test_no_staff_or_superuser_rights_through_the_user_form(self, brand_admin_a, editor_a):
        url = reverse("admin:auth_user_change", args=[editor_a.pk])
        response = client_for(brand_admin_a).post(url, {"is_superuser": "on", "is_staff": "on"})
        assert response.status_code == 403
        editor_a.refresh_from_db()
        assert not editor_a.is_superuser

    def test_a_brand_admin_cannot_move_a_colleague_into_another_brand(
        self, brand_admin_a, editor_a, brand_a, brand_b
    ):
        membership = BrandMembership.objects.get(user=editor_a, brand=brand_a)
        url = reverse("admin:clinic_brandmembership_change", args=[membership.pk])
        client_for(brand_admin_a).post(
            url, {"user": editor_a.pk, "brand": brand_b.pk, "role": Role.BRAND_ADMIN}
        )
        membership.refresh_from_db()
        assert membership.brand == brand_a and membership.role == Role.EDITOR


def test_an_invitation_used_meanwhile_leaves_no_new_account_behind(brand_a, brand_admin_a):
    """The account and the membership are made in one transaction: when the invitation
    was accepted in another tab meanwhile, neither remains."""
    from staff import invitations

    invited = invitations.invite(
        Invitation(brand=brand_a, email="sam@alpha.example", role=Role.EDITOR), by=brand_admin_a
    )
    invitations.accept(invited, brand_admin_a)
    with pytest.raises(invitations.AlreadyUsed):
        invitations.accept_with_new_account(
            invited, username="sam", password="Calm-river-2026", first_name="S", last_name="R"
        )
    assert not get_user_model().objects.filter(username="sam").exists()


def test_a_time_zone_that_does_not_exist_is_refused(editor_a):
    from staff import time_zones
    from staff.models import StaffProfile

    with pytest.raises(ValueError):
        time_zones.set_own_zone(editor_a, "Mars/Olympus_Mons")
    assert not StaffProfile.objects.filter(user=editor_a).exists()
    time_zones.set_own_zone(editor_a, "Europe/Madrid")
    assert StaffProfile.objects.get(user=editor_a).time_zone == "Europe/Madrid"
