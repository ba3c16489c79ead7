"""Table of contents and reading time of a sanitised article body (pure)."""

import html
import math
import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.text import slugify

# The body is nh3 output: headings carry no attributes, so this pattern is exact.
_HEADING = re.compile(r"<(h[234])>(.*?)</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def with_anchors(body: str) -> tuple[str, list[Heading]]:
    """Give each H2-H4 an id derived from its text; return the HTML and the headings.

    Ids depend only on the heading text (and its rank among equal texts), so links
    to a section keep working across edits elsewhere in the article.
    """
    headings: list[Heading] = []
    used: dict[str, int] = {}

    def replace(match: re.Match) -> str:
        tag, inner = match.group(1), match.group(2)
        text = html.unescape(strip_tags(inner)).strip()
        base = slugify(text)[:60].strip("-") or "section"
        used[base] = used.get(base, 0) + 1
        anchor = base if used[base] == 1 else f"{base}-{used[base]}"
        headings.append(Heading(int(tag[1]), text, anchor))
        return f'<{tag} id="{anchor}">{inner}</{tag}>'

    return _HEADING.sub(replace, body), headings


def reading_minutes(body: str) -> int:
    """Return the reading time in whole minutes (at least one)."""
    # Tags become spaces so that words in neighbouring paragraphs are not glued together.
    words = len(html.unescape(_TAG.sub(" ", body)).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
