"""Public article pages of a brand, and draft previews."""

import copy
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from appointments.privacy import client_hash
from articles import body_images, changes, listing, paging, toc
from articles import search as searching
from articles.content import put_on
from articles.models import (
    Article,
    SlugRedirect,
    Topic,
    body_pictures,
    topics_with_live_articles,
    with_translations,
)
from articles.preview import resolve
from articles.structured_data import medical_web_page
from care.credits import article_credits
from clinic import links
from clinic.access import brand_ids_with
from clinic.structured_data import breadcrumb_list
from portal import languages
from portal.pagecache import cached_content
from portal.translated import column_names

PER_PAGE = 10
# What a link to an article needs: its address is in its own language.
LISTED = ("title", "slug", "language")
RECENT_COUNT = 5
RELATED_COUNT = 3


def _live(brand):
    """The brand's live articles in the page's language."""
    return Article.objects.readable(brand)


def _with_list_columns(articles):
    """Articles with just what a list shows."""
    return articles.only(
        *LISTED, "summary", "publish_at", "hero_image", "hero_renditions", "hero_alt"
    ).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only(*column_names(Topic, "name"), "slug"))
    )


@require_safe
def article_list(request, topic_slug=None):
    topic = None
    if topic_slug is not None:
        topic = get_object_or_404(Topic, slug=topic_slug)
    language = translation.get_language()
    # The page's slice is taken of the brand's listing (an index range), then read.
    articles = listing.Listed(
        listing.live(request.brand, language=language, topic=topic),
        _with_list_columns(Article.objects.all()),
    )
    raw_page = request.GET.get("page")

    def build():
        return {
            "page": paging.get_page(articles, raw_page, PER_PAGE),
            "topics": list(topics_with_live_articles(request.brand, language)),
        }

    found = cached_content(request, f"list:{topic_slug}:{paging.page_number(raw_page)}", build)
    return render(request, "articles/list.html", {**found, "topic": topic})


@require_safe
def article_search(request):
    raw = request.GET.get("q", "")
    query = searching.normalise_query(raw)
    results = None
    status = 200
    if query and not searching.allowed(client_hash(request)):
        status = 429
    elif query:
        listed = listing.live(request.brand, language=translation.get_language())
        found = searching.search(_with_list_columns(Article.objects.all()), query, listed)
        results = searching.page_of(found, request.GET.get("page"), PER_PAGE)
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "results": results,
            "too_many": status == 429,
            "capped": results is not None and searching.is_capped(results),
            "was_shortened": len(" ".join(raw.split())) > len(query),
        },
        status=status,
    )


def _article_context(request, article, *, preview_banner=None, topics=None) -> dict:
    brand = request.brand
    body, headings = toc.with_anchors(article.body)
    if "<img" in body:  # images in the text: their renditions, in one query
        body = body_images.responsive(body, body_pictures(body))
    topics = article.topics_main_first(article.topics.all() if topics is None else topics)
    # Sidebar lists show titles only: no topics, no images.
    recent, related = _sidebar(brand, article, topics)
    page_url = links.here(request, article.get_absolute_url())
    canonical = links.on_site(article.canonical_brand, article.get_absolute_url(), request)
    credits = article_credits(article, brand)
    consult_query = {"article": article.slug}
    if topics:
        consult_query = {"topic": topics[0].slug, **consult_query}
    context = {
        "article": article,
        **credits,
        "body": body,
        "headings": headings,
        "reading_minutes": toc.reading_minutes(article.body),
        "topics": topics,
        "recent": recent,
        "related": related,
        "page_url": page_url,
        "canonical_url": canonical,
        "share": _share_links(article, page_url),
        "consult_url": reverse("appointments:form") + "?" + urlencode(consult_query),
        "preview_banner": preview_banner,
        "indexable": preview_banner is None,
        "structured_data": medical_web_page(article, topics, canonical, request, credits),
        "breadcrumbs": breadcrumb_list(request, _breadcrumbs(article, topics)),
    }
    return context


