"""What changed between two contents of an article, as a reviewer or editor reads it.

The compare page, the reviewer's page in the back office and the outside reviewer's
page all show a change with this: every patient-facing field that differs (topics by
name, images as pictures), then the title and text block by block, words marked.
"""

from dataclasses import dataclass

from django.core.files.storage import default_storage

from articles import revisions
from articles.content import LABELS, Content, changed_fields
from articles.models import Topic

# Shown block by block below the table, not as a row of it.
TEXT_FIELDS = ("title", "body")
# Shown as pictures.
IMAGE_FIELDS = ("hero_image", "social_image")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    before_image: str = ""  # an address, for the hero image
    after_image: str = ""

    @property
    def marked(self):
        return revisions.words(self.before, self.after)


@dataclass
class Changes:
    fields: list[FieldChange]
    rows: list[revisions.Row]
    # Whether there was an earlier content at all ("new": everything is shown as added).
    new: bool = False

    @property
    def text_changed(self) -> int:
        return sum(row.kind != "same" for row in self.rows)

    @property
    def count(self) -> int:
        return len(self.fields) + self.text_changed

    @property
    def names(self) -> list[str]:
        return [change.name for change in self.fields]


def between(before: Content | None, after: Content, *, compare_topics: bool = True) -> Changes:
    """The changes from ``before`` (None: there was none) to ``after``.

    ``compare_topics`` is False where one side comes from the history, which does not
    record an article's topics."""
    new = before is None
    before = before or Content()
    names = [n for n in changed_fields(before, after) if n not in TEXT_FIELDS]
    if not compare_topics:
        names = [n for n in names if n != "topics"]
    topic_names = _topic_names({*before.topics, *after.topics, before.main_topic, after.main_topic})
    fields = [_field(name, before, after, topic_names) for name in names]
    rows = revisions.side_by_side(
        revisions.blocks(before.title, before.body) if not new else [],
        revisions.blocks(after.title, after.body),
    )
    return Changes(fields, rows, new)


def _topic_names(ids) -> dict[int, str]:
    wanted = [pk for pk in ids if pk is not None]
    if not wanted:
        return {}
    return {topic.pk: topic.name for topic in Topic.objects.filter(pk__in=wanted)}


def _field(name: str, before: Content, after: Content, topic_names) -> FieldChange:
    label = str(LABELS[name])
    if name == "topics":
        return FieldChange(
            name,
            label,
            ", ".join(sorted(topic_names.get(pk, "?") for pk in before.topics)),
            ", ".join(sorted(topic_names.get(pk, "?") for pk in after.topics)),
        )
    if name == "main_topic":
        before_name = topic_names.get(before.main_topic, "")
        return FieldChange(name, label, before_name, topic_names.get(after.main_topic, ""))
    if name in IMAGE_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        return FieldChange(
            name, label, _file_name(old), _file_name(new), _address(old), _address(new)
        )
    return FieldChange(name, label, getattr(before, name), getattr(after, name))


def _file_name(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _address(name: str) -> str:
    return default_storage.url(name) if name else ""


def for_review(review, article) -> dict:
    """The reviewer's view of a round: what it was sent, against what was approved
    before (the latest approval before it was sent; for a change to a live article
    without one, what the site shows)."""
    from django.utils.translation import gettext as _

    from articles.models import Decision

    sent = review.sent_content or article.review_content()
    earlier = (
        type(review)
        .objects.across_brands()
        .filter(article_id=review.article_id, decision=Decision.APPROVED)
        .filter(decided_at__lt=review.requested_at)
        .exclude(pk=review.pk)
        .exclude(content={})
        .order_by("-decided_at", "-pk")
        .first()
    )
    before = earlier.sent_content if earlier is not None else None
    if before is None and article.is_live and sent != article.live_content():
        before = article.live_content()
    return {
        "changes": between(before, sent),
        "sent": sent,
        "before_label": _("Approved before"),
        "after_label": _("Sent for review"),
    }
