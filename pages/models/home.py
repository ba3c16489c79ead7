"""A brand's home page, composed by its staff from ordered sections.

Each section is one kind (hero, treatments, articles, ...) with optional wording of
its own; what a kind lists (treatments, clinicians, questions) comes from the brand's
published content. A brand without sections gets ``DEFAULT_SECTIONS``, so a new
clinic has a sensible home page before anyone composes one.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles import richtext
from clinic.models import Brand
from clinic.publishable import PublishableQuerySet
from portal import images
from portal.text import clean_fields
from portal.translated import translated


class SectionKind(models.TextChoices):
    HERO = "hero", _("Hero: heading, text, image and buttons")
    TREATMENTS = "treatments", _("Treatments")
    ARTICLES = "articles", _("Featured articles")
    CLINICIANS = "clinicians", _("Clinicians")
    LOCATIONS = "locations", _("Locations with today's hours")
    FAQ = "faq", _("Questions and answers")
    TESTIMONIALS = "testimonials", _("Testimonials")
    CTA = "cta", _("Call-to-action band")
    TEXT = "text", _("Free text")


# What a brand's home page shows until its staff compose their own.
DEFAULT_SECTIONS = [
    SectionKind.HERO,
    SectionKind.TREATMENTS,
    SectionKind.CLINICIANS,
    SectionKind.ARTICLES,
    SectionKind.LOCATIONS,
    SectionKind.TESTIMONIALS,
    SectionKind.FAQ,
    SectionKind.CTA,
]


def validate_link(value: str) -> None:
    """A button leads to a page of the site (/path) or to a secure web address."""
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(
        "https://"
    ):
        raise ValidationError(
            _("Give a path on this site (starting with /) or an address starting with https://.")
        )


class HomeSection(models.Model):
    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="home_sections", verbose_name=_("brand")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices)
    heading = translated(
        models.CharField(
            _("heading"),
            max_length=120,
            blank=True,
            help_text=_("Empty: a heading that suits the kind (the brand's name for the hero)."),
        )
    )
    text = translated(richtext.field(_("text"), blank=True))
    image = models.ImageField(
        _("image"),
        upload_to="home/%Y/",
        blank=True,
        validators=[images.validate_image],
        help_text=_("Hero only: JPEG, PNG, WebP or GIF, up to 10 MB."),
    )
    image_alt = translated(models.CharField(_("image description"), max_length=200, blank=True))
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    button_label = translated(models.CharField(_("button label"), max_length=60, blank=True))
    button_link = models.CharField(
        _("button link"),
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text=_("Empty: the consultation form."),
    )
    items = models.PositiveSmallIntegerField(
        _("how many to show"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("For lists (treatments, articles, clinicians, questions, testimonials)."),
    )
    featured_articles = models.ManyToManyField(
        "articles.Article",
        blank=True,
        related_name="+",
        verbose_name=_("featured articles"),
        help_text=_("Featured articles only; empty: the newest."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Drafts show only in the preview."),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("home page section")
        verbose_name_plural = _("home page sections")

    def __str__(self):
        return self.heading or str(self.get_kind_display())

    def save(self, *args, **kwargs):
        clean_fields(self, ["heading", "image_alt", "button_label", "button_link"])
        richtext.sanitize_fields(self, "text")
        self.image_renditions = images.prepare(self.image, self.image_renditions)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt_en"] = _("Describe the image for people who cannot see it.")
        if self.image and self.kind != SectionKind.HERO:
            errors["image"] = _("Only a hero section shows an image.")
        if self.button_link and not self.button_label.strip():
            errors["button_label_en"] = _("Give the button a label.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def picture(self) -> dict | None:
        return images.picture(self.image_renditions, self.image.storage)
