"""Does an edit of an article go live, wait for medical review, or get refused?

Decided from the article as it is saved and from what reviewers approved, never from
what the edit itself claims: an edit that drops the health topics (or comes from an old
row in the history) is judged as the health article the saved row is.

- An article is under medical review once it has had a health topic
  (``Article.health_governed``, which never turns back by itself) or has a topic that
  is one now.
- A live article under review keeps its health topics while it is live.
- Its new content (any patient-facing field: articles.content) goes live only with an
  approval of exactly that content; otherwise it waits aside, whole, as the proposed
  change, and the site keeps the approved version. A draft goes live only with such an
  approval.
- The "medically reviewed by" credits never come from the edit: they are the saved
  row's, or the approval's that puts the new content live.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import content as contents
from articles import richtext
from articles.content import Content
from articles.models import Article, Decision, MedicalReview, Status
from articles.review import credit, needs_approval
from articles.services import NOT_APPROVED
from portal import images
from portal.text import without_controls

CREDIT_FIELDS = ("reviewed_by", "reviewer_name", "last_reviewed")

KEEPS_HEALTH_TOPICS = _(
    "A live health article keeps its health topics (%(topics)s): take it off the site "
    "first to change what it is about."
)
# What a hero image chosen in this edit (not stored yet) is called in its content.
NEW_UPLOAD = "new upload:"


@dataclass
class Verdict:
    errors: dict[str, str] = field(default_factory=dict)
    # The content that waits for review while the site keeps the saved one.
    proposal: Content | None = None
    # The approval of the new content: its reviewer and date are credited.
    approval: MedicalReview | None = None


def saved_row(pk) -> Article | None:
    """The article as the database holds it now (not as a form or the history has it)."""
    if pk is None:
        return None
    return Article.objects.across_brands().filter(pk=pk).first()


def is_governed(saved: Article | None, topics) -> bool:
    """Is an article with these topics (and this saved row) under medical review?"""
    if needs_approval(topics):
        return True
    return saved is not None and (
        saved.health_governed or needs_approval(saved.topics.all()) or _approved(saved).exists()
    )


def _approved(saved: Article):
    return MedicalReview.objects.across_brands().filter(article=saved, decision=Decision.APPROVED)


def edited_content(data: dict) -> Content:
    """The content an edit asks for, from a form's cleaned data. A hero image chosen in
    this edit has no stored name yet, and matches no approval."""
    main = data.get("main_topic")

    def line(name: str) -> str:  # as the model's save leaves it
        return without_controls(data.get(name) or "")

    return Content(
        title=line("title"),
        summary=line("summary"),
        body=richtext.sanitize(data.get("body") or ""),
        hero_image=_file_name(data.get("hero_image")),
        hero_alt=line("hero_alt"),
        topics=tuple(topic.pk for topic in data.get("topics") or ()),
        main_topic=main.pk if main is not None else None,
        seo_title=line("seo_title"),
        seo_description=line("seo_description"),
        social_image=_file_name(data.get("social_image")),
        social_image_alt=line("social_image_alt"),
    )


def _file_name(value) -> str:
    """A form's file field as content: the stored name, or a mark for a new upload."""
    if not value:
        return ""
    name = getattr(value, "name", "") or ""
    return name if images.already_stored(value) else f"{NEW_UPLOAD}{name}"


def judge(saved: Article | None, *, content: Content, topics, publishing: bool) -> Verdict:
    """What becomes of an edit giving the article saved as ``saved`` (None for a new
    one) this ``content`` and ``topics``, with the status asked being published or not."""
    verdict = Verdict()
    topics = list(topics)
    if not publishing or not is_governed(saved, topics):
        return verdict  # off the site (or not a health article): its content needs no wait
    live = saved if saved is not None and saved.status == Status.PUBLISHED else None
    if live is not None:
        kept = {topic.pk for topic in topics}
        lost = [t.name for t in live.topics.all() if t.is_health_topic and t.pk not in kept]
        if lost:
            verdict.errors["topics"] = str(KEEPS_HEALTH_TOPICS) % {"topics": ", ".join(lost)}
            return verdict
    fingerprint = content.fingerprint()
    if saved is not None:
        verdict.approval = (
            _approved(saved).filter(fingerprint=fingerprint).order_by("-decided_at").first()
        )
    if verdict.approval is not None:
        return verdict
    if live is not None:
        if contents.changed_fields(live.live_content(), content):
            verdict.proposal = content  # the site keeps the approved version
        # Otherwise an unchanged health article reviewed before rounds were recorded:
        # its other fields (brands, schedule, author) save.
        return verdict
    verdict.errors["status"] = str(NOT_APPROVED)
    return verdict


def apply(article: Article, saved: Article | None, verdict: Verdict, topics) -> None:
    """Give ``article`` (about to be saved from an edit with ``topics``) what the
    verdict allows: the saved content and a proposal beside it, or the new content with
    its approval's credits. The credits are the saved row's otherwise, whatever the edit
    carried (a form, or an old row of the history)."""
    # A waiting change's topics are not the article's yet: they govern it once live.
    article.health_governed = is_governed(
        saved, saved.topics.all() if verdict.proposal is not None and saved else topics
    )
    if saved is not None:
        for name in CREDIT_FIELDS:
            setattr(article, name, getattr(saved, name))
    if verdict.proposal is not None:
        assert saved is not None  # only a live article has a proposal
        proposal = _stored(verdict.proposal, article, saved)
        same = saved.proposed_at and saved.proposed_content == proposal
        article.proposed_at = saved.proposed_at if same else timezone.now()
        article.proposed = proposal.to_json()
        contents.put_on(article, saved.live_content())
        return
    # The change is approved (it goes live now), back to the approved content, or the
    # article is off the site, where its content needs no waiting room.
    if article.hero_image and article.hero_image.name != (saved and saved.hero_image.name):
        waiting = saved.proposed_content if saved is not None else None
        if waiting is not None and waiting.hero_image == article.hero_image.name:
            article.hero_renditions = dict(waiting.hero_renditions)  # the approved image's
    article.proposed, article.proposed_at = {}, None
    if verdict.approval is not None and not _shows_already(saved, verdict.approval):
        credit(article, verdict.approval)


def _shows_already(saved: Article | None, approval: MedicalReview) -> bool:
    """Is the approved content what the saved article shows (credited when it was
    approved or put live)? Then an edit of its other fields keeps what was typed there,
    such as a later review date."""
    return saved is not None and approval.fingerprint == saved.live_content().fingerprint()


def _stored(proposal: Content, article: Article, saved: Article) -> Content:
    """The proposal with its hero image stored (a fresh upload is saved aside, without
    its metadata, with renditions for the previews), and its renditions known."""
    social = article.social_image
    if images.newly_uploaded(social):
        images.store_clean(social)  # names the stored file on ``social``
        proposal = proposal.with_changes(social_image=social.name)
    hero = article.hero_image
    if images.newly_uploaded(hero):
        renditions = images.prepare(hero, {})  # names the stored file on ``hero``
        return proposal.with_changes(hero_image=hero.name, hero_renditions=renditions)
    for known in (saved.proposed_content, saved.live_content()):
        if known is not None and known.hero_image == proposal.hero_image:
            return proposal.with_changes(hero_renditions=dict(known.hero_renditions))
    return proposal
