"""Links a brand's staff add to its header menu or its footer (beyond its own pages)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.models import Brand
from clinic.scoped import BrandScopedQuerySet
from pages.models.home import validate_link
from portal.text import clean_fields
from portal.translated import translated


class Place(models.TextChoices):
    HEADER = "header", _("Header menu")
    FOOTER = "footer", _("Footer")


class MenuLink(models.Model):
    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="menu_links", verbose_name=_("brand")
    )
    place = models.CharField(_("where"), max_length=10, choices=Place.choices)
    label = translated(models.CharField(_("label"), max_length=60))
    link = models.CharField(
        _("link"),
        max_length=300,
        validators=[validate_link],
        help_text=_("A path on this site (/treatments/) or an address starting with https://."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["place", "order", "label_en"]
        verbose_name = _("menu or footer link")
        verbose_name_plural = _("menu and footer links")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "place", "label_en"],
                name="menu_link_label_unique_per_place",
                violation_error_message=_("This brand already has a link with that label there."),
            )
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        clean_fields(self, ["label", "link"])
        super().save(*args, **kwargs)
