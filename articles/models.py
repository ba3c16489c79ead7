"""Explainer articles: topics, articles, old slugs and reviewer preview links."""

from collections.abc import Collection
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import unquote

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles import body_images, richtext
from clinic.models import Brand
from clinic.scoped import BrandScopedQuerySet
from portal import images, search_appearance
from portal.text import clean_fields
from portal.translated import MAIN, column_names, translated

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from articles.content import Content

REVIEW_VALID_FOR = timedelta(days=365)


class Topic(models.Model):
    """A subject shared by every brand (Sleep, PTSD, Depression ...)."""

    name = translated(models.CharField(_("name"), max_length=80, unique=True))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = translated(models.CharField(_("description"), max_length=300, blank=True))
    is_health_topic = models.BooleanField(
        _("health topic"),
        default=True,
        help_text=_("Articles on a health topic need a medical review before publishing."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_fields(self, ["name", "description"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:topic", args=[self.slug])


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(BrandScopedQuerySet):
    def live(self, now=None):
        """Published articles whose publication time has come."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        """Published articles whose publication time is still to come."""
        return self.filter(status=Status.PUBLISHED, publish_at__gt=now or timezone.now())

    def _narrowed_to(self, brand):
        # EXISTS rather than a join: the database can walk articles newest first and stop
        # after one page, however many articles the brand has.
        links = Article.brands.through.objects.filter(article=models.OuterRef("pk"), brand=brand)
        return self.filter(models.Exists(links))

    def about(self, topic):
        links = Article.topics.through.objects.filter(article=models.OuterRef("pk"), topic=topic)
        return self.filter(models.Exists(links))

    def in_language(self, language=None):
        """The articles written in ``language`` (the page's, by default)."""
        return self.filter(language=language or translation.get_language() or MAIN)

    def readable(self, brand, now=None):
        """What a reader of this brand's site sees, in the page's language: live there."""
        return self.live(now).for_brand(brand).in_language()

    def review_overdue(self, today=None):
        """Published articles whose medical review is past due: the one definition the
        article list's filter, its column and the dashboard share."""
        return self.filter(status=Status.PUBLISHED, review_due__lt=today or timezone.localdate())


def review_problems(topics, reviewer, last_reviewed) -> "dict[str, StrOrPromise]":
    """Return {field: message} for what a health article lacks before publishing."""
    if not any(topic.is_health_topic for topic in topics):
        return {}
    problems: dict[str, StrOrPromise] = {}
    # ``reviewer``: a chosen clinician, or an outside reviewer's typed name.
    if not str(reviewer or "").strip():
        problems["reviewer_name"] = _(
            "Name the medical reviewer before publishing a health article."
        )
    if not last_reviewed:
        problems["last_reviewed"] = _("Give the date of the medical review before publishing.")
    return problems


class Article(models.Model):
    brand_lookup = "brands"

    brands = models.ManyToManyField(
        Brand,
        related_name="articles",
        verbose_name=_("published on"),
        help_text=_("The brands whose sites show this article."),
    )
    canonical_brand = models.ForeignKey(
        Brand,
        on_delete=models.PROTECT,
        related_name="canonical_articles",
        verbose_name=_("canonical brand"),
        help_text=_("Search engines are pointed to this brand's copy."),
    )
    # Each language's version of an article is an article of its own (as in Wagtail):
    # its own address, medical review, schedule and history. A translation names the
    # article in the site's main language it translates; the two pages point at each
    # other for search engines (hreflang) and the language switcher.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=MAIN
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        limit_choices_to={"language": MAIN},
        verbose_name=_("translation of"),
        help_text=_("The article in English that this one translates."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("Another article already uses this slug. Choose another.")},
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences; shown in lists and to search engines."),
    )
    body = richtext.field(_("body"))
    # A change to what patients see of a live health article (any field of
    # articles.content) waits here, whole, for its medical approval; the site shows the
    # approved content until the change goes live.
    proposed = models.JSONField(_("proposed change"), default=dict, blank=True, editable=False)
    proposed_at = models.DateTimeField(_("change proposed"), null=True, blank=True)
    hero_image = models.ImageField(
        _("hero image"),
        upload_to="articles/hero/%Y/%m/",
        blank=True,
        validators=[images.validate_image],
        help_text=_("JPEG, PNG, WebP or GIF, up to 10 MB. Location data is removed."),
    )
    hero_alt = models.CharField(
        _("hero image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # PostgreSQL: the title, summary and text as a weighted search document, kept
    # current by a database trigger (every write, bulk ones too) and GIN-indexed
    # (migration 0010). SQLite keeps an FTS5 index beside the table instead.
    search_document = SearchVectorField(null=True, blank=True, editable=False)
    topics = models.ManyToManyField(Topic, related_name="articles", verbose_name=_("topics"))
    main_topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main topic"),
        help_text=_(
            "Names the breadcrumb and is pre-selected on the consultation form. "
            "Empty: the first topic alphabetically."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("author"),
    )
    written_by = models.ForeignKey(
        "care.Clinician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("byline"),
        help_text=_("The clinician named as the author; the byline links to the profile."),
    )
    reviewed_by = models.ForeignKey(
        "care.Clinician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medically reviewed by"),
        help_text=_("The clinician who reviewed it; or type an outside reviewer's name below."),
    )
    reviewer_name = models.CharField(
        _("medical reviewer"),
        max_length=120,
        blank=True,
        help_text=_("Name and credentials, e.g. “Dana Ruiz, MD, psychiatrist”."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    review_due = models.DateField(
        _("review due"),
        null=True,
        blank=True,
        help_text=_("Defaults to a year after the last review."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Set once the article has had a health topic; it stays under medical review even
    # if the topic is later taken away (articles.edit_review).
    health_governed = models.BooleanField(_("under medical review"), default=False, editable=False)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to publish at once; a future time schedules it."),
    )
    seo_title = models.CharField(
        _("title for search engines"),
        max_length=70,
        blank=True,
        help_text=search_appearance.SEO_TITLE_HELP,
    )
    seo_description = models.CharField(
        _("description for search engines"),
        max_length=160,
        blank=True,
        help_text=search_appearance.SEO_DESCRIPTION_HELP,
    )
    social_image = search_appearance.social_image_field()
    social_image_alt = search_appearance.social_image_alt_field()
    noindex = search_appearance.noindex_field()
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["hero_renditions", "search_document"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-created"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish and unpublish articles"))]
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            # A clinician's page: the newest articles they wrote or reviewed, a walk
            # that stops after a page however many they have.
            models.Index(fields=["written_by", "-publish_at"], name="article_newest_by_writer"),
            models.Index(fields=["reviewed_by", "-publish_at"], name="article_newest_by_reviewer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=models.Q(translation_of__isnull=False),
                name="one_translation_per_language",
                violation_error_message=_(
                    "That article already has a translation in this language."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        clean_fields(
            self,
            [
                "title",
                "summary",
                "hero_alt",
                "reviewer_name",
                "seo_title",
                "seo_description",
                "social_image_alt",
            ],
        )
        images.store_clean(self.social_image)
        self.body = richtext.sanitize(self.body)
        if self.proposed:
            self.proposed["body"] = richtext.sanitize(self.proposed.get("body", ""))
        if self.last_reviewed and not self.review_due:
            self.review_due = self.last_reviewed + REVIEW_VALID_FOR
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        self.hero_renditions = images.prepare(self.hero_image, self.hero_renditions)
        previous_slug = self._loaded_slug
        super().save(*args, **kwargs)
        if previous_slug and previous_slug != self.slug:
            # The article's own bookkeeping, whichever brand's page (or none) saves it.
            SlugRedirect.objects.across_brands().update_or_create(
                old_slug=previous_slug, defaults={"article": self}
            )
        SlugRedirect.objects.across_brands().filter(old_slug=self.slug).delete()
        self._loaded_slug = self.slug

    def get_absolute_url(self):
        # In the article's own language, whatever the page asking is in.
        with translation.override(self.language):
            return reverse("articles:detail", args=[self.slug])

    def public_author_name(self, brand=None) -> str:
        """Return the name the public sees as the author: never a login name.

        Staff accounts without a full name are shown as the brand (the one whose page
        this is), so usernames, which are half of a login, never appear publicly.
        """
        if self.author is not None:
            full_name = self.author.get_full_name().strip()
            if full_name:
                return full_name
        return (brand or self.canonical_brand).name

    # The slug as loaded from the database, to record a redirect when it changes.
    _loaded_slug: str | None = None

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_slug = instance.__dict__.get("slug")
        return instance

    def clean(self):
        super().clean()
        errors = {}
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = _("Describe the image for people who cannot see it.")
        if self.social_image and not self.social_image_alt.strip():
            errors["social_image_alt"] = _("Describe the image for people who cannot see it.")
        # An approval credits its date where it was given (a reviewer's today can be a
        # Portland editor's tomorrow): in the future only past every zone's today.
        latest_today = (timezone.now() + timedelta(hours=14)).date()
        if self.last_reviewed and self.last_reviewed > latest_today:
            errors["last_reviewed"] = _("The review date cannot be in the future.")
        if self.review_due and self.last_reviewed and self.review_due <= self.last_reviewed:
            errors["review_due"] = _("The review must fall due after the last review.")
        errors.update(self._translation_problems())
        if errors:
            raise ValidationError(errors)

    def _translation_problems(self) -> dict:
        original = self.translation_of
        if original is None:
            return {}
        if self.language == MAIN:
            return {"translation_of": _("An English article translates no other article.")}
        if original.language != MAIN or original.pk == self.pk:
            return {"translation_of": _("Choose an article written in English.")}
        return {}

    def family(self) -> list["Article"]:
        """This article and its translations (the original first)."""
        original = self.translation_of or self
        return [original, *original.translations.exclude(pk=original.pk)]

    def topics_main_first(self, topics) -> list[Topic]:
        """Return ``topics`` with the main topic first (the rest in their order)."""
        topics = list(topics)
        main = next((t for t in topics if t.pk == self.main_topic_id), None)
        return [main, *(t for t in topics if t is not main)] if main else topics

    def review_problems(self, topics) -> "dict[str, StrOrPromise]":
        """Return what stops publishing this article with these topics."""
        return review_problems(topics, self.reviewed_by or self.reviewer_name, self.last_reviewed)

    @property
    def is_live(self) -> bool:
        """Published, its time come (ArticleQuerySet.live, for one article)."""
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        """Published, its time still to come (ArticleQuerySet.scheduled, for one)."""
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def review_overdue(self) -> bool:
        """As ``ArticleQuerySet.review_overdue`` has it."""
        return bool(
            self.status == Status.PUBLISHED
            and self.review_due
            and self.review_due < timezone.localdate()
        )

    def live_content(self, topics=None) -> "Content":
        """What patients see of the article as saved (articles.content)."""
        from articles.content import Content

        return Content.of(self, topics)

    @property
    def proposed_content(self) -> "Content | None":
        """The change that waits for its medical review, if there is one."""
        from articles.content import Content

        return Content.from_json(self.proposed) if self.proposed_at else None

    def review_content(self) -> "Content":
        """What a reviewer is sent: the change that waits, or the content as it is."""
        return self.proposed_content or self.live_content()

    @cached_property
    def hero_picture(self) -> dict | None:
        return images.picture(self.hero_renditions, self.hero_image.storage)

    @property
    def page_title(self) -> str:
        return self.seo_title or self.title

    @property
    def meta_description(self) -> str:
        return self.seo_description or self.summary


# The many-to-many tables by the names Django gives their classes: a cached page's
# querysets are pickled, and a query that names one of them (the brand filter's
# EXISTS, the topic filter's) is unpickled by looking the class up in this module.
Article_brands = Article.brands.through
Article_topics = Article.topics.through


class SlugRedirect(models.Model):
    """An article's former slug, answered with a permanent redirect."""

    brand_lookup = "article__brands"
    old_slug = models.SlugField(_("old slug"), max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")

    def __str__(self):
        return self.old_slug


class PreviewLink(models.Model):
    """A signed, expiring, revocable link that shows a draft to an outside reviewer."""

    brand_lookup = "article__brands"
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("article")
    )
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created")), name="preview_expires_after"
            )
        ]

    def __str__(self):
        return f"{self.article} · {self.expires_at:%Y-%m-%d}"

    @property
    def is_usable(self) -> bool:
        # Revoking a link deletes its row; what remains is usable until it expires.
        return self.expires_at > timezone.now()


def in_page_language(articles, language=None) -> list:
    """Of live articles that may include both an original and its translations, each
    family once: in the page's language where that version is among them, else in the
    main language (which the page then marks as such)."""
    language = language or translation.get_language() or MAIN
    chosen: dict[int, Article] = {}
    order: list[int] = []
    for article in articles:
        family = article.translation_of_id or article.pk
        if family not in chosen:
            order.append(family)
            chosen[family] = article
        elif article.language == language or (
            chosen[family].language not in (language, MAIN) and article.language == MAIN
        ):
            chosen[family] = article
    return [chosen[family] for family in order]


def with_translations(ids):
    """A condition: these articles, or a translation of one of them."""
    return models.Q(pk__in=ids) | models.Q(translation_of__in=ids)


class ListingQuerySet(BrandScopedQuerySet):
    def live(self, now=None):
        """Rows of articles whose publication time has come (only published articles
        are listed: ArticleQuerySet.live, for the listing)."""
        return self.filter(publish_at__lte=now or timezone.now())


class Listing(models.Model):
    """Where a published article is listed: one row for the brand's list, one for each
    of its topics there (``topic``), with the article's language and publication time.

    Derived from the article, its brands and its topics, and written only by
    ``articles.listing`` (``refresh`` after each save and each change of brands or
    topics; ``rebuild`` after a bulk load). Brand first in every index: a brand's
    list, a topic's list, "related" and "which topics have articles" are each a range
    of one brand's rows, newest first, so their cost does not grow with the group's
    archive (50 brands: a query over the articles themselves walked 49 other brands'
    rows for each of its own).
    Liveness is ``publish_at <= now`` at query time: a scheduled article is listed
    already and appears when its time comes, with no job to run.
    """

    brand_lookup = "brand"
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="listings")
    language = models.CharField(max_length=8)
    publish_at = models.DateTimeField()
    # Offered to search engines by this brand's sitemap: the article's canonical address
    # is on this brand, and its editors did not hide it from search engines.
    indexed = models.BooleanField()

    objects = ListingQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["brand", "topic", "language", "-publish_at", "-article"],
                name="listing_newest_first",
            ),
            # The sitemap's files: the brand's indexed articles, oldest first.
            models.Index(
                fields=["brand", "publish_at", "article", "language"],
                condition=Q(topic__isnull=True, indexed=True),
                name="listing_for_search_engines",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "article"],
                condition=Q(topic__isnull=True),
                name="listed_once_per_brand",
            ),
            models.UniqueConstraint(
                fields=["brand", "topic", "article"],
                condition=Q(topic__isnull=False),
                name="listed_once_per_topic",
            ),
        ]

    def __str__(self):
        return f"{self.article_id} on {self.brand_id} ({self.topic_id or 'list'})"


def topics_with_live_articles(brand, language=None):
    """Topics with at least one live article here (in ``language``, if given).

    One EXISTS per topic: a probe of the brand's listing for that topic, however large
    the archive.
    """
    listed = Listing.objects.for_brand(brand).live().filter(topic=models.OuterRef("pk"))
    if language is not None:
        listed = listed.filter(language=language)
    return Topic.objects.filter(models.Exists(listed)).only(*column_names(Topic, "name"), "slug")


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for the reviewer")
    APPROVED = "approved", _("Approved")
    CHANGES = "changes", _("Changes asked for")
    WITHDRAWN = "withdrawn", _("Withdrawn (sent again)")


class OutsideReviewer(models.Model):
    """A medical reviewer from outside the clinic, on a list a brand admin keeps.

    Editors send articles only to reviewers on this list (or to the clinic's own
    clinicians), so nobody can name themselves a reviewer by typing an address.
    """

    brand_lookup = "brand"
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="outside_reviewers", verbose_name=_("clinic")
    )
    name = models.CharField(_("name"), max_length=80)
    credentials = models.CharField(
        _("credentials"),
        max_length=80,
        help_text=_("As the article credits them, e.g. “MD, psychiatrist”."),
    )
    email = models.EmailField(_("e-mail address"))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop sending them articles.")
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("outside medical reviewer")
        verbose_name_plural = _("outside medical reviewers")
        constraints = [
            models.UniqueConstraint(
                "brand",
                Lower("email"),
                name="outside_reviewer_email_once_per_brand",
                violation_error_message=_("This clinic has a reviewer with this address already."),
            )
        ]

    def __str__(self):
        return self.credited_name

    def save(self, *args, **kwargs):
        clean_fields(self, ["name", "credentials"])
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def credited_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class MedicalReview(models.Model):
    """One round of medical review: the text sent, to whom, and what they decided.

    The approval covers the exact title and text that were sent (``fingerprint``, and
    the history record ``revision_id``); a later change to either needs a new round
    before it can go live (articles.review).
    """

    brand_lookup = "article__brands"
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("article")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("sent"), default=timezone.now)
    # A clinician with a staff login reviews in the back office; anyone else through a
    # signed link sent to their address.
    clinician = models.ForeignKey(
        "care.Clinician", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outside_reviewer = models.ForeignKey(
        OutsideReviewer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer_name = models.CharField(_("reviewer"), max_length=120)
    reviewer_email = models.EmailField(_("reviewer's e-mail"), blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    # The content as sent (articles.content), to show the reviewer what changed since
    # the last approval and to keep in the history what each decision was about.
    content = models.JSONField(default=dict, blank=True, editable=False)
    revision_id = models.BigIntegerField(null=True, editable=False)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    # Its e-mails in the outbox (deleted with it).
    messages = GenericRelation(
        "outbox.Message", content_type_field="about_type", object_id_field="about_id"
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("medical review")
        verbose_name_plural = _("medical reviews")

    def __str__(self):
        return f"{self.reviewer_name}: {self.get_decision_display()}"

    def covers(self, article: Article) -> bool:
        """Does this round's content match the article's (or its waiting change)?"""
        return self.fingerprint == article.review_content().fingerprint()

    @property
    def sent_content(self) -> "Content | None":
        from articles.content import Content

        return Content.from_json(self.content) if self.content else None


class BodyImage(models.Model):
    """An image uploaded from the editor to sit inside an article's (or page's) text."""

    brand_lookup = "brand"
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="body_images", verbose_name=_("clinic")
    )
    image = models.ImageField(
        _("image"),
        upload_to=f"{body_images.UPLOAD_FOLDER}%Y/%m/",
        validators=[images.validate_image],
        help_text=_("JPEG, PNG, WebP or GIF, up to 10 MB. Location data is removed."),
    )
    alt_text = models.CharField(
        _("description"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    # The stored file the text points at (a rendition about a column wide), so a page
    # finds its images' renditions with one indexed query.
    shown_name = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("image in text")
        verbose_name_plural = _("images in text")

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        clean_fields(self, ["alt_text"])
        self.renditions = images.prepare(self.image, self.renditions)
        self.shown_name = images.column_rendition(self.renditions) or self.image.name or ""
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.alt_text.strip():
            raise ValidationError(
                {"alt_text": _("Describe the image for people who cannot see it.")}
            )

    @property
    def picture(self) -> dict | None:
        return images.picture(self.renditions, self.image.storage)

    @property
    def src(self) -> str:
        """The address the editor puts in the text."""
        return self.image.storage.url(self.shown_name or self.image.name)


def body_image_prefix() -> str:
    """This site's media address of the body-image folder (what an image in text must use)."""
    return default_storage.url(body_images.UPLOAD_FOLDER)


def _body_image_names(text: str) -> dict[str, str]:
    """{stored file name: address in the text} of the body images ``text`` shows."""
    root = default_storage.url("")
    return {
        unquote(src[len(root) :]): src for src in body_images.sources(text) if src.startswith(root)
    }


def body_images_of_other_brands(text: str, brands) -> list[str]:
    """The addresses of images in ``text`` that are not in the library of one of
    ``brands`` (another clinic's, or deleted): an article shows its own brands' images."""
    names = _body_image_names(text)
    if not names:
        return []
    found = set(
        BodyImage.objects.across_brands()
        .filter(shown_name__in=names, brand__in=brands)
        .values_list("shown_name", flat=True)
    )
    return [src for name, src in names.items() if name not in found]


def body_pictures(text: str) -> dict[str, dict]:
    """The renditions of the body images in ``text``, by the address the text uses."""
    names = _body_image_names(text)
    if not names:
        return {}
    # Across brands: an article shared with another clinic shows the images its
    # canonical clinic uploaded (the addresses come from that article's sanitised text).
    rows = (
        BodyImage.objects.across_brands()
        .filter(shown_name__in=names)
        .only("image", "renditions", "shown_name")
    )
    return {names[row.shown_name]: row.picture for row in rows if row.picture}


class ReviewComment(models.Model):
    """A medical reviewer's comment on one block of the text they were sent.

    Kept for good: resolving one records who resolved it and when, and the history of
    an article's reviews shows every comment of every round.
    """

    brand_lookup = "article__brands"
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_comments")
    review = models.ForeignKey(MedicalReview, on_delete=models.CASCADE, related_name="comments")
    # Which block of the text the round was sent (0: the title), and its words then:
    # the text may change, the comment still says what it was about.
    block = models.PositiveIntegerField(_("part of the text"))
    quote = models.CharField(_("quoted text"), max_length=300)
    text = models.TextField(_("comment"), max_length=2000)
    author_name = models.CharField(_("reviewer"), max_length=120)
    created = models.DateTimeField(_("written"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["block", "created", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        indexes = [models.Index(fields=["article", "resolved_at"])]

    def __str__(self):
        return f"{self.author_name}: {self.quote[:40]}"

    def save(self, *args, **kwargs):
        clean_fields(self, ["quote", "author_name"], ["text"])
        super().save(*args, **kwargs)


def next_publication(brand, now):
    """When the brand's next scheduled article goes live, if any (the page cache keeps
    pages until then: registered in ArticlesConfig.ready)."""
    return (
        Article.objects.for_brand(brand)
        .scheduled(now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
