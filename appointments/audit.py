"""Write the access record (appointments.models.AccessRecord): who saw what, and when."""

from appointments.models import AccessAction, AccessRecord


def _entry(user, brand_id, action, reference="", detail=""):
    return AccessRecord(
        brand_id=brand_id,
        user=user,
        username=user.get_username(),
        action=action,
        reference=reference,
        detail=detail[:500],
    )


def opened(user, request_row) -> None:
    _entry(user, request_row.brand_id, AccessAction.VIEW, request_row.reference).save()


def changed(user, request_row, fields) -> None:
    detail = ", ".join(sorted(fields))
    _entry(user, request_row.brand_id, AccessAction.CHANGE, request_row.reference, detail).save()


def changed_many(user, rows, detail: str) -> None:
    AccessRecord.objects.bulk_create(
        [_entry(user, row.brand_id, AccessAction.CHANGE, row.reference, detail) for row in rows]
    )


def exported(user, counts_by_brand: dict[int, int], query: str) -> None:
    """One entry per export (per brand, for staff of several): the filter and the count."""
    AccessRecord.objects.bulk_create(
        [
            _entry(user, brand_id, AccessAction.EXPORT, "", f"{count} rows; filter: {query or '-'}")
            for brand_id, count in counts_by_brand.items()
        ]
    )
