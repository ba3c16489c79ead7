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
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic import links
from clinic.models import BrandMembership
from outbox import kinds, sending
from staff.models import Invitation

SALT = "staff.invitation"
KIND = "invitation"


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


def expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


@transaction.atomic
def invite(invitation: Invitation, *, by) -> Invitation:
    """Save a new invitation (a week to accept it) and put its e-mail in the outbox."""
    invitation.invited_by = by
    invitation.expires_at = expiry()
    invitation.save()
    sending.write(invitation, KIND, brand_id=invitation.brand_id)
    return invitation


@transaction.atomic
def send_again(invitation: Invitation) -> bool:
    """A fresh week and a fresh e-mail for an invitation nobody accepted (False: it was
    accepted in the meantime)."""
    locked = Invitation.objects.across_brands().select_for_update().filter(pk=invitation.pk).first()
    if locked is None or locked.accepted_at is not None:
        return False
    locked.expires_at = expiry()
    locked.save(update_fields=["expires_at"])
    sending.withdraw_pending(locked, KIND)  # one e-mail, with the new date
    sending.write(locked, KIND, brand_id=locked.brand_id)
    return True


def compose(row) -> EmailMessage:
    """The invitation's e-mail, as it is sent: only while it can still be accepted, and
    always with the newest expiry date."""
    invitation = (
        Invitation.objects.across_brands()
        .select_related("brand", "invited_by")
        .filter(pk=row.about_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise kinds.NotSent("no longer open")
    context = {"invitation": invitation, "link": link_for(invitation)}
    return EmailMessage(
        render_to_string("staff/invitation_subject.txt", context).strip(),
        render_to_string("staff/invitation_email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        headers=sending.headers(row),
    )


def existing_account(invitation: Invitation):
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


class AlreadyUsed(Exception):
    """The invitation was accepted (or withdrawn) in the meantime."""


@transaction.atomic
def accept_with_new_account(
    invitation: Invitation, *, username: str, password: str, first_name: str, last_name: str
):
    """Make the invitee's back-office account (the invitation's address, staff, never a
    superuser) and give it the invitation's role, in one transaction: no account is
    left behind when the invitation was used meanwhile (``AlreadyUsed``)."""
    user = get_user_model().objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
    )
    accept(invitation, user)
    return user


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
