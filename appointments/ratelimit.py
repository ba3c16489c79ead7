"""A per-client limit on consultation submissions, counted from the saved requests.

The count is the client's own requests in the database (same brand, same keyed client
hash, the last ten minutes), not a counter in a cache: every app server sees the same
number, and no amount of traffic can evict or flush it. The check runs in the
transaction that saves the request, after locking the brand's row, so two submissions
at the same instant cannot both squeeze under the limit.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

WINDOW = timedelta(minutes=10)


class LimitReached(Exception):
    """The client sent as many requests as it may in the window."""


def hold(brand, client_key: str, *, limit: int | None = None) -> None:
    """Raise ``LimitReached`` if this client may not send one more request now.

    Must run inside the transaction that then saves the request.
    """
    from appointments.models import ConsultationRequest
    from clinic.models import Brand

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ratelimit.hold() must run inside the saving transaction")
    limit = settings.CONSULTATION_RATE_LIMIT if limit is None else limit
    # NO KEY UPDATE: serialises submissions of one brand without blocking other rows
    # that merely reference the brand (their foreign-key checks take KEY SHARE).
    list(Brand.objects.select_for_update(no_key=True).filter(pk=brand.pk).values_list("pk"))
    recent = (
        ConsultationRequest.objects.for_brand(brand)
        .filter(client_hash=client_key, created__gte=timezone.now() - WINDOW)
        .count()
    )
    if recent >= limit:
        raise LimitReached
