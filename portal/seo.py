"""What search engines and link previews read of a page: titles, descriptions, URLs.

Pure functions; ``clinic.templatetags.portal_tags.page_head`` puts them in the page.
"""

from django.utils.translation import gettext as _

TITLE_LIMIT = 60
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 160
SEPARATOR = " · "
ELLIPSIS = "…"


def _shorten(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + ELLIPSIS


def fit_title(title: str, brand: str, *, error: bool = False) -> str:
    """Return "<title> · <brand>" in at most 60 characters where it fits.

    The page's own title is never cut (a cut drops words such as the topic: "PTSD");
    the brand gives way instead: shortened to its first words, then left out. A title
    longer than 60 characters on its own stays whole (the editor's SEO panel warns).

    A form showing errors says so first ("Error: ..."), so screen-reader users hear it
    as the page loads.
    """
    title = " ".join(title.split())
    if error:
        title = _("Error: %(title)s") % {"title": title}
    brand = " ".join(brand.split())
    if not title or title == brand:
        return brand or title
    for name in shorter_names(brand):
        if len(title) + len(SEPARATOR) + len(name) <= TITLE_LIMIT:
            return title + SEPARATOR + name
    return title


def home_title(brand: str, tagline: str) -> str:
    """The home page's title: "<tagline> · <brand>" where it fits in 60, else the brand
    alone (a tagline is never cut). A tagline naming the brand stands alone."""
    brand, tagline = " ".join(brand.split()), " ".join(tagline.split())
    if not tagline or tagline == brand:
        return brand
    if brand and brand.lower() in tagline.lower():
        return tagline if len(tagline) <= TITLE_LIMIT else brand
    combined = tagline + SEPARATOR + brand if brand else tagline
    return combined if len(combined) <= TITLE_LIMIT else brand or tagline


def shorter_names(brand: str) -> list[str]:
    """The brand's name, then shorter by a word at a time ("Ignite Wellness Clinic",
    "Ignite Wellness", "Ignite"); none for no brand."""
    words = brand.split()
    return [" ".join(words[:count]) for count in range(len(words), 0, -1)]


def title_problems(title: str, brand: str) -> list[str]:
    """What an editor should know about a page title as search engines will show it."""
    problems = []
    fitted = fit_title(title, brand)
    if len(" ".join(title.split())) > TITLE_LIMIT:
        problems.append(
            _(
                "The title is longer than %(limit)d characters: search engines may cut "
                "it. Write a shorter title for search engines."
            )
            % {"limit": TITLE_LIMIT}
        )
    elif brand and not fitted.endswith(brand):
        problems.append(
            _("The title is long: search results show the brand's name shortened or not at all.")
        )
    return problems


def description_problems(description: str) -> list[str]:
    text = " ".join(description.split())
    if not text:
        return [_("No description: search engines pick words from the page themselves.")]
    if len(text) < DESCRIPTION_MIN:
        return [
            _("The description is short (under %(min)d characters): say a little more.")
            % {"min": DESCRIPTION_MIN}
        ]
    if len(text) > DESCRIPTION_MAX:
        return [
            _("The description is longer than %(max)d characters: it will be cut.")
            % {"max": DESCRIPTION_MAX}
        ]
    return []


def fit_description(text: str, brand: str) -> str:
    """Return a meta description of 50 to 160 characters.

    Too long: cut at a word. Too short (a terse summary): followed by a sentence naming
    the brand, which is true of every page of the site.
    """
    text = " ".join(text.split())
    if len(text) < DESCRIPTION_MIN:
        addition = _("Information from the care team of %(brand)s.") % {"brand": brand}
        text = f"{text} {addition}".strip() if text else addition
    return _shorten(text, DESCRIPTION_MAX)


def canonical_path(path: str, page_number: str | None) -> str:
    """Return the page's own address: its path, plus the page number past page one."""
    if page_number and page_number.isdigit() and int(page_number) > 1:
        return f"{path}?page={int(page_number)}"
    return path
