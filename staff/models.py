"""What the back office keeps about its own accounts: invitations and sign-in help.

A password-reset request is counted, never described: a keyed hash of the address
asked for and of the client, so the limits hold across app servers (the database, not
a cache, counts) and nobody can read who asked for what.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Role
from clinic.scoped import BrandScopedQuerySet


class PasswordResetRequest(models.Model):
    created = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    client_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A brand admin's invitation for a colleague to join one brand in one role.

    The e-mailed link is signed and expires (``staff.invitations``); accepting it once
    marks it used. Accepting never grants more than the role: the account is staff,
    never superuser.
    """

    brand_lookup = "brand"

    brand = models.ForeignKey(
        "clinic.Brand", on_delete=models.CASCADE, related_name="+", verbose_name=_("brand")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    # Its e-mails in the outbox (deleted with it).
    messages = GenericRelation(
        "outbox.Message", content_type_field="about_type", object_id_field="about_id"
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "brand",
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_address_and_brand",
                violation_error_message=_(
                    "This address already has an open invitation to this brand. Send that "
                    "one again instead."
                ),
            )
        ]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def clean(self):
        # The constraint's condition names a field the admin form leaves out, so Django
        # would not check it before saving: ask here, with the same message.
        super().clean()
        if self.brand_id and self.email and self.accepted_at is None:
            open_ones = Invitation.objects.across_brands().filter(
                brand_id=self.brand_id, email__iexact=self.email.strip(), accepted_at__isnull=True
            )
            if open_ones.exclude(pk=self.pk).exists():
                raise ValidationError({"email": self._meta.constraints[0].violation_error_message})

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class StaffProfile(models.Model):
    """What a member of staff sets for themselves: the time zone they read and type
    every back-office time in (empty: that of their first clinic's main location)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("staff profile")

    def __str__(self):
        return f"{self.user} ({self.time_zone or 'default'})"


class FormDraft(models.Model):
    """What a member of staff typed in a back-office form and has not saved yet, kept
    by the form's autosave (staff/autosave.py) and offered back if the browser died.

    One row per person and form, overwritten every few seconds while they type: not a
    revision (the history records only what is saved). Removed when the form is saved
    or the draft discarded; ``purge_form_drafts`` removes forgotten ones.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # "articles.article:42", or "articles.article:add" for a new one.
    form_key = models.CharField(max_length=120)
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("unsaved form")
        verbose_name_plural = _("unsaved forms")
        constraints = [
            models.UniqueConstraint(fields=["user", "form_key"], name="one_draft_per_form")
        ]

    def __str__(self):
        return self.form_key