def _sidebar(brand, article, topics) -> tuple[list, list]:
    """The newest articles, and the newest on the article's topics: titles only."""
    recent_ids, related_ids = listing.sidebar(
        brand,
        article,
        topics,
        language=translation.get_language(),
        recent=RECENT_COUNT,
        related=RELATED_COUNT,
    )
    titles = Article.objects.only(*LISTED).in_bulk([*recent_ids, *related_ids])
    return (
        [titles[pk] for pk in recent_ids if pk in titles],
        [titles[pk] for pk in related_ids if pk in titles],
    )


def _breadcrumbs(article, topics) -> list[tuple[str, str]]:
    """Home, Articles, the main topic (as the page's breadcrumb shows), the article."""
    crumbs = [(_("Home"), reverse("clinic:home")), (_("Articles"), reverse("articles:list"))]
    if topics:
        crumbs.append((topics[0].name, topics[0].get_absolute_url()))
    return [*crumbs, (article.title, article.get_absolute_url())]


# The parts of an article page that depend only on the article (and the brand, host and
# language), rendered once and kept with the article's data in the content cache.
ARTICLE_PARTS = ("head_top", "head_end", "main", "related", "recent")


def _article_parts(request, article, *, preview_banner=None, topics=None) -> dict:
    context = _article_context(request, article, preview_banner=preview_banner, topics=topics)
    return {
        "parts": {
            name: render_to_string(f"articles/fragments/{name}.html", context, request)
            for name in ARTICLE_PARTS
        },
        "consult_url": context["consult_url"],
        "preview_banner": preview_banner,
        "status_display": article.get_status_display(),
    }


def _article_page(request, article, *, preview_banner=None, content=None):
    """A preview page: the article, or (``content``) the article as that content would
    show it (a change waiting for review, or what a reviewer was sent)."""
    topics = None
    if content is not None:
        article = copy.copy(article)
        put_on(article, content)
        topics = list(Topic.objects.filter(pk__in=content.topics))
    parts = _article_parts(request, article, preview_banner=preview_banner, topics=topics)
    return _render_article(request, parts)


