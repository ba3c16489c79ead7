"""What may happen to a brand's own pages beyond editing them in the admin."""

from django.db import transaction
from django.utils import timezone

from pages.models import Testimonial


def withdraw_consent(testimonial: Testimonial) -> bool:
    """Record that the person withdrew their consent: the testimonial is hidden at once
    (its save retires the brand's cached pages). False when it was withdrawn already."""
    with transaction.atomic():
        locked = Testimonial.objects.across_brands().select_for_update().get(pk=testimonial.pk)
        if locked.consent_withdrawn_on is not None:
            return False
        locked.consent_withdrawn_on = timezone.localdate()
        locked.save()
    return True
