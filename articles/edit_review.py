"""Does an edit of an article go live, wait for medical review, or get refused?

Decided from the article as it is saved and from what reviewers approved, never from
what the edit itself claims: an edit that drops the health topics (or comes from an old
row in the history) is judged as the health article the saved row is.

- An article is under medical review once it has had a health topic
  (``Article.health_governed``, which never turns back by itself) or has a topic that
  is one now.
- A live article under review keeps its health topics while it is live.
- Its new title or text go live only with an approval of exactly that title and text;
  otherwise they wait aside as the proposed change, and the site keeps the approved
  version. A draft goes live only with such an approval.
- The "medically reviewed by" credits never come from the edit: they are the saved
  row's, or the approval's that puts the new text live.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import richtext
from articles.models import Article, Decision, MedicalReview, Status, text_fingerprint
from articles.review import credit, needs_approval
from articles.services import NOT_APPROVED

CREDIT_FIELDS = ("reviewed_by", "reviewer_name", "last_reviewed")

KEEPS_HEALTH_TOPICS = _(
    "A live health article keeps its health topics (%(topics)s): take it off the site "
    "first to change what it is about."
)
BECOMES_HEALTH_ARTICLE = _(
    "A health topic makes this a health article: a medical reviewer must approve its "
    "title and text first. Send it to medical review, then add the topic."
)


@dataclass
class Verdict:
    errors: dict[str, str] = field(default_factory=dict)
    # The title and text that wait for review while the site keeps the saved ones.
    proposal: tuple[str, str] | None = None
    # The approval of the new title and text: its reviewer and date are credited.
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


def judge(saved: Article | None, *, title: str, body: str, topics, publishing: bool) -> Verdict:
    """What becomes of an edit giving ``title``, ``body`` and ``topics`` to the article
    saved as ``saved`` (None for a new one), with the status asked being published or
    not."""
    verdict = Verdict()
    topics = list(topics)
    if not publishing or not is_governed(saved, topics):
        return verdict  # off the site (or not a health article): its text needs no wait
    live = saved if saved is not None and saved.status == Status.PUBLISHED else None
    if live is not None:
        kept = {topic.pk for topic in topics}
        lost = [t.name for t in live.topics.all() if t.is_health_topic and t.pk not in kept]
        if lost:
            verdict.errors["topics"] = str(KEEPS_HEALTH_TOPICS) % {"topics": ", ".join(lost)}
            return verdict
    body = richtext.sanitize(body)
    fingerprint = text_fingerprint(title, body)
    if saved is not None:
        verdict.approval = (
            _approved(saved).filter(fingerprint=fingerprint).order_by("-decided_at").first()
        )
    if verdict.approval is not None:
        return verdict
    if live is not None:
        if fingerprint != text_fingerprint(live.title, live.body):
            verdict.proposal = (title, body)  # the site keeps the approved version
        elif not (live.health_governed or needs_approval(live.topics.all())):
            # Live as a non-health article; a health topic now would skip the review.
            verdict.errors["topics"] = str(BECOMES_HEALTH_ARTICLE)
        # Otherwise an unchanged text of a health article reviewed before rounds were
        # recorded: its other fields save.
        return verdict
    verdict.errors["status"] = str(NOT_APPROVED)
    return verdict


def apply(article: Article, saved: Article | None, verdict: Verdict, topics) -> None:
    """Give ``article`` (about to be saved from an edit with ``topics``) what the
    verdict allows: the saved text and a proposal beside it, or the new text with its
    approval's credits. The credits are the saved row's otherwise, whatever the edit
    carried (a form, or an old row of the history)."""
    article.health_governed = is_governed(saved, topics)
    if saved is not None:
        for name in CREDIT_FIELDS:
            setattr(article, name, getattr(saved, name))
    if verdict.proposal is not None:
        assert saved is not None  # only a live article has a proposal
        same = (saved.proposed_title, saved.proposed_body) == verdict.proposal
        article.proposed_at = saved.proposed_at if same and saved.proposed_at else timezone.now()
        article.proposed_title, article.proposed_body = verdict.proposal
        article.title, article.body = saved.title, saved.body
        return
    # The change is approved (it goes live now), back to the approved text, or the
    # article is off the site, where its text needs no waiting room.
    article.proposed_title, article.proposed_body, article.proposed_at = "", "", None
    if verdict.approval is not None:
        credit(article, verdict.approval)
