from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from articles import preview
from articles.models import Article, PreviewLink, Status, Topic, review_problems
from clinic.admin_scoping import BrandScopedAdmin, BrandScopedTabularInline
from clinic.domains import absolute_url


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics are shared by every brand, so only superusers change them."""

    list_display = ["name", "slug", "is_health_topic"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "hero_image",
            "hero_alt",
            "topics",
            "main_topic",
            "brands",
            "canonical_brand",
            "author",
            "reviewer_name",
            "last_reviewed",
            "review_due",
            "status",
            "publish_at",
            "seo_title",
            "seo_description",
        ]

    def clean(self):
        data = super().clean()
        brands, canonical = data.get("brands"), data.get("canonical_brand")
        if brands is not None and canonical is not None and canonical not in brands:
            self.add_error(
                "canonical_brand",
                _("The canonical brand must be one of the brands the article is published on."),
            )
        main = data.get("main_topic")
        if main is not None and main not in (data.get("topics") or []):
            self.add_error("main_topic", _("The main topic must be one of the article's topics."))
        if data.get("status") == Status.PUBLISHED:
            problems = review_problems(
                data.get("topics") or [], data.get("reviewer_name"), data.get("last_reviewed")
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return data


class ReviewFilter(admin.SimpleListFilter):
    title = gettext_lazy("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("Overdue")),
            ("soon", gettext_lazy("Due within 30 days")),
            ("never", gettext_lazy("Never reviewed")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "soon":
            return queryset.filter(review_due__gte=today, review_due__lte=today + timedelta(30))
        if self.value() == "never":
            return queryset.filter(last_reviewed__isnull=True)
        return queryset


class PreviewLinkInline(BrandScopedTabularInline):
    """Reviewer links of the article: deleting one revokes it at once."""

    model = PreviewLink
    extra = 0
    fields = ["brand", "created_by", "created", "expires_at"]
    readonly_fields = ["brand", "created_by", "created", "expires_at"]
    verbose_name_plural = gettext_lazy("reviewer preview links (delete to revoke)")

    def has_add_permission(self, request, obj=None):
        return False  # made with the "Create reviewer link" button


@admin.register(Article)
class ArticleAdmin(BrandScopedAdmin, SimpleHistoryAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title",
        "status",
        "publish_at",
        "review_due_display",
        "canonical_brand",
        "author",
    ]
    list_filter = ["status", ReviewFilter, "topics", "brands", "author"]
    list_select_related = ["canonical_brand", "author"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish", "unpublish", "send_to_review"]
    inlines = [PreviewLinkInline]
    history_list_display = ["status"]
    view_on_site = False  # the change form links each brand's copy instead
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (gettext_lazy("Hero image"), {"fields": ["hero_image", "hero_alt"]}),
        (
            gettext_lazy("Where and about what"),
            {"fields": ["topics", "main_topic", "brands", "canonical_brand"]},
        ),
        (
            gettext_lazy("People and medical review"),
            {"fields": ["author", "reviewer_name", "last_reviewed", "review_due"]},
        ),
        (gettext_lazy("Publication"), {"fields": ["status", "publish_at"]}),
        (
            gettext_lazy("Search engines"),
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        js = ["js/admin-editor-label.js"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A few topics and brands: plain labelled checkboxes beat the two-box widget.
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("review due"), ordering="review_due")
    def review_due_display(self, obj):
        if obj.review_due is None:
            return "—"
        if obj.review_overdue:
            return format_html(
                '<strong class="errornote">{} ({})</strong>', obj.review_due, _("overdue")
            )
        return obj.review_due

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        brands = initial.get("brands")
        if brands and len(brands) == 1:
            initial.setdefault("canonical_brand", brands[0])
        return initial

    # Actions -------------------------------------------------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.action(description=gettext_lazy("Publish selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        published, refused = 0, []
        now = timezone.now()
        for article in queryset.prefetch_related("topics"):
            if article.review_problems(article.topics.all()):
                refused.append(article.title)
                continue
            article.status = Status.PUBLISHED
            article.publish_at = article.publish_at or now
            article.save()
            published += 1
        if published:
            self.message_user(request, _("%(n)d article(s) published.") % {"n": published})
        if refused:
            self.message_user(
                request,
                _("Not published (a named medical reviewer and a review date are needed): %(t)s")
                % {"t": "; ".join(refused)},
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset:
            article.status = Status.DRAFT
            article.save()
            count += 1
        self.message_user(request, _("%(n)d article(s) unpublished.") % {"n": count})

    @admin.action(
        description=gettext_lazy("Send selected articles to review"), permissions=["change"]
    )
    def send_to_review(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Status.PUBLISHED):
            article.status = Status.IN_REVIEW
            article.save()
            count += 1
        self.message_user(request, _("%(n)d article(s) sent to review.") % {"n": count})

    # History: another brand's article is a 404 there too --------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Preview links --------------------------------------------------------------

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/preview-link/",
                self.admin_site.admin_view(require_POST(self.create_preview_link)),
                name="articles_article_preview_link",
            )
        ]
        return extra + super().get_urls()

    def create_preview_link(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        brand_ids = self.brand_ids(request, "change")
        brands = (
            article.brands.all() if brand_ids is None else article.brands.filter(pk__in=brand_ids)
        )
        brand = brands.filter(pk=getattr(request.brand, "pk", None)).first() or brands.first()
        link, token = preview.create_link(article, brand, request.user)
        url = absolute_url(brand, reverse("articles:review", args=[token]), request)
        self.message_user(
            request,
            format_html(
                _('Reviewer link (valid until {}): <a href="{}">{}</a>'),
                timezone.localtime(link.expires_at).strftime("%Y-%m-%d"),
                url,
                url,
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            visible = self.brand_ids(request, "view")
            context["brand_links"] = [
                (
                    brand.name,
                    absolute_url(
                        brand,
                        obj.get_absolute_url()
                        if obj.is_live
                        else reverse("articles:preview", args=[obj.pk]),
                        request,
                    ),
                )
                for brand in obj.brands.prefetch_related("domains")
                if visible is None or brand.pk in visible
            ]
            context["is_live"] = obj.is_live
        return super().render_change_form(request, context, add, change, form_url, obj)
