"""A brand admin's account actions, as the service decides them (the admin's actions
only put the outcome into words: tests/staff and tests/clinic admin tests)."""

from clinic.models import Role
from staff import accounts
from tests.factories import UserFactory, staff

Outcome = accounts.Outcome


def test_deactivating_stops_sign_in_or_takes_off_only_the_admins_brands(
    brand_a, brand_b, brand_admin_a
):
    only_ours = staff("only_ours", (brand_a, Role.EDITOR))
    both = staff("both", (brand_a, Role.EDITOR), (brand_b, Role.EDITOR))
    mine = [brand_a.pk]
    assert accounts.deactivate(only_ours, by=brand_admin_a, brand_ids=mine) == Outcome.DEACTIVATED
    assert accounts.deactivate(both, by=brand_admin_a, brand_ids=mine) == Outcome.TAKEN_OFF
    only_ours.refresh_from_db()
    both.refresh_from_db()
    assert not only_ours.is_active
    assert both.is_active and list(both.brand_memberships.values_list("brand", flat=True)) == [
        brand_b.pk
    ]


def test_nobody_deactivates_themselves_or_a_superuser(brand_a, brand_admin_a):
    boss = UserFactory(is_superuser=True, is_staff=True)
    for target in (brand_admin_a, boss):
        assert (
            accounts.deactivate(target, by=brand_admin_a, brand_ids=[brand_a.pk])
            == Outcome.LEFT_AS_IS
        )
        target.refresh_from_db()
        assert target.is_active


def test_reactivating_is_for_the_admin_of_every_brand_the_account_works_for(brand_a, brand_b):
    both = staff("both", (brand_a, Role.EDITOR), (brand_b, Role.EDITOR))
    both.is_active = False
    both.save()
    assert accounts.reactivate(both, brand_ids=[brand_a.pk]) == Outcome.ELSEWHERE
    assert accounts.reactivate(both, brand_ids=None) == Outcome.REACTIVATED  # a superuser
    assert accounts.reactivate(both, brand_ids=None) == Outcome.ALREADY
    both.refresh_from_db()
    assert both.is_active


def test_a_second_factor_is_reset_for_others_only(brand_a, brand_admin_a):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from staff import two_factor

    colleague = staff("colleague", (brand_a, Role.FRONT_DESK))
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    assert two_factor.is_enrolled(colleague)
    mine = [brand_a.pk]
    assert accounts.reset_two_factor(brand_admin_a, by=brand_admin_a, brand_ids=mine) == (
        Outcome.OWN
    )
    assert accounts.reset_two_factor(colleague, by=brand_admin_a, brand_ids=mine) == (Outcome.RESET)
    assert not two_factor.is_enrolled(colleague)
