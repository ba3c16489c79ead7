"""Keep caches honest when tenant data changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clinic import domains
from clinic.models import Brand, BrandDomain


@receiver([post_save, post_delete], sender=Brand)
@receiver([post_save, post_delete], sender=BrandDomain)
def clear_host_cache(sender, **kwargs):
    domains.clear_cache()
