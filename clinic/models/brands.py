"""The tenant: brands, their hostnames, and who works for which brand."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from clinic.colors import HEX_COLOUR, MIN_TEXT_CONTRAST, contrast_ratio
from clinic.fields import HostnameField
from clinic.scoped import BrandScopedQuerySet
from portal.images import (
    measured,
    newly_uploaded,
    square_icon_problem,
    store_clean,
    validate_image,
)
from portal.languages import split_codes
from portal.text import clean_fields
from portal.translated import translated

hex_colour_validator = RegexValidator(
    HEX_COLOUR, _("Enter a colour as # followed by six hexadecimal digits, e.g. #0b5d7a.")
)


class Typeface(models.TextChoices):
    SYSTEM = "system", _("The device's own (fastest)")
    HYPERLEGIBLE = "hyperlegible", _("Atkinson Hyperlegible (made for low vision)")
    CLASSIC = "classic", _("Lora headings with Source Sans text (classic)")
    CLEAN = "clean", _("Source Sans (clean)")


class Look(models.TextChoices):
    SOFT = "soft", _("Soft: rounded, light header")
    BOLD = "bold", _("Bold: square, header in the primary colour")


class Brand(models.Model):
    """A clinic brand: one public website and one slice of the back office."""

    # Where a model keeps its brand, for clinic.scoping (here: the row itself).
    brand_lookup = "pk"

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    tagline = translated(
        models.CharField(
            _("banner line"),
            max_length=200,
            blank=True,
            help_text=_("Shown in the site-wide banner on every page."),
        )
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="brands/logos/",
        blank=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP or GIF, up to 10 MB; shown 40 pixels high."),
    )
    # Its size, measured when it is uploaded (``save``): the header gives the logo its
    # width as well as its height, so the page never moves when it arrives. Not the
    # ImageField's width_field: that reads the file whenever a row without them loads.
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    primary_color = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#0b5d7a",
        validators=[hex_colour_validator],
        help_text=_("Buttons and the header; white text must be readable on it."),
    )
    accent_color = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#8a3b12",
        validators=[hex_colour_validator],
        help_text=_("Links and highlights; must be readable on a white page."),
    )
    favicon = models.ImageField(
        _("favicon"),
        upload_to="brands/icons/",
        blank=True,
        validators=[validate_image],
        help_text=_("A square PNG of at least 64 × 64 pixels: the icon of browser tabs."),
    )
    typeface = models.CharField(
        _("typeface"),
        max_length=20,
        choices=Typeface.choices,
        default=Typeface.SYSTEM,
        help_text=_("Served from this site (no font service sees the visitors)."),
    )
    look = models.CharField(
        _("look"),
        max_length=10,
        choices=Look.choices,
        default=Look.SOFT,
        help_text=_("The shape of the site: buttons, cards and header."),
    )
    phone = PhoneNumberField(_("phone"), blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="US",
        help_text=_("Two-letter code; phone numbers without a country code are read as local."),
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter country code, e.g. US."))],
    )
    public_email = models.EmailField(_("public e-mail"), blank=True)
    notification_email = models.EmailField(
        _("notification inbox"),
        blank=True,
        help_text=_(
            "Where new consultation requests are announced (without patient details). "
            "Empty: the brand admins are told instead."
        ),
    )
    reply_hours = models.PositiveSmallIntegerField(
        _("reply within (opening hours)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_(
            "New requests are answered within this many opening hours; the front desk's "
            "dashboard lists those waiting longer."
        ),
    )
    cta_heading = translated(
        models.CharField(
            _("closing call to action heading"),
            max_length=120,
            blank=True,
            help_text=_("E.g. “Talk to our care team”. Shown at the end of every article."),
        )
    )
    cta_text = translated(
        models.TextField(_("closing call to action text"), max_length=600, blank=True)
    )
    privacy_notice = translated(models.TextField(_("privacy notice"), max_length=20000, blank=True))
    privacy_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=20,
        default="1",
        help_text=_("Change this whenever the notice changes; consents record it."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=40,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The languages of the public site. English is the main one; each other "
            "language has its pages under its own address (/es/…) and a switcher."
        ),
    )
    is_default = models.BooleanField(
        _("default brand"),
        default=False,
        help_text=_("Served on hosts that belong to no brand in development (localhost)."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_brand",
                violation_error_message=_("Another brand is already the default brand."),
            ),
        ]

    def __str__(self):
        return self.name

    def __getstate__(self):
        # The per-request memo of clinic.locations never travels into a cache.
        state = super().__getstate__()
        state.pop("_active_locations", None)
        return state

    def save(self, *args, **kwargs):
        clean_fields(self, ["name", "tagline", "cta_heading"], ["cta_text", "privacy_notice"])
        # The icons lose their metadata (EXIF) like every other upload.
        store_clean(self.favicon)
        if newly_uploaded(self.logo) or (self.logo and not self.logo_width):
            self.logo_width, self.logo_height = measured(self.logo)
        elif not self.logo:
            self.logo_width = self.logo_height = None
        store_clean(self.logo)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clinic:home")

    LOGO_HEIGHT = 40  # pixels, in the header

    @property
    def logo_header_width(self) -> int | None:
        """The logo's width when shown ``LOGO_HEIGHT`` pixels high (None: not known)."""
        if not (self.logo_width and self.logo_height):
            return None
        return max(1, round(self.LOGO_HEIGHT * self.logo_width / self.logo_height))

    def alert_recipients(self) -> list[str]:
        """Return who hears of a new consultation request.

        The notification inbox when set; otherwise every active brand admin of the
        brand with an e-mail address, so that no request goes unheard. Empty only when
        neither exists (the admin and ``check --deploy`` warn about that).
        """
        if self.notification_email:
            return [self.notification_email]
        from clinic.models import BrandMembership, Role

        return sorted(
            set(
                BrandMembership.objects.filter(
                    brand=self, role=Role.BRAND_ADMIN, user__is_active=True
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )

    # Each colour and what it must stay readable against (WCAG AA for body text).
    _COLOUR_RULES = {
        "primary_color": _(
            "White text on this colour is hard to read (contrast %(ratio).1f:1, at least "
            "4.5:1 needed). Choose a darker colour."
        ),
        "accent_color": _(
            "Links in this colour are hard to read on white (contrast %(ratio).1f:1, at "
            "least 4.5:1 needed). Choose a darker colour."
        ),
    }

    def clean(self):
        super().clean()
        # Checked here so that a brand colour can never make its own site unreadable.
        errors = {}
        for field, message in self._COLOUR_RULES.items():
            colour = getattr(self, field) or ""
            if HEX_COLOUR.match(colour):
                ratio = contrast_ratio(colour, "#ffffff")
                if ratio < MIN_TEXT_CONTRAST:
                    errors[field] = message % {"ratio": ratio}
        if newly_uploaded(self.favicon):
            problem = square_icon_problem(self.favicon)
            if problem:
                errors["favicon"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def language_codes(self) -> tuple[str, ...]:
        """The site's languages, the main one first (portal/languages.py)."""
        return split_codes(self.languages) or (settings.LANGUAGE_CODE,)

    @property
    def theme_version(self) -> str:
        """Return a short fingerprint of the theme, for cache-busting /theme.css."""
        theme = (
            f"{self.primary_color}{self.accent_color}{self.typeface}{self.look}"
            f"{self.logo_header_width}"
        )
        return hashlib.sha256(theme.encode()).hexdigest()[:10]

    @property
    def primary_domain(self):
        """Return the primary hostname (uses prefetched domains when present)."""
        domains = getattr(self, "_prefetched_objects_cache", {}).get("domains")
        if not domains:
            # A brand's own address, asked on another brand's page too (a shared
            # article's canonical link): by nature not narrowed to the page's brand.
            domains = BrandDomain.objects.across_brands().filter(brand=self)
        for domain in domains:
            if domain.is_primary:
                return domain.hostname
        return None


class BrandDomain(models.Model):
    """A hostname that serves a brand; non-primary hostnames redirect to the primary."""

    brand_lookup = "brand"
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="domains", verbose_name=_("brand")
    )
    hostname = HostnameField(
        _("hostname"),
        unique=True,
        help_text=_("E.g. www.example-clinic.com, without http://. Add :port only if needed."),
        error_messages={"unique": _("This hostname already belongs to a brand.")},
    )
    is_primary = models.BooleanField(
        _("primary"),
        default=False,
        help_text=_("Other hostnames of the brand redirect here."),
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "hostname"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(
                fields=["brand"],
                condition=Q(is_primary=True),
                name="one_primary_domain_per_brand",
                violation_error_message=_("This brand already has a primary hostname."),
            ),
            # Belt and braces: the field stores lower case, the database insists on it.
            models.UniqueConstraint(
                Lower("hostname"),
                name="hostname_unique_ignoring_case",
                violation_error_message=_("This hostname already belongs to a brand."),
            ),
        ]

    def __str__(self):
        return self.hostname


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    FRONT_DESK = "front_desk", _("Front desk")
    BRAND_ADMIN = "brand_admin", _("Brand admin")


class BrandMembership(models.Model):
    """A staff user's role in one brand. The role's group holds the permissions."""

    brand_lookup = "brand"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="brand_memberships",
        verbose_name=_("user"),
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("brand")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["brand__name", "user__username"]
        verbose_name = _("brand membership")
        verbose_name_plural = _("brand memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "brand"],
                name="one_role_per_user_and_brand",
                violation_error_message=_("This user already has a role in this brand."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.brand} · {self.get_role_display()}"
