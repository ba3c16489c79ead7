"""Template helpers shared by the portal's public pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from clinic import links

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the
# <script> element or open a comment, whatever staff typed.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """Render ``value`` as a JSON-LD <script> block, safe inside HTML."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{data}</script>')


@register.filter
def lang_attr(obj, name: str) -> str:
    """`` lang="en"`` where ``obj.<name>`` is shown in the main language on a page in
    another (its translation is missing), else nothing: ``<p{{ page|lang_attr:"body" }}>``.
    """
    from django.utils import translation

    from portal.translated import lang_of

    if obj is None:
        return ""
    shown = lang_of(obj, name)
    return "" if shown == translation.get_language() else mark_safe(f' lang="{shown}"')


@register.filter
def in_page_language(link: str) -> str:
    """A link staff typed, into the page's language ("/first-visit/" on a Spanish page
    is "/es/first-visit/"); outside addresses stay as they are."""
    from django.utils import translation

    from portal.languages import localize_link

    return localize_link(link, translation.get_language() or "") if link else link


@register.filter
def long_day(day) -> str:
    """ "Friday, November 27" or "viernes 27 de noviembre": a day in the page's language."""
    from clinic.hours_text import long_date

    return long_date(day) if day else ""


@register.filter
def isotime(value) -> str:
    """Return a datetime as HTML's datetime attribute wants it (whole seconds)."""
    if not value:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).isoformat(timespec="seconds")


@register.filter
def notice_paragraphs(text: str):
    """A plain-text notice as paragraphs (blank lines part them); a short first sentence
    ("What we collect.") is the paragraph's heading in bold. Everything is escaped."""
    from django.utils.html import format_html, format_html_join

    paragraphs = [" ".join(p.split()) for p in str(text or "").split("\n\n") if p.strip()]

    def parts(paragraph: str):
        lead, _, rest = paragraph.partition(". ")
        if rest and len(lead.split()) <= 6:
            return format_html("<p><strong>{}.</strong> {}</p>", lead, rest)
        return format_html("<p>{}</p>", paragraph)

    return format_html_join("\n", "{}", ((parts(p),) for p in paragraphs))


@register.simple_tag
def font_preloads(brand):
    """The brand's font files, asked for with the page rather than found in its CSS."""
    from django.utils.html import format_html_join

    from clinic.typefaces import preloads

    return format_html_join(
        "\n  ",
        '<link rel="preload" href="{}" as="font" type="font/woff2" crossorigin>',
        ((url,) for url in preloads(brand.typeface)),
    )


def _link_picture_alt(image: str, brand_name: str, *, is_logo: bool) -> str:
    from django.utils.translation import gettext as _

    if image.endswith("img/link-preview.png"):
        return _("A pale sun over soft green hills")
    if is_logo and brand_name:
        return _("Logo of %(brand)s") % {"brand": brand_name}
    return brand_name


