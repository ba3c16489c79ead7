"""A real medical review: author -> named reviewer -> publish.

- The author sends the article to a reviewer: a clinician of the article's brands who
  has a staff login (they review in the back office), or an outside reviewer by name
  and e-mail address (they review through a signed link that works for two weeks).
- The reviewer approves, or asks for changes with a comment. An approval covers the
  exact title and text that were sent (a fingerprint, and the history record); the
  article's "medically reviewed by" and review date come from it, never from typing.
- A health article goes live only with an approval of its current title and text:
  a change to either after the approval needs a new round first (articles.services).
  On a live article such a change is kept aside as the proposed title and text, which
  the reviewer is sent; the site shows the approved version until staff put the
  approved change live.
- Reviewer and author get an e-mail at each step, once the step is committed. The
  e-mails name the article and the link; nothing about any patient is in them.
"""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import review_mail, services
from articles.models import (
    REVIEW_VALID_FOR,
    Article,
    Decision,
    MedicalReview,
    ReviewComment,
)
from clinic import links

SALT = "articles.medical-review"
LINK_LIFETIME = timedelta(days=14)


def needs_approval(topics) -> bool:
    return any(topic.is_health_topic for topic in topics)


def approval_for(article: Article, *, of_change: bool = False) -> MedicalReview | None:
    """The approval that covers the article's content as it is (or, with
    ``of_change``, the change that waits for review), if any."""
    content = article.review_content() if of_change else article.live_content()
    return approval_of(article, content)


def approval_of(article: Article, content) -> MedicalReview | None:
    """The latest approval of exactly ``content`` for this article, if any."""
    return (
        MedicalReview.objects.across_brands()
        .filter(article=article, decision=Decision.APPROVED, fingerprint=content.fingerprint())
        .order_by("-decided_at", "-pk")
        .first()
    )


def people_behind(article: Article, *, sender=None, until=None) -> set[int]:
    """The staff accounts behind the text a review would cover: the article's author,
    whoever sends it, and everyone who saved it since its last approval (up to
    ``until``, the moment it was sent). None of them may approve it."""
    people = {article.author_id, getattr(sender, "pk", sender)}
    approved = (
        MedicalReview.objects.across_brands()
        .filter(article=article, decision=Decision.APPROVED, decided_at__isnull=False)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
    )
    edits = article.history.all()
    if until is not None:
        approved = approved.filter(decided_at__lt=until)
        edits = edits.filter(history_date__lte=until)
    last_approval = approved.first()
    if last_approval is not None:
        edits = edits.filter(history_date__gt=last_approval)
    people.update(edits.values_list("history_user_id", flat=True))
    people.discard(None)
    return people


def reviewer_choices(article: Article, *, sender=None):
    """Clinicians of the article's brands who can review in the back office, but none
    who wrote or sends the text."""
    from care.models import Clinician

    return (
        Clinician.objects.across_brands()
        .filter(
            brands__in=article.brands.all(),
            account__isnull=False,
            account__is_active=True,
            account__is_staff=True,
        )
        .exclude(account_id__in=people_behind(article, sender=sender))
        .distinct()
        .order_by("name")
    )


def outside_reviewer_choices(article: Article, *, sender=None):
    """The active outside reviewers of the article's brands (a brand admin's list), but
    none whose address is that of someone who wrote or sends the text."""
    from django.contrib.auth import get_user_model

    from articles.models import OutsideReviewer

    addresses = [
        email.lower()
        for email in get_user_model()
        .objects.filter(pk__in=people_behind(article, sender=sender))
        .values_list("email", flat=True)
        if email
    ]
    return (
        OutsideReviewer.objects.across_brands()
        .filter(brand__in=article.brands.all(), is_active=True)
        .exclude(email__in=addresses)
        .distinct()
        .order_by("name")
    )


def record_earlier_approval(article: Article) -> MedicalReview | None:
    """Record as approved the text of an article reviewed before rounds were tracked
    (its typed reviewer and date), once."""
    if not (article.reviewer_name and article.last_reviewed):
        return None
    content = article.live_content()
    found, _ = MedicalReview.objects.across_brands().get_or_create(
        article=article,
        fingerprint=content.fingerprint(),
        decision=Decision.APPROVED,
        defaults={
            "reviewer_name": article.reviewer_name,
            "content": content.to_json(),
            "requested_at": timezone.now(),
            "decided_at": timezone.now(),
            "comment": "Recorded from the review date given before reviews were tracked.",
        },
    )
    return found


@transaction.atomic
def send(article: Article, *, user, clinician=None, outside=None):
    """Send the article, as saved, to a reviewer (a clinician with a staff login, or an
    outside reviewer from the clinic's list); return the new round."""
    current = Article.objects.across_brands().select_for_update().get(pk=article.pk)
    if clinician is not None:
        if not reviewer_choices(current, sender=user).filter(pk=clinician.pk).exists():
            raise ValidationError(
                _(
                    "Choose a clinician of this article's clinics who has a staff login and "
                    "did not write or send this text."
                )
            )
        name = clinician.name + (f", {clinician.credentials}" if clinician.credentials else "")
        email = clinician.account.email
    elif outside is not None:
        if not outside_reviewer_choices(current, sender=user).filter(pk=outside.pk).exists():
            raise ValidationError(
                _("Choose an outside reviewer from this article's clinics' list.")
            )
        name, email = outside.credited_name, outside.email
    else:
        raise ValidationError(_("Choose a clinician or an outside reviewer."))
    MedicalReview.objects.across_brands().filter(article=current, decision=Decision.PENDING).update(
        decision=Decision.WITHDRAWN, decided_at=timezone.now()
    )
    services.review_started(current)
    sent = current.review_content()
    latest = current.history.order_by("-history_id").values_list("history_id", flat=True).first()
    review = MedicalReview.objects.create(
        article=current,
        requested_by=user,
        clinician=clinician,
        outside_reviewer=outside,
        reviewer_name=name[:120],
        reviewer_email=email,
        fingerprint=sent.fingerprint(),
        content=sent.to_json(),
        revision_id=latest,
    )
    review_mail.tell_reviewer(review)
    return review


