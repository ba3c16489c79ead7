"""The admin index's count of new requests per brand."""

from django import template
from django.db.models import Count, Q

from clinic.access import brand_ids_with
from clinic.models import Brand

register = template.Library()


@register.inclusion_tag("admin/appointments/new_requests.html", takes_context=True)
def new_request_counts(context):
    user = context["request"].user
    brand_ids = brand_ids_with(user, "appointments.view_consultationrequest")
    brands = Brand.objects.all() if brand_ids is None else Brand.objects.filter(pk__in=brand_ids)
    counts = brands.annotate(
        new=Count("consultation_requests", filter=Q(consultation_requests__status="new"))
    ).order_by("name")
    return {"counts": list(counts), "visible": brand_ids is None or bool(brand_ids)}
