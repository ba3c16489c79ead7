"""The e-mails of a medical review: to the reviewer when a text is sent and when their
decision is recorded, to the author (and whoever sent it) on both occasions.

They are rows of the one outbox, written in the transaction that sends or decides the
review, and composed when they are sent: the article's title and links, never a
patient's detail.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article, Decision, MedicalReview
from clinic import links
from outbox import kinds, sending

REQUESTED = "review_requested"  # to the reviewer: a text waits for you
SENT = "review_sent"  # to the author: your text was sent
DECIDED = "review_decided"  # to the author: the reviewer decided
RECORDED = "review_recorded"  # to the reviewer: your decision is recorded
KINDS = (REQUESTED, SENT, DECIDED, RECORDED)


def tell_reviewer(review: MedicalReview) -> None:
    sending.write(review, REQUESTED, SENT, brand_id=_brand_id(review))


def tell_both(review: MedicalReview) -> None:
    sending.write(review, DECIDED, RECORDED, brand_id=_brand_id(review))


def _brand_id(review: MedicalReview) -> int | None:
    return (
        Article.objects.across_brands()
        .filter(pk=review.article_id)
        .values_list("canonical_brand", flat=True)
        .first()
    )


def _article_admin_url(article: Article) -> str:
    return links.in_back_office(reverse("admin:articles_article_change", args=[article.pk]))


def _author_addresses(review: MedicalReview, article: Article) -> list[str]:
    people = [article.author, review.requested_by]
    return sorted({p.email for p in people if p is not None and p.email})


def compose(row) -> EmailMessage | None:
    """One review e-mail, as it is sent (None: nobody to send it to)."""
    from articles import review as reviews

    review = (
        MedicalReview.objects.across_brands()
        .select_related("article__author", "article__canonical_brand", "requested_by")
        .filter(pk=row.about_id)
        .first()
    )
    if review is None:
        raise kinds.NotSent("withdrawn")
    if row.kind == REQUESTED and review.decision != Decision.PENDING:
        raise kinds.NotSent("decided already")
    article = review.article
    context = {
        "review": review,
        "article": article,
        "link": reviews.link_for(review),
        "admin_link": _article_admin_url(article),
    }
    if row.kind in (REQUESTED, RECORDED):
        to = [review.reviewer_email] if review.reviewer_email else []
    else:
        to = _author_addresses(review, article)
    if not to:
        return None
    return EmailMessage(
        render_to_string(f"articles/emails/{row.kind}_subject.txt", context).strip(),
        render_to_string(f"articles/emails/{row.kind}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        to,
        headers=sending.headers(row),
    )
