"""The typefaces a brand may choose, served from this site's static files.

Each choice names the families for headings and for text; ``faces`` lists what the
brand's theme.css must declare with @font-face (regular and bold, Latin: English and
Spanish). The system choice downloads nothing.
"""

from dataclasses import dataclass

from django.templatetags.static import static

SYSTEM_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
SERIF_FALLBACK = 'Georgia, "Times New Roman", serif'


@dataclass(frozen=True)
class Fallback:
    """A font already on the device, stretched to take the web font's room. A web font
    that misses the page's first paint is not swapped in (``font-display: optional``:
    the text would reflow, and lines that wrap differently move the page); the page
    stays in this font, and the next page has the web font from the cache. The
    figures compare the web font's ascent, descent and mean width over the demo
    articles' text with the local font's (regular with regular, bold with bold), read
    from the font files."""

    weight: int
    local: tuple[str, ...]
    size_adjust: str
    ascent: str
    descent: str


SANS = {
    400: ("Arial", "ArialMT", "Liberation Sans", "Arimo", "Helvetica"),
    700: ("Arial Bold", "Arial-BoldMT", "Liberation Sans Bold", "Arimo Bold", "Helvetica Bold"),
}
SERIF = {
    400: ("Times New Roman", "TimesNewRomanPSMT", "Liberation Serif", "Tinos", "Times"),
    700: ("Times New Roman Bold", "TimesNewRomanPS-BoldMT", "Liberation Serif Bold", "Tinos Bold"),
}

# family -> (folder under static/fonts, fallback stack, metric-matched local fallbacks)
FAMILIES = {
    "Atkinson Hyperlegible": (
        "atkinson-hyperlegible",
        SYSTEM_STACK,
        (
            Fallback(400, SANS[400], "99.08%", "95.89%", "29.27%"),
            Fallback(700, SANS[700], "100.04%", "94.96%", "28.99%"),
        ),
    ),
    "Lora": (
        "lora",
        SERIF_FALLBACK,
        (
            Fallback(400, SERIF[400], "115.95%", "86.76%", "23.63%"),
            Fallback(700, SERIF[700], "112.20%", "89.66%", "24.42%"),
        ),
    ),
    "Source Sans 3": (
        "source-sans-3",
        SYSTEM_STACK,
        (
            Fallback(400, SANS[400], "93.45%", "109.58%", "42.80%"),
            Fallback(700, SANS[700], "91.77%", "111.58%", "43.59%"),
        ),
    ),
}

# choice -> (heading family, text family); None: the device's own
CHOICES = {
    "system": (None, None),
    "hyperlegible": ("Atkinson Hyperlegible", "Atkinson Hyperlegible"),
    "classic": ("Lora", "Source Sans 3"),
    "clean": ("Source Sans 3", "Source Sans 3"),
}


def _stack(family: str | None) -> str:
    if family is None:
        return SYSTEM_STACK
    return f'"{family}", "{family} fallback", {FAMILIES[family][1]}'


def theme_fonts(choice: str) -> dict:
    """Return {"faces": [...], "heading": css stack, "text": css stack} for theme.css."""
    heading, text = CHOICES.get(choice, CHOICES["system"])
    families = [f for f in dict.fromkeys((heading, text)) if f is not None]
    faces = [
        {
            "family": family,
            "weight": weight,
            "url": static(f"fonts/{FAMILIES[family][0]}/{weight}.woff2"),
        }
        for family in families
        for weight in (400, 700)
    ]
    fallbacks = [
        {"family": family, "metrics": metrics}
        for family in families
        for metrics in FAMILIES[family][2]
    ]
    return {
        "faces": faces,
        "fallbacks": fallbacks,
        "heading": _stack(heading),
        "text": _stack(text),
    }


def preloads(choice: str) -> list[str]:
    """The font files a page asks for at once (the text's regular weight, the
    headings' bold): the page is set in them from the start, not swapped later."""
    heading, text = CHOICES.get(choice, CHOICES["system"])
    wanted = []
    if text is not None:
        wanted.append((text, 400))
    if heading is not None:
        wanted.append((heading, 700))
    return [static(f"fonts/{FAMILIES[family][0]}/{weight}.woff2") for family, weight in wanted]
