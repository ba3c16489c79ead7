"""What a clinic offers and who provides it: treatments and clinicians.

A treatment belongs to one brand (each clinic describes, prices and words its own). A
clinician is a person who may work for several brands of the group: one profile, shown
on each of their brands' sites with only that brand's locations.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles import richtext
from clinic.models import Brand, Location
from clinic.publishable import PublishableQuerySet
from portal import images
from portal.search_appearance import SearchFields
from portal.text import clean_fields
from portal.translated import translated

CURRENCIES = [("USD", "US $"), ("CAD", "CA $"), ("EUR", "€"), ("GBP", "£")]
SYMBOLS = {"USD": "$", "CAD": "CA$", "EUR": "€", "GBP": "£"}


def _price(label, **extra) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1_000_000))],
        **extra,
    )


class Clinician(SearchFields):
    brand_lookup = "brands"

    brands = models.ManyToManyField(
        Brand,
        related_name="clinicians",
        verbose_name=_("brands"),
        help_text=_("The clinics this person works for; the profile shows on each site."),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinician_profile",
        verbose_name=_("staff login"),
        help_text=_("Their back-office login, if they review articles there."),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The profile's address: /clinicians/address/."),
        error_messages={"unique": _("Another clinician already has this address.")},
    )
    credentials = models.CharField(
        _("credentials"), max_length=120, blank=True, help_text=_("For example: MD, PMHNP-BC.")
    )
    job_title = translated(
        models.CharField(_("role"), max_length=120, help_text=_("For example: Psychiatrist."))
    )
    is_physician = models.BooleanField(
        _("physician"),
        default=False,
        help_text=_("Licensed physician (search engines are told “Physician”)."),
    )
    specialties = translated(
        models.CharField(
            _("specialties"), max_length=300, blank=True, help_text=_("Separated by commas.")
        )
    )
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("Separated by commas.")
    )
    locations = models.ManyToManyField(
        Location, blank=True, related_name="clinicians", verbose_name=_("locations")
    )
    bio = translated(richtext.field(_("short biography"), blank=True))
    photo = models.ImageField(
        _("photo"),
        upload_to="clinicians/",
        blank=True,
        validators=[images.validate_image],
        help_text=_("A portrait: JPEG, PNG, WebP or GIF, up to 10 MB."),
    )
    photo_alt = translated(models.CharField(_("photo description"), max_length=200, blank=True))
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("clinician")
        verbose_name_plural = _("clinicians")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        clean_fields(self, ["name", "credentials", "job_title", "specialties", "languages"])
        richtext.sanitize_fields(self, "bio")
        self.photo_renditions = images.prepare(self.photo, self.photo_renditions)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("care:clinician", args=[self.slug])

    def clean(self):
        super().clean()
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt_en": _("Describe the photo for people who cannot see it.")}
            )

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def specialty_list(self) -> list[str]:
        return [part.strip() for part in self.specialties.split(",") if part.strip()]

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    @cached_property
    def picture(self) -> dict | None:
        return images.picture(self.photo_renditions, self.photo.storage)


class Treatment(SearchFields):
    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="treatments", verbose_name=_("brand")
    )
    name = translated(models.CharField(_("name"), max_length=120))
    slug = models.SlugField(
        _("address"), max_length=80, help_text=_("The page's address: /treatments/address/.")
    )
    summary = translated(
        models.CharField(
            _("summary"),
            max_length=300,
            help_text=_("One or two sentences, shown on the list and to search engines."),
        )
    )
    who_for = translated(richtext.field(_("who it is for"), blank=True))
    what_to_expect = translated(richtext.field(_("what to expect"), blank=True))
    duration = translated(
        models.CharField(
            _("duration"),
            max_length=120,
            blank=True,
            help_text=_("For example: About 40 minutes a session, usually six sessions."),
        )
    )
    price_from = _price(_("price from"))
    price_to = _price(_("price up to"), help_text=_("Leave empty for a single price."))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    price_note = translated(
        models.CharField(
            _("what the price covers"),
            max_length=200,
            blank=True,
            help_text=_("For example: per infusion, or for the assessment."),
        )
    )
    insurance_note = translated(models.TextField(_("insurance"), max_length=1000, blank=True))
    related_articles = models.ManyToManyField(
        "articles.Article", blank=True, related_name="+", verbose_name=_("related articles")
    )
    clinicians = models.ManyToManyField(
        Clinician, blank=True, related_name="treatments", verbose_name=_("clinicians")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "slug"],
                name="treatment_slug_unique_per_brand",
                violation_error_message=_("This brand already has a treatment at that address."),
            ),
            models.UniqueConstraint(
                fields=["brand", "name_en"],
                name="treatment_name_unique_per_brand",
                violation_error_message=_("This brand already has a treatment of that name."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_fields(self, ["name", "summary", "duration", "price_note"], ["insurance_note"])
        richtext.sanitize_fields(self, "who_for", "what_to_expect")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("care:treatment", args=[self.slug])

    def clean(self):
        super().clean()
        if self.price_to is not None and self.price_from is None:
            raise ValidationError({"price_from": _("Give the lowest price as well.")})
        both = self.price_to is not None and self.price_from is not None
        if both and self.price_to <= self.price_from:
            raise ValidationError(
                {"price_to": _("The highest price must be above the lowest one.")}
            )

    @property
    def price_text(self) -> str:
        """“$350”, “$350–$500”, or "" when no price is given."""
        if self.price_from is None:
            return ""
        symbol = SYMBOLS.get(self.currency, self.currency + " ")

        def amount(value: Decimal) -> str:
            whole = value == value.to_integral_value()
            return f"{symbol}{value:,.0f}" if whole else f"{symbol}{value:,.2f}"

        if self.price_to is None:
            return amount(self.price_from)
        return f"{amount(self.price_from)}–{amount(self.price_to)}"