def _render_article(request, context):
    """The page around the article's parts: what depends on the moment ("open now")."""
    response = render(request, "articles/detail.html", context)
    if context["preview_banner"]:
        # Drafts are for the eyes of reviewers only: never cached, never indexed.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _share_links(article, url):
    title = article.title
    return [
        ("email", _("E-mail"), "mailto:?" + urlencode({"subject": title, "body": url})),
        (
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ("x", "X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        (
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
    ]


def _detail_queryset(queryset):
    # The canonical brand's domains are read only when it is another brand (rare).
    return queryset.select_related(
        "canonical_brand", "author", "written_by", "reviewed_by"
    ).prefetch_related("topics")


@require_safe
def article_detail(request, slug):
    def build():
        article = _detail_queryset(_live(request.brand)).filter(slug=slug).first()
        if article is not None:
            request.page_versions = versions = _versions(request.brand, article)
            return {"context": _article_parts(request, article), "versions": versions}
        moved = (
            SlugRedirect.objects.for_brand(request.brand)
            .filter(old_slug=slug, article__in=_live(request.brand))
            .select_related("article")
            .first()
        )
        if moved:
            return {"moved_to": moved.article.get_absolute_url()}
        return {"elsewhere": _in_another_language(request.brand, slug)}

    found = cached_content(request, f"article:{slug}", build)
    if "context" in found:
        request.page_versions = found["versions"]  # the language switcher's links
        return _render_article(request, found["context"])
    if found.get("moved_to"):
        return HttpResponsePermanentRedirect(found["moved_to"])
    if found.get("elsewhere"):
        # Not (yet) written in this page's language: the reader is sent to the version
        # that exists, whose page is in that language throughout. Not permanent: a
        # translation may be published tomorrow.
        return HttpResponseRedirect(found["elsewhere"])
    raise Http404(_("No such article."))


def _versions(brand, article) -> languages.Versions:
    """The article's live versions on this brand, by language (for hreflang and the
    switcher); a language without one leads to that language's list of articles."""
    elsewhere = reverse("articles:list")
    if len(brand.language_codes) < 2:  # a one-language site: nothing to look up
        return languages.Versions({article.language: article.get_absolute_url()}, elsewhere)
    family = (
        Article.objects.live()
        .for_brand(brand)
        .filter(with_translations([article.translation_of_id or article.pk]))
    )
    paths = {
        version.language: version.get_absolute_url()
        for version in family.only("slug", "language", "translation_of")
        if version.language in brand.language_codes
    }
    return languages.Versions(paths, elsewhere)


def _in_another_language(brand, slug) -> str | None:
    """An article of this address in another language: the page's language version of
    it where one is live, else that article itself (None: there is no such article)."""
    other = Article.objects.live().for_brand(brand).filter(slug=slug).first()
    if other is None or other.language not in brand.language_codes:
        return None
    versions = _versions(brand, other)
    return versions.paths.get(translation.get_language(), other.get_absolute_url())


@staff_member_required
@require_safe
def staff_preview(request, pk):
    """Show any article of this brand, draft or scheduled, to its staff (past their
    second factor where their role needs one, as the back office itself)."""
    from staff import two_factor

    if two_factor.is_required(request.user) and not two_factor.is_verified(request):
        return two_factor.ask_for_it(request, request.user)
    brands = brand_ids_with(request.user, "articles.view_article")
    allowed = brands is None or request.brand.pk in brands
    article = _detail_queryset(Article.objects.for_brand(request.brand)).filter(pk=pk).first()
    if not allowed or article is None:
        raise Http404(_("No such article."))
    waiting = article.proposed_content
    if waiting is not None:
        banner = _("Staff preview of the change waiting for medical review")
        return _article_page(request, article, preview_banner=banner, content=waiting)
    return _article_page(request, article, preview_banner=_("Staff preview"))


@require_safe
def reviewer_preview(request, token):
    """Show a draft to an outside medical reviewer through a signed link."""
    link = resolve(token, request.brand)
    if link is None:
        response = render(request, "articles/preview_gone.html", status=410)
        add_never_cache_headers(response)
        return response
    article = _detail_queryset(Article.objects.for_brand(request.brand)).get(pk=link.article_id)
    banner = _("Preview for medical review")
    return _article_page(request, article, preview_banner=banner, content=article.review_content())


@never_cache
@require_safe
def outside_review_preview(request, token):
    """What an outside medical reviewer was sent, as the page would show it."""
    from articles import review

    found = review.review_for(token)
    if found is None or found.article.canonical_brand_id != request.brand.pk:
        response = render(request, "articles/preview_gone.html", status=410)
        add_never_cache_headers(response)
        return response
    article = _detail_queryset(Article.objects.across_brands()).get(pk=found.article_id)
    content = found.sent_content or article.review_content()
    banner = _("Preview of the text sent for your medical review")
    return _article_page(request, article, preview_banner=banner, content=content)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /consultation/thanks/",
        "Disallow: /articles/preview/",
        "Disallow: /articles/review/",
        "Disallow: /articles/medical-review/",
        f"Sitemap: {links.here(request, '/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def outside_review(request, token):
    """An outside medical reviewer's page: the text as sent, and the decision."""
    from articles import review, review_forms

    found = review.review_for(token)
    if found is None or found.article.canonical_brand_id != request.brand.pk:
        response = render(request, "articles/preview_gone.html", status=410)
        add_never_cache_headers(response)
        return response
    form, comment_form, done = review_forms.handle(request, found)
    if done == "commented":
        return HttpResponseRedirect(request.path + "#review-comments")
    if done:
        found.refresh_from_db()
    # As it is now (the decision may have changed it), from this brand's articles.
    article = Article.objects.across_brands().get(
        pk=found.article_id, canonical_brand=request.brand
    )
    return render(
        request,
        "articles/medical_review.html",
        {
            **changes.for_review(found, article),
            "review": found,
            "article": article,
            "current": found.covers(article),
            "form": form,
            "comment_form": comment_form,
            "comments": list(found.comments.all()),
            "done": done == "decided",
            "preview_url": reverse("articles:medical_review_preview", args=[token]),
        },
    )
