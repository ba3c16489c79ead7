"""The admin index's count of new requests per brand."""

from django import template
from django.db.models import Count

from appointments.models import ConsultationRequest, RequestStatus
from clinic.access import brand_ids_with
from clinic.models import Brand

register = template.Library()


@register.inclusion_tag("admin/appointments/new_requests.html", takes_context=True)
def new_request_counts(context):
    user = context["request"].user
    brand_ids = brand_ids_with(user, "appointments.view_consultationrequest")
    chosen = Brand.objects.all() if brand_ids is None else Brand.objects.filter(pk__in=brand_ids)
    brands = list(chosen.only("pk", "name").order_by("name"))
    # Counted from the new requests only (the brand-and-status index), not by joining
    # every request of each brand: a brand with a million requests still counts fast.
    new = dict(
        ConsultationRequest.objects.across_brands()
        .filter(status=RequestStatus.NEW, brand_id__in=[brand.pk for brand in brands])
        .order_by()
        .values_list("brand_id")
        .annotate(count=Count("pk"))
    )
    counts = [(brand, new.get(brand.pk, 0)) for brand in brands]
    return {"counts": counts, "visible": brand_ids is None or bool(brand_ids)}
