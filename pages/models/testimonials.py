"""What patients said, shown only with their recorded consent.

A testimonial is shown while its consent stands: who gave it, when and for what are
recorded; withdrawing it (an admin action) hides the testimonial everywhere at once,
since the save retires every cached page of the brand.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Brand
from clinic.publishable import PublishableQuerySet
from portal.text import clean_fields


class ConsentScope(models.TextChoices):
    WEBSITE = "website", _("This clinic's website")
    WEBSITE_AND_PRINT = "website_print", _("This clinic's website and printed leaflets")


class TestimonialQuerySet(PublishableQuerySet):
    def shown(self):
        """Published testimonials whose consent is recorded and not withdrawn."""
        return (
            self.published()
            .filter(consent_on__isnull=False, consent_withdrawn_on__isnull=True)
            .exclude(consent_by="")
        )


class Testimonial(models.Model):
    __test__ = False  # not a test class, whatever pytest thinks of the name
    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="testimonials", verbose_name=_("brand")
    )
    quote = models.TextField(_("what they said"), max_length=600)
    attribution = models.CharField(
        _("shown as"),
        max_length=120,
        help_text=_("How the patient agreed to be named, e.g. “A patient from Miami”."),
    )
    consent_by = models.CharField(
        _("consent given by"),
        max_length=120,
        blank=True,
        help_text=_("The person who agreed (kept here, never shown)."),
    )
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_scope = models.CharField(
        _("consent covers"),
        max_length=20,
        choices=ConsentScope.choices,
        default=ConsentScope.WEBSITE,
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")
        constraints = [
            # Nothing is shown without consent, even when written to the database directly.
            models.CheckConstraint(
                condition=Q(is_published=False) | (Q(consent_on__isnull=False) & ~Q(consent_by="")),
                name="testimonial_published_with_consent",
                violation_error_message=_("Record who gave consent and when before publishing."),
            )
        ]

    def __str__(self):
        return self.attribution

    def save(self, *args, **kwargs):
        clean_fields(self, ["attribution", "consent_by"], ["quote"])
        if self.consent_withdrawn_on is not None:
            self.is_published = False  # a withdrawn consent can never be published again
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.is_published and not (self.consent_on and self.consent_by.strip()):
            errors["is_published"] = _("Record who gave consent and when before publishing.")
        if self.consent_on and self.consent_on > today:
            errors["consent_on"] = _("Consent cannot be dated in the future.")
        if (
            self.consent_withdrawn_on
            and self.consent_on
            and (self.consent_withdrawn_on < self.consent_on)
        ):
            errors["consent_withdrawn_on"] = _("Consent cannot be withdrawn before it was given.")
        if errors:
            raise ValidationError(errors)
