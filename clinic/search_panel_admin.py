"""The SEO panel of a content form: how the page will look in search results and link
previews, with what an editor should fix (too long, missing, a duplicate title).

The preview is drawn on the server as the page's own head would be
(portal/seo.py) and kept up to date as the editor types (js/admin-search-panel.js).
"""

from dataclasses import dataclass, field
from typing import Any

from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic import links
from portal import seo
from portal.admin_mixins import ModelAdminMixin
from portal.translated import column_names

# The fieldset of the SEO fields, in every form that has the panel.
SEARCH_FIELDSET: Any = (
    gettext_lazy("Search engines and link previews"),
    {"fields": ["seo_title", "seo_description", "social_image", "social_image_alt", "noindex"]},
)


@dataclass
class SearchPanel:
    title: str
    url: str
    description: str
    image: str
    brand: str
    noindex: bool
    problems: list[str] = field(default_factory=list)
    # Form field ids, for the script: where the title and description are typed.
    title_fields: list[str] = field(default_factory=list)
    description_fields: list[str] = field(default_factory=list)


class SearchPanelAdminMixin(ModelAdminMixin):
    """For a ModelAdmin of a model with SEO fields. ``search_source`` names the model's
    own title and description fields (the defaults); ``search_picture`` gives the
    page's own picture's address."""

    search_source = ("title", "summary")

    def search_brand(self, obj):
        return getattr(obj, "brand", None)

    def search_picture(self, obj) -> str:
        return ""

    def search_others(self, obj):
        """The brand's other objects whose titles must differ from this one's."""
        return type(obj).objects.across_brands().filter(brand=self.search_brand(obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["search_panel"] = self.search_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def search_panel(self, request, obj) -> SearchPanel:
        from portal.search_appearance import appearance

        title_name, description_name = self.search_source
        brand = self.search_brand(obj)
        brand_name = brand.name if brand is not None else ""
        look = appearance(
            obj,
            title=getattr(obj, title_name) or "",
            description=getattr(obj, description_name) or "",
            image=self.search_picture(obj),
        )
        logo = brand.logo.url if brand is not None and brand.logo else ""
        problems = [
            *seo.title_problems(look.title, brand_name),
            *seo.description_problems(look.description),
            *self._duplicates(obj, look.title),
        ]
        if obj.social_image and not obj.social_image_alt.strip():
            problems.append(_("Describe the link preview image."))
        path = obj.get_absolute_url()
        return SearchPanel(
            title=seo.fit_title(look.title, brand_name),
            url=links.on_site(brand, path, request) if brand is not None else path,
            description=seo.fit_description(look.description, brand_name),
            image=look.image or logo or static("img/link-preview.png"),
            brand=brand_name,
            noindex=not look.indexable,
            problems=problems,
            title_fields=[f"id_{name}" for name in _main(type(obj), "seo_title", title_name)],
            description_fields=[
                f"id_{name}" for name in _main(type(obj), "seo_description", description_name)
            ],
        )

    def _duplicates(self, obj, title: str) -> list[str]:
        title_name = self.search_source[0]
        wanted = " ".join(title.split()).lower()
        others = self.search_others(obj).exclude(pk=obj.pk)
        for other in others.only(*_main(type(obj), "seo_title", title_name))[:500]:
            theirs = getattr(other, "seo_title", "") or getattr(other, title_name) or ""
            if " ".join(theirs.split()).lower() == wanted:
                return [
                    _("Another page of this brand has the same title (“%(other)s”).")
                    % {"other": str(other)}
                ]
        return []


def _main(model, *names: str) -> list[str]:
    """The main language's column of each (a translated field's first column)."""
    columns = []
    for name in names:
        found = column_names(model, name)
        columns.append(found[0])
    return columns
