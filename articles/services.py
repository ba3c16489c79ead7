"""What may happen to an article's publication: one function per step, for every caller.

The admin (its change form and its list actions) only calls these; the rules live
here: who may publish, that a health article needs a named medical reviewer and a
review date, that a published article is not "sent to review". Each step locks the
article's row for its transaction, so two members of staff acting at once see each
other's result.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Status, review_problems

PUBLISH_PERMISSION = "articles.publish_article"


def may_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def permission_problems(
    *, may_publish: bool, was_published: bool, publishing: bool, moves_publication: bool
) -> dict[str, str]:
    """What a person who may not publish is refused ({field: message}): publishing,
    unpublishing, or moving when a live article goes live. The services refuse the same
    (``PermissionDenied``); a form shows it on its fields first."""
    if may_publish:
        return {}
    if publishing != was_published:
        return {"status": _("Only staff who may publish can publish or unpublish an article.")}
    if publishing and moves_publication:
        return {"publish_at": _("Only staff who may publish can change when it goes live.")}
    return {}


NOT_APPROVED = _(
    "No medical reviewer has approved this title and text: send it to medical review "
    "(a change after an approval needs a new one)."
)


def publish_problems(article: Article) -> dict:
    """Return {field: message} for what stops ``article`` (as saved) going live."""
    from articles import edit_review, review

    topics = list(article.topics.all())
    reviewer = article.reviewed_by or article.reviewer_name
    problems = review_problems(topics, reviewer, article.last_reviewed)
    if edit_review.is_governed(article, topics) and review.approval_for(article) is None:
        problems["status"] = NOT_APPROVED
    return problems


def _locked(article: Article) -> Article:
    return Article.objects.across_brands().select_for_update().get(pk=article.pk)


# The article's one state machine: the moves its status may make. Every change of
# status is one of these, made by ``_move`` (the admin, its list actions and the
# medical review all come here).
MOVES = {
    Status.DRAFT: {Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED},
    Status.IN_REVIEW: {Status.IN_REVIEW, Status.DRAFT, Status.PUBLISHED},
    # A live article is unpublished before anything else; its edits wait for review
    # beside it (``Article.proposed``), it never goes "in review" itself.
    Status.PUBLISHED: {Status.PUBLISHED, Status.DRAFT},
}


def _move(current: Article, to: str, *extra_fields: str) -> Article:
    """Give a locked article the status ``to`` and save it (the one place that does).
    Raises ``ValidationError`` for a move the state machine does not have."""
    if to not in MOVES[Status(current.status)]:
        raise ValidationError(
            _("An article that is %(now)s cannot become %(to)s.")
            % {"now": current.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    current.status = to
    current.save(update_fields=["status", *extra_fields, "updated"])
    return current


def publish(article: Article, *, user, at: datetime | None = None) -> Article:
    """Publish now, or at ``at`` (a scheduled publication). Raises ``ValidationError``
    with what is missing, or ``PermissionDenied``; nothing changes then."""
    if not may_publish(user):
        raise PermissionDenied(_("You may not publish articles."))
    with transaction.atomic():
        current = _locked(article)
        problems = publish_problems(current)
        if problems:
            raise ValidationError(problems)
        current.publish_at = at or current.publish_at or timezone.now()
        _move(current, Status.PUBLISHED, "publish_at")
    return current


def unpublish(article: Article, *, user) -> Article:
    """Take the article off every brand's site at once (it becomes a draft)."""
    if not may_publish(user):
        raise PermissionDenied(_("You may not unpublish articles."))
    with transaction.atomic():
        return _move(_locked(article), Status.DRAFT)


def send_to_review(article: Article, *, user) -> Article:
    """Mark a draft as waiting for its medical review. A live article stays live."""
    with transaction.atomic():
        current = _locked(article)
        if current.status == Status.PUBLISHED:
            raise ValidationError(_("A published article is not sent to review."))
        return _move(current, Status.IN_REVIEW)


def review_started(locked: Article) -> None:
    """A draft sent to a medical reviewer is in review (a live article stays live: its
    change waits beside it). ``locked``: the caller holds its row."""
    if locked.status == Status.DRAFT:
        _move(locked, Status.IN_REVIEW)


def changes_requested(locked: Article) -> None:
    """The reviewer asked for changes: an article in review is a draft again."""
    if locked.status == Status.IN_REVIEW:
        _move(locked, Status.DRAFT)


def set_status(article: Article, status: str, *, user, at: datetime | None = None) -> Article:
    """Move the article to ``status`` through the step that leads there."""
    if status == Status.PUBLISHED:
        return publish(article, user=user, at=at)
    if status == Status.IN_REVIEW:
        return send_to_review(article, user=user)
    if article.status == Status.PUBLISHED:
        return unpublish(article, user=user)
    with transaction.atomic():
        return _move(_locked(article), Status.DRAFT)


def save_edit(article: Article, *, saved: Article | None, verdict, topics, user) -> Article:
    """Save an edit of an article (its content and settings, not its status) under the
    medical-review rule: ``verdict`` is ``edit_review.judge``'s answer for the edit, and
    decides whether the new content goes live or waits beside the approved one."""
    from articles import edit_review

    with transaction.atomic():
        if article.pk:
            _locked(article)  # two saves of one article follow each other
        edit_review.apply(article, saved, verdict, topics)
        if user is not None:
            article._history_user = user  # type: ignore[attr-defined]  # the history's "by"
        article.save()
    return article


def discard_change(article: Article, *, user) -> bool:
    """Drop the change that waits for review; the approved version stays as it is.
    False when no change waited (someone discarded or put it live meanwhile)."""
    with transaction.atomic():
        current = _locked(article)
        if not current.proposed_at:
            return False
        current.proposed, current.proposed_at = {}, None
        current._history_user = user  # type: ignore[attr-defined]  # the history's "by"
        current.save(update_fields=["proposed", "proposed_at"])
    return True


def put_change_live(article: Article, *, user) -> Article:
    """Put the approved change that waits live (what saving it again does), crediting
    its reviewer. Raises ``ValidationError`` when no change waits or none is approved."""
    from articles import content as contents
    from articles import review

    with transaction.atomic():
        current = _locked(article)
        waiting = current.proposed_content
        if waiting is None:
            raise ValidationError(_("No change waits to go live."))
        approval = review.approval_of(current, waiting)
        if approval is None:
            raise ValidationError(_("No medical reviewer has approved this change yet."))
        contents.put_on(current, waiting)
        current.proposed, current.proposed_at = {}, None
        current.health_governed = True
        review.credit(current, approval)
        current._history_user = user  # type: ignore[attr-defined]  # the history's "by"
        current.save()
        current.topics.set(waiting.topics)
    return current
