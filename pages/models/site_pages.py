"""A brand's own plain pages (about, costs and insurance, the first visit) and its FAQ.

Both are written by staff in the admin with the article editor (the same sanitised
rich text) and belong to one brand: one slug space per brand, nothing shared.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import richtext
from clinic.models import Brand
from clinic.publishable import PublishableQuerySet
from portal.search_appearance import SearchFields
from portal.text import clean_fields
from portal.translated import translated

# Addresses the site already uses: a page may not take them over.
RESERVED_SLUGS = {
    "admin",
    "articles",
    "consultation",
    "locations",
    "privacy",
    "faq",
    "treatments",
    "clinicians",
    "static",
    "media",
    "healthz",
    "es",
    "en",
}


def not_reserved(slug: str) -> None:
    if slug.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is an address the site already uses. Choose another."),
            params={"slug": slug},
        )


class Page(SearchFields):
    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="pages", verbose_name=_("brand")
    )
    title = translated(models.CharField(_("title"), max_length=120))
    slug = models.SlugField(
        _("address"),
        max_length=80,
        validators=[not_reserved],
        help_text=_("The page's address on the brand's site: /address/."),
    )
    summary = translated(
        models.CharField(
            _("summary"),
            max_length=300,
            blank=True,
            help_text=_("One or two sentences for search engines and link previews."),
        )
    )
    body = translated(richtext.field(_("body")))
    in_menu = models.BooleanField(_("in the menu"), default=True)
    order = models.PositiveSmallIntegerField(_("order in the menu"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title_en"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "slug"],
                name="page_slug_unique_per_brand",
                violation_error_message=_("This brand already has a page at that address."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        clean_fields(self, ["title", "summary"])
        richtext.sanitize_fields(self, "body")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:page", args=[self.slug])


class FaqEntry(models.Model):
    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="faq_entries", verbose_name=_("brand")
    )
    question = translated(models.CharField(_("question"), max_length=200))
    answer = translated(richtext.field(_("answer")))
    topic = models.ForeignKey(
        "articles.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
        help_text=_("Groups the question on the FAQ page; empty: “General”."),
    )
    treatment = models.ForeignKey(
        "care.Treatment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("treatment"),
        help_text=_("Also answered on this treatment's page."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["order", "question_en"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "question_en"],
                name="faq_question_unique_per_brand",
                violation_error_message=_("This brand already answers that question."),
            )
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        clean_fields(self, ["question"])
        richtext.sanitize_fields(self, "answer")
        super().save(*args, **kwargs)
