"""Keep caches honest when tenant data changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clinic import domains, locations
from clinic.models import Brand, BrandDomain, Location, OpeningHours, SpecialHours


@receiver([post_save, post_delete], sender=Brand)
@receiver([post_save, post_delete], sender=BrandDomain)
def clear_host_cache(sender, **kwargs):
    domains.clear_cache()


@receiver([post_save, post_delete], sender=Location)
def forget_locations(sender, instance, **kwargs):
    locations.forget(instance.brand_id)


@receiver([post_save, post_delete], sender=OpeningHours)
@receiver([post_save, post_delete], sender=SpecialHours)
def forget_location_hours(sender, instance, **kwargs):
    brand_id = Location.objects.filter(pk=instance.location_id).values_list("brand_id", flat=True)
    for value in brand_id:
        locations.forget(value)
