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
    """Return "<title> · <brand>" in at most 60 characters, the brand always kept.

    A form showing errors says so first ("Error: ..."), so screen-reader users hear it
    as the page loads.
    """
    title = " ".join(title.split())
    if error:
        title = _("Error: %(title)s") % {"title": title}
    if not brand:
        return _shorten(title, TITLE_LIMIT)
    if not title or title == brand:
        return _shorten(brand, TITLE_LIMIT)
    room = TITLE_LIMIT - len(SEPARATOR) - len(brand)
    if room < 10:  # a very long brand name: the page's own title matters more
        return _shorten(title, TITLE_LIMIT)
    return _shorten(title, room) + SEPARATOR + brand


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