@register.simple_tag(takes_context=True)
def page_head(
    context,
    title="",
    description="",
    *,
    canonical=None,
    image=None,
    image_alt="",
    kind="website",
    indexable=True,
    error=False,
    home=False,
    noindex=False,
):
    """Render the page's <title>, description, canonical link and link-preview tags.

    ``home``: the title given is the brand's tagline, shown after the brand's name."""
    from django.template.loader import render_to_string

    from portal import languages, seo

    request = context["request"]
    brand = context.get("brand")
    brand_name = brand.name if brand else ""
    if canonical is None:
        canonical = links.here(request, seo.canonical_path(request.path, request.GET.get("page")))
    translations = []
    if brand is not None:
        path = seo.canonical_path(request.path, request.GET.get("page"))
        existing = [a for a in languages.of_page(request, path, brand) if a.exists]
        if len(existing) > 1:  # a page in one language only has no alternates
            translations = [
                (alternate.code, links.here(request, alternate.path)) for alternate in existing
            ]
    shared_logo = False
    if not image:
        # Every page shares with a picture: the brand's logo, else the portal's own.
        logo = brand.logo.url if brand is not None and brand.logo else None
        image = logo or static("img/link-preview.png")
        image_alt, shared_logo = "", bool(logo)
    if not image_alt:
        # Every shared picture is described (og:image:alt): a page's own picture by
        # what its editor wrote, else by what it is.
        image_alt = _link_picture_alt(image, brand_name, is_logo=shared_logo)
    if image.startswith("/"):
        image = links.here(request, image)
    return render_to_string(
        "partials/page_head.html",
        {
            "title": (
                seo.home_title(brand_name, str(title))
                if home and not error
                else seo.fit_title(str(title), brand_name, error=bool(error))
            ),
            "description": seo.fit_description(str(description), brand_name),
            "canonical": canonical,
            "image": image,
            "image_alt": image_alt,
            "kind": kind,
            "indexable": indexable,
            "noindex": noindex,  # an editor's choice: out of search results, shared as usual
            "brand": brand,
            # The page in each of the brand's languages, and which one a search engine
            # should offer a reader of any other (the main language).
            "translations": translations,
            "x_default": (
                (dict(translations).get(languages.MAIN) or translations[0][1])
                if translations
                else None
            ),
        },
    )


@register.simple_tag(takes_context=True)
def search_head(context, obj, title, description, *, image="", image_alt="", **options):
    """``page_head`` for a page its editors describe (portal/search_appearance.py): their
    title, description, picture and "hide from search engines" where they set them."""
    from portal.search_appearance import appearance

    look = appearance(obj, title=title, description=description, image=image, image_alt=image_alt)
    return page_head(
        context,
        look.title,
        look.description,
        image=look.image or None,
        image_alt=look.image_alt,
        noindex=not look.indexable,
        **options,
    )


SWITCHER_PARAMETERS = {"q", "page", "topic", "treatment", "article", "location"}


@register.inclusion_tag("partials/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the brand's other languages (nothing for a one-language site).

    Plain links, since the language is in the address: they work without JavaScript or
    cookies, and each names its language in that language ("Español").
    """
    from portal import languages

    request = context.get("request")
    brand = context.get("brand")
    if request is None or brand is None:
        return {"choices": []}
    # Only the parameters that choose what a page shows (a search, a page of a list, what
    # the form is about); anything else is dropped rather than carried into a link.
    kept = request.GET.copy()
    for name in list(kept):
        if name not in SWITCHER_PARAMETERS:
            del kept[name]
    query = kept.urlencode()
    found = languages.of_page(request, request.path, brand)
    return {
        "choices": [
            (
                alternate,
                f"{alternate.path}?{query}" if query and alternate.exists else alternate.path,
            )
            for alternate in found
        ]
    }


@register.tag
def moment_fragment(parser, token):
    """Render the enclosed template once per brand until its pages change by themselves.

    ``{% moment_fragment "name" [vary ...] %}...{% endmoment_fragment %}``: for what
    depends on the brand and the moment ("open now", calls to action, the week's hours)
    but on nothing else of the request. Reused until the next opening or closing, local
    midnight or scheduled publication (``portal.pagecache.page_deadline``), or until
    anything of the brand is saved; one copy per host, language and ``vary`` values.
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("moment_fragment needs a name")
    nodelist = parser.parse(("endmoment_fragment",))
    parser.delete_first_token()
    return MomentFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])


class MomentFragmentNode(template.Node):
    def __init__(self, nodelist, vary):
        self.nodelist = nodelist
        self.vary = vary

    def render(self, context):
        from portal.pagecache import moment_cached

        request = context.get("request")
        if request is None or getattr(request, "brand", None) is None:
            return self.nodelist.render(context)
        vary = [str(value.resolve(context)) for value in self.vary]
        return moment_cached(request, vary, lambda: self.nodelist.render(context))