@transaction.atomic
def decide(review: MedicalReview, *, approve: bool, comment: str = "") -> MedicalReview:
    """Record the reviewer's decision on the text they were sent."""
    locked = MedicalReview.objects.across_brands().select_for_update().get(pk=review.pk)
    article = Article.objects.across_brands().select_for_update().get(pk=locked.article_id)
    if locked.decision != Decision.PENDING:
        raise ValidationError(_("This review has been decided or withdrawn already."))
    if not locked.covers(article):
        raise ValidationError(
            _("The article changed after it was sent to you: the author must send it again.")
        )
    if (
        approve
        and locked.clinician_id
        and locked.clinician.account_id
        in people_behind(article, sender=locked.requested_by_id, until=locked.requested_at)
    ):
        raise ValidationError(_("You wrote or sent this text: another reviewer must approve it."))
    comment = comment.strip()
    if not approve and not comment and not locked.comments.exists():
        raise ValidationError(
            {"comment": _("Say what should change, here or in a comment on the text.")}
        )
    locked.decision = Decision.APPROVED if approve else Decision.CHANGES
    locked.comment = comment[:4000]
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "comment", "decided_at"])
    if approve:
        # An approved change to a live article waits for staff to put it live; the
        # article's credits change then, with the text they credit.
        if not article.proposed_at:
            credit(article, locked)
            article.save(
                update_fields=[
                    "reviewed_by",
                    "reviewer_name",
                    "last_reviewed",
                    "review_due",
                    "updated",
                ]
            )
    else:
        services.changes_requested(article)
    review_mail.tell_both(locked)
    return locked


def blocks_sent(review: MedicalReview) -> list[str]:
    """The blocks of the text a round was sent (0: the title), as a reviewer comments on
    them."""
    from articles import revisions

    sent = review.sent_content or review.article.review_content()
    return revisions.blocks(sent.title, sent.body)


COMMENT_LIMIT = 2000


@transaction.atomic
def comment(review: MedicalReview, *, block: int, text: str) -> ReviewComment:
    """The reviewer's comment on one block of the text they were sent, while they have
    not decided. Raises ``ValidationError`` with what is wrong."""
    locked = MedicalReview.objects.across_brands().select_for_update().get(pk=review.pk)
    if locked.decision != Decision.PENDING:
        raise ValidationError(_("This review has been decided or withdrawn already."))
    blocks = blocks_sent(locked)
    if not 0 <= block < len(blocks):
        raise ValidationError({"block": _("Choose a part of the text.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if len(text) > COMMENT_LIMIT:
        raise ValidationError(
            {"text": _("Keep a comment under %(n)d characters.") % {"n": COMMENT_LIMIT}}
        )
    return ReviewComment.objects.create(
        article_id=locked.article_id,
        review=locked,
        block=block,
        quote=_shortened(blocks[block], 300),
        text=text,
        author_name=locked.reviewer_name,
    )


def resolve_comment(found: ReviewComment, *, user) -> None:
    """Mark a comment resolved by ``user`` (it stays in the history)."""
    if found.resolved_at is None:
        found.resolved_at, found.resolved_by = timezone.now(), user
        found.save(update_fields=["resolved_at", "resolved_by"])


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def credit(article: Article, approval: MedicalReview) -> None:
    """Name the approval's reviewer and date on the article (not saved here)."""
    article.reviewed_by = approval.clinician
    article.reviewer_name = approval.reviewer_name
    article.last_reviewed = timezone.localdate(approval.decided_at or timezone.now())
    article.review_due = article.last_reviewed + REVIEW_VALID_FOR


# Links ----------------------------------------------------------------------------


def token_for(review: MedicalReview) -> str:
    return signing.dumps({"review": review.pk}, salt=SALT)


def review_for(token: str) -> MedicalReview | None:
    """The round an outside reviewer's link names (any state), or None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_LIFETIME)
    except signing.BadSignature:
        return None
    pk = data.get("review") if isinstance(data, dict) else None
    if type(pk) is not int or not 0 < pk < 2**63:
        return None
    return (
        MedicalReview.objects.across_brands()
        .select_related("article", "article__canonical_brand")
        .filter(pk=pk, clinician__isnull=True)
        .first()
    )


def link_for(review: MedicalReview) -> str:
    """Where the reviewer decides: the back office for staff, a signed link otherwise."""
    if review.clinician_id:
        path = reverse("admin:articles_article_review", args=[review.article_id, review.pk])
        return links.in_back_office(path)
    brand = review.article.canonical_brand
    return links.on_site(brand, reverse("articles:medical_review", args=[token_for(review)]))
