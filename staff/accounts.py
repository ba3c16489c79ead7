"""Staff accounts as a brand admin manages them: deactivating, reactivating, and
resetting a lost second factor. One function each, with its rules: nobody acts on
themselves or on a superuser, and an account that also works for a brand outside the
acting admin's (``brand_ids``; None: a superuser, who answers for every brand) is
left to that brand's admin, except that it may be taken off the admin's own brands.
The admin's actions only turn the outcome into a message."""

from enum import StrEnum

from django.db import transaction


class Outcome(StrEnum):
    LEFT_AS_IS = "left"  # oneself, or a superuser
    ELSEWHERE = "elsewhere"  # works for another brand too: for its admin to decide
    TAKEN_OFF = "taken_off"  # taken off the admin's brands, active elsewhere
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    ALREADY = "already"  # nothing to do
    OWN = "own"  # one's own second factor: one's own page resets it
    RESET = "reset"


def _works_elsewhere(user, brand_ids) -> bool:
    return brand_ids is not None and user.brand_memberships.exclude(brand_id__in=brand_ids).exists()


def deactivate(user, *, by, brand_ids) -> Outcome:
    """Stop ``user`` signing in, or take them off the acting admin's brands only."""
    if user == by or user.is_superuser:
        return Outcome.LEFT_AS_IS
    with transaction.atomic():
        if _works_elsewhere(user, brand_ids):
            user.brand_memberships.filter(brand_id__in=brand_ids).delete()
            return Outcome.TAKEN_OFF
        user.is_active = False
        user.save(update_fields=["is_active"])
    return Outcome.DEACTIVATED


def reactivate(user, *, brand_ids) -> Outcome:
    """Let a deactivated ``user`` sign in again (two-factor sign-in as before)."""
    if user.is_active:
        return Outcome.ALREADY
    if _works_elsewhere(user, brand_ids):
        return Outcome.ELSEWHERE
    user.is_active = True
    user.save(update_fields=["is_active"])
    return Outcome.REACTIVATED


def reset_two_factor(user, *, by, brand_ids) -> Outcome:
    """Remove ``user``'s authenticator and recovery codes: they set them up again."""
    from staff import two_factor

    if user == by:
        return Outcome.OWN
    if user.is_superuser or _works_elsewhere(user, brand_ids):
        return Outcome.ELSEWHERE
    two_factor.turn_off(user)
    return Outcome.RESET
