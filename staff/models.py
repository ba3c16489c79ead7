"""What the back office keeps about its own accounts' sign-in help.

A password-reset request is counted, never described: a keyed hash of the address
asked for and of the client, so the limits hold across app servers (the database, not
a cache, counts) and nobody can read who asked for what.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    created = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    client_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M}"
