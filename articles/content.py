"""What a patient sees of an article, as one value: what a medical approval covers.

Every patient-facing field is here: the title, the summary (search results and cards
show it), the text, the hero image and its description, the topics and the main topic,
and the search engines' title and description. A live health article's change to any
of them waits, as a whole, for an approval of exactly that content
(articles.edit_review); the approval's fingerprint is this value's.

Pure logic apart from ``of`` (which reads a saved article's topics): values compare,
serialise to the JSON a waiting change is stored as, and list how two of them differ.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields, replace

from django.utils.translation import gettext_lazy as _

# The fields, in the order a reviewer reads them, with the labels they are shown under.
LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "body": _("Text"),
    "hero_image": _("Hero image"),
    "hero_alt": _("Hero image description"),
    "topics": _("Topics"),
    "main_topic": _("Main topic"),
    "seo_title": _("Title for search engines"),
    "seo_description": _("Description for search engines"),
    "social_image": _("Image for link previews"),
    "social_image_alt": _("Link preview image description"),
}
# Covered by an approval only once set: content approved before these fields existed
# keeps its fingerprint.
COVERED_WHEN_SET = ("social_image", "social_image_alt")


@dataclass(frozen=True)
class Content:
    title: str = ""
    summary: str = ""
    body: str = ""
    hero_image: str = ""  # the stored file's name ("" for none)
    hero_alt: str = ""
    topics: tuple[int, ...] = ()  # topic ids, sorted
    main_topic: int | None = None
    seo_title: str = ""
    seo_description: str = ""
    social_image: str = ""  # the stored file's name ("" for none)
    social_image_alt: str = ""
    # Not covered by an approval: the hero's renditions, so a preview can show it.
    hero_renditions: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "topics", tuple(sorted(set(self.topics))))

    @classmethod
    def of(cls, article, topics=None) -> "Content":
        """The content of ``article`` as its fields hold it (its saved topics unless
        ``topics`` are given)."""
        if topics is None:
            topics = article.topics.all() if article.pk else []
        return cls(
            title=article.title or "",
            summary=article.summary or "",
            body=article.body or "",
            hero_image=article.hero_image.name or "" if article.hero_image else "",
            hero_alt=article.hero_alt or "",
            topics=tuple(topic.pk for topic in topics),
            main_topic=article.main_topic_id,
            seo_title=article.seo_title or "",
            seo_description=article.seo_description or "",
            social_image=article.social_image.name or "" if article.social_image else "",
            social_image_alt=article.social_image_alt or "",
            hero_renditions=dict(article.hero_renditions or {}),
        )

    @classmethod
    def from_json(cls, data: dict) -> "Content":
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in (data or {}).items() if key in known}
        values["topics"] = tuple(int(pk) for pk in values.get("topics") or ())
        return cls(**values)

    def to_json(self) -> dict:
        data = asdict(self)
        data["topics"] = list(self.topics)
        return data

    def fingerprint(self) -> str:
        """What an approval covers: every patient-facing field, exactly (blank space
        between and around words aside, which the editor re-lays out freely)."""
        covered = {
            name: getattr(self, name)
            for name in LABELS
            if name not in COVERED_WHEN_SET or getattr(self, name)
        }
        covered["title"], covered["body"] = _normal(self.title), _normal(self.body)
        covered["topics"] = list(self.topics)
        text = json.dumps(covered, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def with_changes(self, **changes) -> "Content":
        return replace(self, **changes)


def changed_fields(before: Content, after: Content) -> list[str]:
    """The names of the fields that differ, in reading order (blank space aside)."""
    names = []
    for name in LABELS:
        old, new = getattr(before, name), getattr(after, name)
        if isinstance(old, str):
            old, new = _normal(old), _normal(new)
        if old != new:
            names.append(name)
    return names


def _normal(text: str) -> str:
    # The admin's form strips blank space, and the editor re-lays out the HTML it loads
    # (no line breaks between blocks), without changing a word.
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", text or "")).strip()


SCALARS = (
    "title",
    "summary",
    "body",
    "hero_alt",
    "seo_title",
    "seo_description",
    "social_image_alt",
)


def put_on(article, content: Content) -> None:
    """Give ``article`` (unsaved) the content's fields; its topics are the caller's to
    set, after saving (a many-to-many relation)."""
    for name in SCALARS:
        setattr(article, name, getattr(content, name))
    if (article.hero_image.name or "") != content.hero_image:
        article.hero_image = content.hero_image
    article.hero_renditions = dict(content.hero_renditions) if content.hero_image else {}
    if (article.social_image.name or "") != content.social_image:
        article.social_image = content.social_image
    article.main_topic_id = content.main_topic
