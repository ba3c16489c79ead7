"""Where requests come from: counts per source article, treatment, topic and location.

One grouped query per dimension over the brands the user may see and the chosen period;
counts only, never a patient's details, so the report and its CSV carry none.
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.export import LineByLine
from appointments.privacy import neutralise_csv_cell
from clinic.models import Brand

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LONGEST_PERIOD = timedelta(days=3 * 366)

# (key, heading, the request's field, how a row names it)
DIMENSIONS = [
    ("article", _("Source article"), "source_article", "source_article__title"),
    ("treatment", _("Treatment"), "treatment", "treatment__name_en"),
    ("topic", _("Topic"), "topic", "topic__name_en"),
    ("location", _("Location"), "location", "location__name"),
]


class PeriodForm(forms.Form):
    brand = forms.ModelChoiceField(
        label=_("Clinic"),
        queryset=Brand.objects.none(),
        required=False,
        empty_label=_("All my clinics"),
    )
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-11-01.")},
    )
    end = forms.DateField(
        label=_("To (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-11-30.")},
    )

    def __init__(self, data, *, brands, today: date):
        data = data.copy() if data else {}
        data.setdefault("start", (today - timedelta(days=29)).isoformat())
        data.setdefault("end", today.isoformat())
        super().__init__(data)
        brand = self.fields["brand"]
        assert isinstance(brand, forms.ModelChoiceField)
        brand.queryset = brands
        if brands.count() == 1:
            brand.empty_label = None

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if end - start > LONGEST_PERIOD:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return cleaned


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: float  # of the period's requests, 0..1


def local_bounds(start: date, end: date, zone) -> tuple[datetime, datetime]:
    """The instants that begin ``start`` and end ``end`` (inclusive) in ``zone``."""
    begin = timezone.make_aware(datetime.combine(start, time.min), zone)
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone)
    return begin, finish


def rows_for(queryset, field: str, name: str, total: int, none_label) -> list[Row]:
    """Counts grouped by ``field`` (named by ``name``), largest first; 'none' last."""
    grouped = (
        queryset.order_by().values(field, name).annotate(count=Count("pk")).order_by("-count", name)
    )
    rows, missing = [], 0
    for group in grouped:
        if group[field] is None:
            missing = group["count"]
            continue
        rows.append(Row(group[name], group["count"], group["count"] / total))
    if missing:
        rows.append(Row(str(none_label), missing, missing / total))
    return rows


NONE_LABELS = {
    "article": _("(no article: the form was opened directly)"),
    "treatment": _("(no treatment named)"),
    "topic": _("(no topic chosen)"),
    "location": _("(no location)"),
}


BY_BRAND = ("brand", _("Clinic"), "brand", "brand__name")


Table = tuple[str, "StrOrPromise", list[Row]]


def build(queryset, *, by_brand=False) -> tuple[int, list[Table]]:
    """Return the total and, per dimension, (key, heading, rows); with ``by_brand``
    (several clinics at once) a table per clinic comes first."""
    dimensions = [BY_BRAND, *DIMENSIONS] if by_brand else DIMENSIONS
    total = queryset.order_by().count()
    if not total:
        return 0, [(key, heading, []) for key, heading, _f, _n in dimensions]
    return total, [
        (key, heading, rows_for(queryset, field, name, total, NONE_LABELS.get(key, "")))
        for key, heading, field, name in dimensions
    ]


def csv_lines(tables, *, brand_label: str, start: date, end: date):
    writer = csv.writer(LineByLine())
    yield writer.writerow(
        [
            str(_("Dimension")),
            str(_("Value")),
            str(_("Requests")),
            str(_("Share")),
            str(_("Clinic")),
            str(_("Period")),
        ]
    )

    for _key, heading, rows in tables:
        for row in rows:
            yield writer.writerow(
                [
                    str(heading),
                    neutralise_csv_cell(row.label),
                    row.count,
                    f"{row.share:.1%}",
                    neutralise_csv_cell(brand_label),
                    f"{start.isoformat()}..{end.isoformat()}",
                ]
            )
