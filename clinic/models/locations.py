"""Clinic locations and their opening hours.

The rows only hold what staff entered; every question about time is answered by the
pure clinic.hours module, fed by ``Location.calendar()``.
"""

import zoneinfo
from datetime import timedelta
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from clinic import hours
from clinic.models.brands import Brand
from clinic.scoped import BrandScopedQuerySet
from portal.text import clean_fields
from portal.translated import MAIN, text_of, translated, translations_of

# Special days may span at most this long (a closure for renovation, not forever).
MAX_SPECIAL_DAYS = 366

RULE_MESSAGES = {
    "weekday": _("Choose a day of the week."),
    "inverted": _("The closing time must be after the opening time (use 00:00 for midnight)."),
    "zero_length": _("Opening and closing times are the same; leave the day out to close it."),
    "anchor_missing": _("“Every other week” needs a date in a week when the location is open."),
}


OVERLAP_MESSAGE = _("These hours overlap other hours of the same day.")


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a known time zone. Use a name such as America/New_York."),
            params={"value": value},
            code="unknown_time_zone",
        )


class Location(models.Model):
    brand_lookup = "brand"
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="locations", verbose_name=_("brand")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)
    street_address = models.CharField(_("street address"), max_length=200)
    locality = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state or region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="US")
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text=_("The IANA name, e.g. America/New_York; hours are read in this zone."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    order = models.PositiveSmallIntegerField(
        _("display order"), default=0, help_text=_("The first active location is the main one.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    consult_minutes = models.PositiveSmallIntegerField(
        _("consultation length (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
        help_text=_("Patients choose among slots of this length within the opening hours."),
    )
    slot_capacity = models.PositiveSmallIntegerField(
        _("patients per slot"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("How many consultations can be confirmed for the same time."),
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "slug"],
                name="location_slug_unique_per_brand",
                violation_error_message=_("This brand already has a location with this slug."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_fields(self, ["name", "street_address", "locality", "region", "postal_code"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clinic:location", args=[self.slug])

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def phone_or_brand(self):
        return self.phone or self.brand.phone

    @property
    def map_url(self) -> str:
        """A link to the location on OpenStreetMap (a link only: nothing is embedded)."""
        if self.latitude is None or self.longitude is None:
            return ""
        lat, lon = f"{self.latitude:f}", f"{self.longitude:f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    @property
    def address_line(self) -> str:
        parts = [self.street_address, self.locality, f"{self.region} {self.postal_code}".strip()]
        return ", ".join(part for part in parts if part)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The location's time zone, without loading its hours (lists of requests show
        many times in it)."""
        return zoneinfo.ZoneInfo(self.time_zone)

    def calendar(self) -> hours.Hours:
        """Return the location's opening calendar (from prefetched rules and special
        hours), for ``clinic.hours`` to answer about; built once per object."""
        if getattr(self, "_calendar", None) is None:
            self._calendar = self._build_calendar()
        return self._calendar

    def _build_calendar(self) -> "hours.Hours":
        rules = [rule.as_rule() for rule in self.opening_hours.all()]
        grouped: dict[tuple, list] = {}
        for special in self.special_hours.all():
            grouped.setdefault((special.first_day, special.effective_last_day), []).append(special)
        specials = []
        for (first, last), rows in grouped.items():
            closed = any(row.is_closed for row in rows)
            spans = () if closed else tuple((row.opens, row.closes) for row in rows)
            # Built once and shared by every language: each label goes in whole.
            labelled = next((row for row in rows if text_of(row, "label", MAIN)), None)
            label = text_of(labelled, "label", MAIN) if labelled else ""
            translations = translations_of(labelled, "label") if labelled else ()
            specials.append(hours.SpecialDay(first, last, spans, label, translations))
        return hours.Hours(rules, specials, self.time_zone)


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    EVERY_OTHER_WEEK = "every_other_week", _("Every other week")


class OpeningHours(models.Model):
    """One opening interval on one weekday; several make a day with a lunch break."""

    brand_lookup = "location__brand"
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        verbose_name=_("location"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=list(WEEKDAYS.items()), validators=[MaxValueValidator(6)]
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight."))
    recurrence = models.CharField(
        _("repeats"), max_length=20, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    anchor = models.DateField(
        _("open in the week of"),
        null=True,
        blank=True,
        help_text=_("For “every other week”: any date in a week when this day is open."),
    )
    valid_from = models.DateField(
        _("effective from"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for the current hours. To change the hours from a date, enter the "
            "whole new week with that date: it replaces all current rows from then on."
        ),
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return f"{WEEKDAYS[self.weekday]} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def as_rule(self) -> hours.WeeklyRule:
        return hours.WeeklyRule(
            weekday=self.weekday,
            opens=self.opens,
            closes=self.closes,
            every_other_week=self.recurrence == Recurrence.EVERY_OTHER_WEEK,
            anchor=self.anchor,
            valid_from=self.valid_from,
        )

    def clean(self):
        super().clean()
        if self.weekday is None or self.opens is None or self.closes is None:
            return  # field errors are already reported
        problems = hours.rule_problems(self.as_rule())
        if problems:
            field = {"anchor_missing": "anchor"}.get(problems[0], "closes")
            raise ValidationError({field: [RULE_MESSAGES[code] for code in problems]})
        # An admin formset checks the whole submitted week instead (rows it is
        # changing would otherwise be compared with their old saved versions).
        if not getattr(self, "_checked_with_siblings", False) and self.location_id:
            siblings = OpeningHours.objects.filter(location_id=self.location_id).exclude(pk=self.pk)
            candidates = [self.as_rule(), *(row.as_rule() for row in siblings)]
            if any(0 in pair for pair in hours.rule_conflicts(candidates)):
                raise ValidationError(OVERLAP_MESSAGE, code="overlapping_hours")


class SpecialHours(models.Model):
    """A date or date range that is closed or has its own intervals (a holiday).

    Several rows with the same dates make a day with several intervals.
    """

    brand_lookup = "location__brand"
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="special_hours",
        verbose_name=_("location"),
    )
    first_day = models.DateField(_("date"))
    last_day = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For several days; leave empty for one.")
    )
    label = translated(
        models.CharField(_("label"), max_length=80, blank=True, help_text=_("E.g. Thanksgiving"))
    )
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(
        _("closes"), null=True, blank=True, help_text=_("Leave both times empty for closed.")
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["first_day", "opens"]
        verbose_name = _("special hours")
        verbose_name_plural = _("special hours (holidays)")

    def __str__(self):
        return f"{self.label or self.first_day} ({self.first_day})"

    def save(self, *args, **kwargs):
        clean_fields(self, ["label"])
        super().save(*args, **kwargs)

    @property
    def effective_last_day(self):
        return self.last_day or self.first_day

    @property
    def is_closed(self) -> bool:
        return self.opens is None and self.closes is None

    def clean(self):
        super().clean()
        errors: dict[str, Any] = {}
        if self.first_day and self.last_day:
            if self.last_day < self.first_day:
                errors["last_day"] = _("The last day cannot be before the first day.")
            elif self.last_day - self.first_day > timedelta(days=MAX_SPECIAL_DAYS):
                errors["last_day"] = _("Special hours can span at most a year.")
        if (self.opens is None) != (self.closes is None):
            errors["closes"] = _(
                "Give both times for special opening hours, or neither for closed."
            )
        elif self.opens is not None and self.closes is not None:
            problems = hours.span_problems(self.opens, self.closes)
            if problems:
                errors["closes"] = [RULE_MESSAGES[code] for code in problems]
        if errors:
            raise ValidationError(errors)
        if not getattr(self, "_checked_with_siblings", False) and self.location_id:
            others = SpecialHours.objects.filter(location_id=self.location_id).exclude(pk=self.pk)
            problem = special_conflict(self, list(others))
            if problem:
                raise ValidationError(problem)


def special_conflict(row: SpecialHours, others: list[SpecialHours]):
    """Return why ``row`` cannot stand beside ``others`` of the same location, or None."""
    for other in others:
        overlap = (
            row.first_day <= other.effective_last_day and other.first_day <= row.effective_last_day
        )
        if not overlap:
            continue
        if (row.first_day, row.effective_last_day) != (other.first_day, other.effective_last_day):
            return _(
                "These dates overlap other special hours with different dates; give "
                "overlapping special hours the same dates."
            )
        if row.is_closed or other.is_closed:
            return _("A closed day cannot also have special opening hours.")
        spans = [(row.opens, row.closes), (other.opens, other.closes)]
        if hours.span_conflicts(spans):  # type: ignore[arg-type]  # both open: times set
            return _("These special hours overlap other special hours on the same day.")
    return None
