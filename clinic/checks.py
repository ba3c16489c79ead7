"""Deployment checks about the brands' own configuration (``check --deploy``)."""

from django.core.checks import Warning, register
from django.db import DatabaseError


@register(deploy=True)
def brands_alert_someone(app_configs=None, databases=None, **kwargs):
    """Warn about a brand that takes consultation requests with nobody to tell."""
    from clinic.models import Brand

    try:
        brands = list(Brand.objects.all())
        silent = [brand for brand in brands if not brand.alert_recipients()]
    except DatabaseError:  # not migrated yet: nothing to say about brands
        return []
    return [
        Warning(
            f"Brand {brand.name!r} has no notification inbox and no brand admin with an "
            "e-mail address: nobody would hear of its consultation requests.",
            hint="Set the brand's notification inbox in the admin, or give a brand admin "
            "an e-mail address.",
            obj=brand,
            id="clinic.W001",
        )
        for brand in silent
    ]
