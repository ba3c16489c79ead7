"""Password reset for staff: Django's views, with the back office's own rules.

- Only active staff accounts with a usable password are sent a link; for any other
  address the answer looks the same (nobody learns who works where).
- The link is built from ``BACK_OFFICE_URL`` (configured), never from the request's
  Host header, which a client chooses.
- Limits, counted in the database: ``RESET_PER_ADDRESS`` e-mails per address and
  ``RESET_PER_CLIENT`` requests per client per hour. Over the address limit the answer
  looks the same and no e-mail goes out; over the client limit the page says to wait.
- The e-mail names the clinics the account works for, and nothing else. It goes
  through the outbox (``outbox.sending``): the view only writes a row, the e-mail
  leaves after the response (or from the sender, with its retries), so the answer
  takes as long for a staff address as for any other.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic.base import ContextMixin

from appointments.privacy import client_hash, keyed_hash
from clinic import links
from outbox import sending
from staff.models import PasswordResetRequest

WINDOW = timedelta(hours=1)


def address_hash(address: str) -> str:
    return keyed_hash("reset-address", address.strip().lower())


KIND = "password_reset"
SUBJECT_TEMPLATE = "staff/password_reset_subject.txt"
EMAIL_TEMPLATE = "staff/password_reset_email.txt"


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        users = super().get_users(email)  # active, usable password, matching address
        return (user for user in users if user.is_staff)

    def queue(self) -> None:
        """Put a reset e-mail for each matching account into the outbox; none is sent
        here (it goes after the response, or the sender sends it)."""
        for user in self.get_users(self.cleaned_data["email"]):
            sending.write(user, KIND, send=sending.AFTER_RESPONSE)


def compose(row) -> EmailMessage | None:
    """The reset e-mail of one outbox row, made as it is sent (None: the account may no
    longer reset its password)."""
    user = get_user_model().objects.filter(pk=row.about_id).first()
    context = email_context(user) if user is not None else None
    if user is None or context is None:
        return None
    return EmailMessage(
        " ".join(render_to_string(SUBJECT_TEMPLATE, context).split()),
        render_to_string(EMAIL_TEMPLATE, context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers=sending.headers(row),
    )


def email_context(user) -> dict | None:
    """What the reset e-mail says, made when it is sent: a fresh link (from the
    configured back office, never a request's Host), the clinics the account works
    for. None when the account may no longer reset its password."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if not (user.is_active and user.is_staff and user.has_usable_password() and user.email):
        return None
    scheme, host = links.back_office_origin()
    if not host:
        return None
    clinics = ", ".join(
        sorted(m.brand.name for m in user.brand_memberships.select_related("brand"))
    ) or _("the clinic group")
    return {
        "email": user.email,
        "domain": host,
        "site_name": host,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": scheme,
        "clinics": clinics,
    }


class LimitReached(Exception):
    pass


def record(request, address: str) -> bool:
    """Count this request; return whether an e-mail may go to ``address``.

    Raises ``LimitReached`` when the client has asked too often.
    """
    since = timezone.now() - WINDOW
    client = client_hash(request)
    hashed = address_hash(address)
    with transaction.atomic():
        recent = PasswordResetRequest.objects.filter(created__gte=since)
        if recent.filter(client_hash=client).count() >= settings.RESET_PER_CLIENT:
            raise LimitReached
        may_send = recent.filter(address_hash=hashed).count() < settings.RESET_PER_ADDRESS
        PasswordResetRequest.objects.create(client_hash=client, address_hash=hashed)
    # Old rows are no use to any limit.
    PasswordResetRequest.objects.filter(created__lt=since - WINDOW).delete()
    return may_send


class BackOfficePage(ContextMixin):
    """The admin's own header and title (site name, theme) on these pages."""

    request: HttpRequest

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class StaffPasswordResetView(BackOfficePage, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "staff/password_reset_form.html"
    email_template_name = EMAIL_TEMPLATE
    subject_template_name = SUBJECT_TEMPLATE
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if not links.back_office_origin()[1]:
            form.add_error(
                None,
                _(
                    "Password reset is not set up on this server yet. Please ask your "
                    "clinic's administrator to reset your password."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=503)
        try:
            may_send = record(self.request, form.cleaned_data["email"])
        except LimitReached:
            form.add_error(
                None,
                _(
                    "Too many requests from your connection. Please wait an hour and "
                    "try again, or ask your clinic's administrator to help."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if may_send:
            form.queue()
        # Straight to "check your e-mail" (FormView's answer), without a second save.
        return super(auth_views.PasswordResetView, self).form_valid(form)


class StaffPasswordResetDoneView(BackOfficePage, auth_views.PasswordResetDoneView):
    template_name = "staff/password_reset_done.html"


class StaffPasswordResetConfirmView(BackOfficePage, auth_views.PasswordResetConfirmView):
    template_name = "staff/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class StaffPasswordResetCompleteView(BackOfficePage, auth_views.PasswordResetCompleteView):
    template_name = "staff/password_reset_complete.html"
