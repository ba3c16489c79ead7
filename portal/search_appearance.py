"""How a page appears in search results and link previews, as its editors set it.

``SearchFields`` gives a model (a page, a treatment, a clinician) the fields of the
editors' SEO panel: a title and a description for search engines (in each language),
an image for link previews and its description, and "hide from search engines".
``Appearance`` is what a page then shows: the model's own words where the fields are
empty (its title, its summary, its hero image or portrait).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import images
from portal.translated import translated

SEO_TITLE_HELP = _(
    "Shown as the link in search results. Empty: the page's own title. The brand's name "
    "follows where it fits; about 60 characters are shown."
)
SEO_DESCRIPTION_HELP = _(
    "The sentence or two under the link in search results (50 to 160 characters). "
    "Empty: the page's summary."
)
SOCIAL_IMAGE_HELP = _(
    "Shown when the page is shared in a message or post (about 1200 × 630 pixels). "
    "Empty: the page's main picture, else the brand's logo."
)
NOINDEX_HELP = _(
    "Search engines leave the page out of their results (it stays on the site and in "
    "its menus). For pages such as a thank-you or a campaign page."
)


def noindex_field():
    return models.BooleanField(_("hide from search engines"), default=False, help_text=NOINDEX_HELP)


def social_image_field():
    return models.ImageField(
        _("image for link previews"),
        upload_to="social/%Y/%m/",
        blank=True,
        validators=[images.validate_image],
        help_text=SOCIAL_IMAGE_HELP,
    )


def social_image_alt_field():
    return models.CharField(
        _("link preview image description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )


class SearchFields(models.Model):
    """The SEO panel's fields, for a model shown in several languages."""

    seo_title = translated(
        models.CharField(
            _("title for search engines"), max_length=70, blank=True, help_text=SEO_TITLE_HELP
        )
    )
    seo_description = translated(
        models.CharField(
            _("description for search engines"),
            max_length=160,
            blank=True,
            help_text=SEO_DESCRIPTION_HELP,
        )
    )
    social_image = social_image_field()
    social_image_alt = social_image_alt_field()
    noindex = noindex_field()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        prepare_search_fields(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        search_fields_problems(self)


def prepare_search_fields(obj) -> None:
    """Before saving: clean the typed text, store a new link-preview image without its
    metadata."""
    from portal.text import clean_fields

    clean_fields(obj, ["seo_title", "seo_description", "social_image_alt"])
    images.store_clean(obj.social_image)


def search_fields_problems(obj) -> None:
    from django.core.exceptions import ValidationError

    if obj.social_image and not obj.social_image_alt.strip():
        raise ValidationError(
            {"social_image_alt": _("Describe the image for people who cannot see it.")}
        )


@dataclass(frozen=True)
class Appearance:
    title: str
    description: str
    image: str = ""  # an address ("" : the brand's logo)
    image_alt: str = ""
    indexable: bool = True


def appearance(obj, *, title: str, description: str, image: str = "", image_alt: str = ""):
    """What ``obj`` (with ``SearchFields``, or an article) shows search engines and link
    previews: its editors' words, else ``title``, ``description`` and ``image``."""
    social = getattr(obj, "social_image", None)
    if social:
        image, image_alt = social.url, getattr(obj, "social_image_alt", "") or image_alt
    return Appearance(
        title=(getattr(obj, "seo_title", "") or title).strip(),
        description=(getattr(obj, "seo_description", "") or description).strip(),
        image=image,
        image_alt=image_alt,
        indexable=not getattr(obj, "noindex", False),
    )
