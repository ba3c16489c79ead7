"""The inbox's CSV export, fast enough to finish inside a worker's timeout.

Rows are read as plain tuples in chunks (a server-side cursor on PostgreSQL), never as
model instances: 150,000 requests leave in seconds with flat memory. Times are ISO 8601
in the reader's zone with its offset; phone numbers read as people write them; every
cell is neutralised against spreadsheet formulas. The caller learns how many rows of
each clinic were actually sent, also when the download was cut short (``on_end``).
"""

import csv
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import lru_cache

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy

from appointments.models import ContactMethod, RequestStatus
from appointments.privacy import neutralise_csv_cell
from portal import heartbeat

CHUNK = 2000
# Rows between two heartbeats (about 30 KB: a slow connection takes them well inside
# gunicorn's timeout).
BEAT_EVERY = 200

# (column, heading, what is read for it).
COLUMNS = [
    ("reference", gettext_lazy("Reference"), "reference"),
    ("created", gettext_lazy("Received"), "created"),
    ("status", gettext_lazy("Status"), "status"),
    ("location", gettext_lazy("Location"), "location__name"),
    ("topic", gettext_lazy("Topic"), "topic__name_en"),
    ("treatment", gettext_lazy("Treatment"), "treatment__name_en"),
    ("name", gettext_lazy("Name"), "name"),
    ("email", gettext_lazy("E-mail"), "email"),
    ("phone", gettext_lazy("Phone"), "phone_text"),
    ("contact_method", gettext_lazy("Preferred contact"), "contact_method"),
    ("preferred_slot", gettext_lazy("Preferred time"), "preferred_slot"),
    ("preference_note", gettext_lazy("Time preference"), "preference_note"),
    ("confirmed_slot", gettext_lazy("Confirmed time"), "confirmed_slot"),
    ("assignee", gettext_lazy("Assigned to"), "assignee__username"),
]
# A file that may mix clinics says which each row belongs to, second.
BRAND_COLUMN = ("brand", gettext_lazy("Clinic"), "brand__name")


class LineByLine:
    """A file-like object for csv.writer that hands back each line instead of keeping it
    (the source report's CSV uses it too)."""

    def write(self, value):
        return value


@lru_cache(maxsize=4096)
def readable_phone(e164: str, country: str) -> str:
    """National format for numbers of the clinic's country, international otherwise
    (the same as on screen; cached, as a few numbers write to the clinic often)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def lines(
    queryset,
    *,
    several_brands: bool,
    zone,
    on_end: Callable[[Counter, bool], None],
) -> Iterator[str]:
    """The CSV a line at a time. ``on_end(sent_by_brand, finished)`` is called once,
    when the last line has gone or the download stopped early."""
    columns = list(COLUMNS)
    if several_brands:
        columns.insert(1, BRAND_COLUMN)
    reads = [read for _key, _heading, read in columns]
    rows = (  # in the list's own order
        queryset.annotate(phone_text=Cast("phone", output_field=CharField()))
        .values_list("brand_id", "brand__country", *reads)
        .iterator(chunk_size=CHUNK)
    )
    keys = [key for key, _heading, _read in columns]
    # Choice labels are put into words once per export, not once per row.
    labels = {
        "status": {value: str(label) for value, label in RequestStatus.choices},
        "contact_method": {value: str(label) for value, label in ContactMethod.choices},
    }
    phone_at = keys.index("phone")
    as_words = [(index, labels[key]) for index, key in enumerate(keys) if key in labels]
    writer = csv.writer(LineByLine())
    sent: Counter = Counter()
    finished = False
    try:
        yield writer.writerow([str(heading) for _key, heading, _read in columns])
        for brand_id, country, *values in rows:
            for index, words in as_words:
                values[index] = words.get(values[index], values[index])
            if values[phone_at]:
                values[phone_at] = readable_phone(values[phone_at], country)
            line = writer.writerow([_cell(value, zone) for value in values])
            sent[brand_id] += 1  # handed to the server (a close at this yield counts it)
            if sent.total() % BEAT_EVERY == 0:
                heartbeat.beat()  # still at work: the worker's timeout does not cut the file
            yield line
        finished = True
    finally:
        on_end(sent, finished)


def _cell(value, zone) -> str:
    if isinstance(value, datetime):
        # ISO 8601 in the reader's zone, with its offset: a spreadsheet and a person
        # read the same instant.
        return value.astimezone(zone).isoformat()
    return neutralise_csv_cell(value)


def filename() -> str:
    return f"consultations-{timezone.localtime():%Y%m%d-%H%M}.csv"
