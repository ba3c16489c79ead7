"""Model fields shared by the clinic models."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.hosts import normalise_hostname

# A DNS name (labels of letters, digits and inner hyphens), optionally with a port.
_HOSTNAME = re.compile(
    r"^(?=.{1,253}(:|$))([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
    r"(:[0-9]{1,5})?$"
)


def validate_hostname(value: str) -> None:
    if not _HOSTNAME.match(value):
        raise ValidationError(
            _("Enter a hostname such as clinic.example.com (letters, digits, dots, hyphens)."),
            code="invalid_hostname",
        )
    if ":" in value and not 0 < int(value.rsplit(":", 1)[1]) < 65536:
        raise ValidationError(_("The port must be between 1 and 65535."), code="invalid_port")


class HostnameField(models.CharField):
    """A hostname stored in its normal form, so uniqueness ignores case."""

    default_validators = [validate_hostname]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 253 + 6)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_hostname(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_hostname(value) if isinstance(value, str) else value
