"""Write the access record (appointments.models.AccessRecord): who saw what, and when."""

from urllib.parse import parse_qsl

from django.db import connection, transaction

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


def _record_read(entries) -> None:
    """Write entries that record a look (a request opened, a list shown) without waiting for
    the disk: on PostgreSQL their own transaction commits asynchronously, so a list page
    does not wait ~20 ms for a flush. Only a crash of the database server within a
    fraction of a second could lose them; a change and its entry stay synchronous."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            AccessRecord.objects.bulk_create(entries)
    else:
        AccessRecord.objects.bulk_create(entries)


def opened(user, request_row) -> None:
    _record_read([_entry(user, request_row.brand_id, AccessAction.VIEW, request_row.reference)])


def changed(user, request_row, fields) -> None:
    detail = ", ".join(sorted(fields))
    _entry(user, request_row.brand_id, AccessAction.CHANGE, request_row.reference, detail).save()


# The access record's name for a patient acting through their own link.
PATIENT = "patient (own link)"


def changed_by_patient(request_row, detail: str) -> None:
    AccessRecord.objects.create(
        brand_id=request_row.brand_id,
        user=None,
        username=PATIENT,
        action=AccessAction.CHANGE,
        reference=request_row.reference,
        detail=detail[:500],
    )


def patient_changes_since(request_row, since) -> int:
    return (
        AccessRecord.objects.for_brand(request_row.brand_id)
        .filter(reference=request_row.reference, username=PATIENT, at__gte=since)
        .count()
    )


def changed_many(user, rows, detail: str) -> None:
    AccessRecord.objects.bulk_create(
        [_entry(user, row.brand_id, AccessAction.CHANGE, row.reference, detail) for row in rows]
    )


# The list's own parameters, which are not filters: order, page, the CSV switch, the
# admin's error flag and the popup markers.
_NOT_FILTERS = {"o", "p", "format", "e", "_popup", "_to_field", "all"}


def filter_kinds(query: str) -> str:
    """The kinds of filter in a list's query string, never their values: a search for a
    patient's e-mail is recorded as "search", a status filter as "status"."""
    names = set()
    for name, _value in parse_qsl(query or "", keep_blank_values=False):
        if name in _NOT_FILTERS:
            continue
        names.add("search" if name == "q" else name.split("__", 1)[0][:40])
    return ", ".join(sorted(names)) or "-"


def export_started(user, counts_by_brand: dict[int, int], query: str) -> None:
    """One entry per export (per brand, for staff of several), before the first byte
    leaves: the rows about to be sent and the kinds of filter."""
    kinds = filter_kinds(query)
    AccessRecord.objects.bulk_create(
        [
            _entry(
                user, brand_id, AccessAction.EXPORT, "", f"{count} rows to send; filter: {kinds}"
            )
            for brand_id, count in counts_by_brand.items()
        ]
    )


def export_ended(user, counts_by_brand, sent_by_brand, finished: bool, query: str) -> None:
    """A second entry per brand once the download ends: the rows actually sent, all of
    them or how many before it stopped (the record is append-only, so the first entry
    stays as it was; a worker killed mid-way leaves only the first)."""
    kinds = filter_kinds(query)
    entries = []
    for brand_id, count in counts_by_brand.items():
        sent = sent_by_brand.get(brand_id, 0)
        outcome = (
            f"{sent} rows sent"
            if finished and sent == count
            else f"{sent} of {count} rows sent, then the download stopped"
        )
        entries.append(
            _entry(user, brand_id, AccessAction.EXPORT, "", f"{outcome}; filter: {kinds}")
        )
    AccessRecord.objects.bulk_create(entries)


def listed(user, shown_by_brand: dict[int, int], total: int, query: str) -> None:
    """One entry per inbox list page (per brand shown): how many rows it showed of how
    many found, and the kinds of filter and search."""
    kinds = filter_kinds(query)
    _record_read(
        [
            _entry(
                user,
                brand_id,
                AccessAction.LIST,
                "",
                f"{shown} of {total} rows shown; filter: {kinds}",
            )
            for brand_id, shown in shown_by_brand.items()
        ]
    )


def purge_older_than(cutoff) -> int:
    """Remove entries older than ``cutoff`` (the record's stated retention period)."""
    return AccessRecord.objects.across_brands().filter(at__lt=cutoff).purge()
