"""An article's version in another language: started from the original as a draft.

As in Wagtail's "Translate": the draft copies the original's text, topics, brands and
byline, so that the translator works beside the English and nothing is left unset; it
is an article of its own from then on, with its own address, medical review (a
translation can change a medical meaning) and publication.
"""

from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from articles.models import Article, Status
from portal.languages import MAIN


def languages_wanted(article: Article) -> list[str]:
    """The languages its brands offer that the article has no version in yet."""
    if article.language != MAIN:
        return []
    offered = {code for brand in article.brands.all() for code in brand.language_codes}
    have = set(article.translations.values_list("language", flat=True))
    return sorted(offered - have - {MAIN})


def version_in(article: Article, language: str) -> Article | None:
    original = article.translation_of or article
    if original.language == language:
        return original
    return original.translations.filter(language=language).first()


@transaction.atomic
def start_translation(original: Article, language: str, user) -> Article:
    """The draft of ``original`` in ``language`` (the one already started, if any)."""
    existing = version_in(original, language)
    if existing is not None:
        return existing
    draft = Article(
        language=language,
        translation_of=original,
        title=original.title,
        slug=_free_slug(f"{original.slug}-{language}"),
        summary=original.summary,
        body=original.body,
        hero_image=original.hero_image,
        hero_alt=original.hero_alt,
        hero_renditions=original.hero_renditions,
        main_topic=original.main_topic,
        canonical_brand=original.canonical_brand,
        author=user,
        written_by=original.written_by,
        status=Status.DRAFT,
    )
    draft.save()
    draft.brands.set(original.brands.all())
    draft.topics.set(original.topics.all())
    return draft


def _free_slug(wanted: str) -> str:
    slug = slugify(wanted)[:190] or "article"
    while Article.objects.across_brands().filter(slug=slug).exists():
        slug = f"{slugify(wanted)[:180]}-{get_random_string(6).lower()}"
    return slug
