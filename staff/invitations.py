"""Invite a colleague to a brand's back office, and accept the invitation.

The link carries the invitation's id, signed and stamped (``INVITATION_DAYS``); it is
built from ``BACK_OFFICE_URL``, never from a request's Host. Accepting it once marks it
used, in a transaction that locks the row, so two clicks cannot make two accounts.

Someone who already has a staff account (same address) must sign in to it first: an
invitation adds a role to that account and never sets its password, or anyone holding
the link could take the account over.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic import links
from clinic.models import BrandMembership
from staff.models import Invitation

SALT = "staff.invitation"


def link_for(invitation: Invitation) -> str:
    token = signing.dumps(invitation.pk, salt=SALT)
    return links.in_back_office(reverse("staff_accept_invitation", args=[token]))


def invitation_for(token: str) -> Invitation | None:
    """The open invitation a link names, or None (forged, too old, used or revoked)."""
    max_age = timedelta(days=settings.INVITATION_DAYS)
    try:
        pk = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    found = Invitation.objects.across_brands().select_related("brand").filter(pk=pk).first()
    return found if found is not None and found.is_open else None


def send(invitation: Invitation) -> None:
    context = {"invitation": invitation, "link": link_for(invitation)}
    send_mail(
        render_to_string("staff/invitation_subject.txt", context).strip(),
        render_to_string("staff/invitation_email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


def expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


def send_later(invitation: Invitation) -> None:
    """Send the invitation once the transaction that saved it commits."""
    transaction.on_commit(lambda: send(invitation))


def send_again(invitation: Invitation) -> None:
    invitation.expires_at = expiry()
    invitation.save(update_fields=["expires_at"])
    send_later(invitation)


def existing_account(invitation: Invitation):
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


class AlreadyUsed(Exception):
    """The invitation was accepted (or withdrawn) in the meantime."""


@transaction.atomic
def accept(invitation: Invitation, user) -> BrandMembership:
    """Give ``user`` the invitation's role in its brand; mark the invitation used."""
    locked = Invitation.objects.across_brands().select_for_update().filter(pk=invitation.pk).first()
    if locked is None or not locked.is_open:
        raise AlreadyUsed
    if not user.is_staff:
        user.is_staff = True  # a back-office account; never a superuser
        user.save(update_fields=["is_staff"])
    membership, created = BrandMembership.objects.get_or_create(
        user=user, brand=locked.brand, defaults={"role": locked.role}
    )
    if not created and membership.role != locked.role:
        membership.role = locked.role
        membership.save(update_fields=["role"])
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return membership
