"""The typefaces a brand may choose, served from this site's static files.

Each choice names the families for headings and for text; ``faces`` lists what the
brand's theme.css must declare with @font-face (regular and bold, Latin: English and
Spanish). The system choice downloads nothing.
"""

from django.templatetags.static import static

SYSTEM_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
SERIF_FALLBACK = 'Georgia, "Times New Roman", serif'

# family -> (folder under static/fonts, fallback stack)
FAMILIES = {
    "Atkinson Hyperlegible": ("atkinson-hyperlegible", SYSTEM_STACK),
    "Lora": ("lora", SERIF_FALLBACK),
    "Source Sans 3": ("source-sans-3", SYSTEM_STACK),
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
    return f'"{family}", {FAMILIES[family][1]}'


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
    return {"faces": faces, "heading": _stack(heading), "text": _stack(text)}
