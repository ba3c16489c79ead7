"""Anonymising closed consultation requests after the retention period."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from appointments.models import CLOSED_STATUSES, ConsultationRequest, RequestNote

REMOVED = "[removed]"


def due_for_anonymising(older_than_days: int, now=None):
    """Closed, not yet anonymised requests untouched for ``older_than_days``."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    return ConsultationRequest.objects.filter(
        status__in=CLOSED_STATUSES, updated__lt=cutoff, anonymised_at__isnull=True
    )


def anonymise(queryset, now=None) -> int:
    """Erase personal details; keep reference, status, brand, location, topic, dates."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(queryset.values_list("pk", flat=True))
        RequestNote.objects.filter(request_id__in=ids).update(text=REMOVED)
        # update() keeps "updated" as it was: the statistics keep their dates.
        return ConsultationRequest.objects.filter(pk__in=ids).update(
            name=REMOVED,
            email="removed@invalid",
            phone="",
            message="",
            preference_note="",
            client_hash="",
            submission_token=None,
            anonymised_at=now,
        )
