"""A handful of demo consultation requests per brand, in several states."""

from datetime import timedelta

from django.utils import timezone

from appointments.models import ConsultationRequest, RequestNote, RequestStatus
from articles.models import Topic
from clinic.models import Brand

PEOPLE = [
    ("Jordan Avery", "jordan.avery@example.com", "+13055550111", RequestStatus.NEW, "depression"),
    ("Sam Delgado", "sam.delgado@example.com", "+13055550112", RequestStatus.NEW, "ptsd"),
    ("Riley Chen", "riley.chen@example.com", "+13055550113", RequestStatus.CONTACTED, "sleep"),
    ("Morgan Ellis", "morgan.ellis@example.com", "+13055550114", RequestStatus.COMPLETED, None),
    ("Casey Novak", "casey.novak@example.com", "+13055550115", RequestStatus.DECLINED, "ptsd"),
]


def seed_requests(brands: dict[str, Brand]) -> int:
    """Create the demo requests of brands that have none yet (notifications skipped)."""
    created = 0
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for brand in brands.values():
        if brand.consultation_requests.exists():
            continue
        location = brand.locations.order_by("order").first()
        for index, (name, email, phone, status, topic) in enumerate(PEOPLE):
            request = ConsultationRequest.objects.create(
                brand=brand,
                location=location,
                name=name,
                email=email.replace("@", f"+{brand.slug}@"),
                phone=phone,
                topic=topics.get(topic) if topic else None,
                preference_note="Weekday mornings" if index % 2 else "",
                message="I would like to know whether this could help me.",
                consent_at=timezone.now(),
                privacy_notice_version=brand.privacy_notice_version,
                status=status,
            )
            ConsultationRequest.objects.filter(pk=request.pk).update(
                created=timezone.now() - timedelta(hours=6 * index + 1)
            )
            if status != RequestStatus.NEW:
                RequestNote.objects.create(request=request, text="Called back; left a voicemail.")
            created += 1
    return created
