from datetime import timedelta
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from articles import (
    body_images,
    edit_review,
    preview,
    review,
    review_forms,
    richtext,
    services,
)
from articles.models import (
    Article,
    MedicalReview,
    OutsideReviewer,
    PreviewLink,
    Status,
    Topic,
    body_image_prefix,
    body_images_of_other_brands,
)
from care.models import Clinician
from clinic import back_office, links
from clinic.admin_scoping import BrandScopedAdmin, BrandScopedTabularInline
from clinic.search_panel_admin import SEARCH_FIELDSET, SearchPanelAdminMixin
from portal import kept_uploads
from portal.form_fields import field_of
from portal.translated_admin import TranslatedFieldsMixin
from staff.autosave import AutosaveAdminMixin


@admin.register(Topic)
class TopicAdmin(TranslatedFieldsMixin, admin.ModelAdmin):
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
            "language",
            "translation_of",
            "author",
            "review_due",
            "status",
            "publish_at",
            "seo_title",
            "seo_description",
            "social_image",
            "social_image_alt",
            "noindex",
        ]

    # A chosen hero image outlives a refused form (portal.kept_uploads).
    kept_hero = forms.CharField(required=False, widget=forms.HiddenInput)
    uploader_id: int | None = None
    # Set by the admin from the signed-in person's roles.
    may_publish = True

    # What becomes of the edit under medical review (articles.edit_review, in clean).
    verdict: edit_review.Verdict
    saved: Article | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            # Unsent: the article keeps its language (a new one is in the main language).
            self.fields["language"].required = False
        waiting = self.instance.proposed_content if self.instance.pk else None
        if waiting is not None:
            # Staff go on editing the change that waits, not what the site shows.
            self.initial.update(_initial_of(waiting, self.instance))
        token = self.data.get("kept_hero") if self.is_bound else None
        if token and "hero_image" not in self.files and self.uploader_id is not None:
            upload = kept_uploads.bring_back(token, user_id=self.uploader_id, field="hero_image")
            if upload is not None:
                self.files = self.files.copy()
                self.files["hero_image"] = upload
                self._say_kept(upload.name or "")

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or settings.LANGUAGE_CODE

    def _say_kept(self, name: str) -> None:
        note = format_html(
            "{} <strong>{}</strong>",
            _("Kept from your last try, and saved with the article:"),
            name,
        )
        self.fields["hero_image"].help_text = note
        self["hero_image"].help_text = note  # the bound field copied it when it was made

    def full_clean(self):
        super().full_clean()
        upload = self.files.get("hero_image")
        if self.errors and upload is not None and "hero_image" not in self.errors:
            kept = bool(getattr(upload, "kept_name", None))
            if not kept and self.uploader_id is not None:
                token = kept_uploads.keep(upload, user_id=self.uploader_id, field="hero_image")
                data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
                data["kept_hero"] = token
                self.data = data
                kept = bool(token)  # "" when the storage refused it: choose it again
            if kept:
                self._say_kept(upload.name or "")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        brands, canonical = data.get("brands"), data.get("canonical_brand")
        if brands is not None and canonical is not None and canonical not in brands:
            self.add_error(
                "canonical_brand",
                _("The canonical brand must be one of the brands the article is published on."),
            )
        main = data.get("main_topic")
        if main is not None and main not in (data.get("topics") or []):
            self.add_error("main_topic", _("The main topic must be one of the article's topics."))
        publishing = data.get("status") == Status.PUBLISHED
        was_published = bool(self.instance.pk) and self.instance.status == Status.PUBLISHED
        refused = services.permission_problems(
            may_publish=self.may_publish,
            was_published=was_published,
            publishing=publishing,
            moves_publication="publish_at" in self.changed_data,
        )
        for name, message in refused.items():
            self.add_error(name, message)
        for problem in body_images.problems(data.get("body") or "", body_image_prefix()):
            self.add_error("body", problem)
        if brands and body_images_of_other_brands(data.get("body") or "", brands):
            self.add_error(
                "body",
                _(
                    "An image in the text is not in the image library of this article's "
                    "clinics (another clinic's, or deleted). Remove it, then insert it "
                    "again with “Browse…” in the image dialog."
                ),
            )
        # Judged against the row as saved, not the form's instance: the history's revert
        # form builds its instance from an old row.
        self.saved = edit_review.saved_row(self.instance.pk)
        self.verdict = edit_review.judge(
            self.saved,
            content=edit_review.edited_content(data),
            topics=data.get("topics") or [],
            publishing=publishing,
        )
        for name, message in self.verdict.errors.items():
            self.add_error(name if name in self.fields else None, message)
        return data

    @property
    def proposal(self):
        verdict = getattr(self, "verdict", None)
        return verdict.proposal if verdict is not None else None

    def save(self, commit=True):
        article = super().save(commit=False)  # the article's new values, not saved yet
        if commit:
            self.save_through_services(article, user=None)
            self._save_m2m()
        return article

    def save_through_services(self, article: Article, *, user) -> Article:
        """Save the edit the way every edit is saved: under the medical-review rule."""
        topics = self.cleaned_data.get("topics") or []
        return services.save_edit(
            article, saved=self.saved, verdict=self.verdict, topics=topics, user=user
        )

    def _save_m2m(self):
        if self.proposal is None:
            return super()._save_m2m()  # type: ignore[misc]  # ModelForm's own, not in the stubs
        # The topics wait with the rest of the change; the site keeps the saved ones.
        topics = self.cleaned_data.pop("topics", None)
        try:
            super()._save_m2m()  # type: ignore[misc]  # as above
        finally:
            self.cleaned_data["topics"] = topics


def _initial_of(content, article) -> dict:
    """A waiting change as the form's initial values (its hero image as a stored file)."""

    def stored(name: str, file_name: str):
        field = cast(models.FileField, Article._meta.get_field(name))
        return field.attr_class(article, field, file_name) if file_name else None

    return {
        "title": content.title,
        "summary": content.summary,
        "body": content.body,
        "hero_image": stored("hero_image", content.hero_image),
        "hero_alt": content.hero_alt,
        "topics": list(content.topics),
        "main_topic": content.main_topic,
        "seo_title": content.seo_title,
        "seo_description": content.seo_description,
        "social_image": stored("social_image", content.social_image),
        "social_image_alt": content.social_image_alt,
    }


@admin.register(OutsideReviewer)
class OutsideReviewerAdmin(BrandScopedAdmin):
    """The outside reviewers editors may send articles to; a brand admin keeps the list."""

    list_display = ["name", "credentials", "email", "brand", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "email"]
    fields = ["brand", "name", "credentials", "email", "is_active"]


class SendForReviewForm(forms.Form):
    clinician: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("A clinician of the clinic"),
        queryset=Clinician.objects.none(),
        required=False,
        help_text=gettext_lazy("They review in the back office, with their staff login."),
    )
    outside_reviewer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Or an outside reviewer"),
        queryset=OutsideReviewer.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "From the clinic's list of outside reviewers, which a brand admin keeps. They "
            "get a link that works for two weeks."
        ),
    )

    def __init__(self, *args, article, user, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "clinician", forms.ModelChoiceField).queryset = review.reviewer_choices(
            article, sender=user
        )
        field_of(
            self, "outside_reviewer", forms.ModelChoiceField
        ).queryset = review.outside_reviewer_choices(article, sender=user)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        clinician, outside = data.get("clinician"), data.get("outside_reviewer")
        if clinician and outside:
            raise forms.ValidationError(_("Choose a clinician or an outside reviewer, not both."))
        if not clinician and not outside and not self.errors:
            raise forms.ValidationError(_("Choose a clinician or an outside reviewer."))
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
class ArticleAdmin(SearchPanelAdminMixin, AutosaveAdminMixin, BrandScopedAdmin, SimpleHistoryAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title",
        "state",
        "publish_at",
        "review_due_display",
        "canonical_brand",
        "author",
    ]
    list_filter = ["status", ReviewFilter, "topics", "brands", "language", "author"]
    list_select_related = ["canonical_brand", "author"]
    search_fields = ["title", "summary", "slug"]
    # One of thousands (usually set by "Translate into …"): its id, with the lookup popup
    # and the chosen title beside it.
    raw_id_fields = ["translation_of"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish", "unpublish", "send_to_review"]
    inlines = [PreviewLinkInline]
    history_list_display = ["status"]
    view_on_site = False  # the change form links each brand's copy instead
    # Set by the reviewer's approval (articles.review), never typed.
    readonly_fields = ["reviewed_by", "reviewer_name", "last_reviewed"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (gettext_lazy("Hero image"), {"fields": ["hero_image", "kept_hero", "hero_alt"]}),
        (
            gettext_lazy("Where and about what"),
            {"fields": ["topics", "main_topic", "brands", "canonical_brand"]},
        ),
        (gettext_lazy("Language"), {"fields": ["language", "translation_of"]}),
        (
            gettext_lazy("People and medical review"),
            {
                "fields": [
                    "author",
                    "written_by",
                    "reviewed_by",
                    "reviewer_name",
                    "last_reviewed",
                    "review_due",
                ]
            },
        ),
        (gettext_lazy("Publication"), {"fields": ["status", "publish_at"]}),
        SEARCH_FIELDSET,
    ]

    # The SEO panel (clinic/search_panel_admin.py) --------------------------------------

    def search_brand(self, obj):
        return obj.canonical_brand

    def search_picture(self, obj) -> str:
        picture = obj.hero_picture
        return picture["src"] if picture else ""

    def search_others(self, obj):
        return Article.objects.for_brand(obj.canonical_brand).filter(language=obj.language)

    # Read-only articles (shared with a brand where the user may not edit) -------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Shown as the page shows it, not as raw HTML.
        return [
            (
                name,
                {
                    **options,
                    "fields": ["body_rendered" if f == "body" else f for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description=gettext_lazy("body"))
    def body_rendered(self, obj):
        from django.utils.safestring import mark_safe

        return mark_safe(f'<div class="article-rendered">{richtext.sanitize(obj.body)}</div>')

    def read_only_reason(self, request, obj) -> str:
        mine = self.brand_ids(request, "change")
        others = [b.name for b in obj.brands.all() if mine is not None and b.pk not in mine]
        if others:
            return _(
                "You can read this article but not change it: it is also published on "
                "%(brands)s, where you may not edit. A brand admin of every clinic it is "
                "published on, or a superuser, can change it."
            ) % {"brands": ", ".join(others)}
        return _("You can read this article but not change it.")

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def state(self, obj):
        """ "Scheduled for <date>" apart from "Published": the two look alike otherwise."""
        if obj.is_scheduled:
            when = date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
            return format_html(
                '<span class="state-scheduled">{}</span>',
                _("Scheduled for %(when)s") % {"when": when},
            )
        return obj.get_status_display()

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
        self._apply(
            request,
            queryset,
            services.publish,
            _("%(n)d article(s) published."),
            _("Not published: %(t)s"),
        )

    @admin.action(description=gettext_lazy("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.unpublish,
            _("%(n)d article(s) unpublished."),
            _("Not unpublished: %(t)s"),
        )

    @admin.action(
        description=gettext_lazy("Send selected articles to review"), permissions=["change"]
    )
    def send_to_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.send_to_review,
            _("%(n)d article(s) sent to review."),
            _("Not sent to review: %(t)s"),
        )

    def _apply(self, request, queryset, step, done_message, refused_message):
        """Run one publication step on each article; report what was done and refused."""
        done, refused = 0, []
        for article in queryset:
            try:
                step(article, user=request.user)
            except (ValidationError, PermissionDenied) as refusal:
                refused.append(f"{article.title}: {' '.join(_messages_of(refusal))}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"n": done})
        if refused:
            self.message_user(
                request, refused_message % {"t": "; ".join(refused)}, messages.WARNING
            )

    # The change form: content is saved as typed; the status goes through the services.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not issubclass(form, ArticleForm):
            raise TypeError("ArticleAdmin's form must be an ArticleForm")
        form.may_publish = services.may_publish(request.user)
        form.uploader_id = request.user.pk
        if "publish_at" in form.base_fields:
            from staff.time_zones import typing_help

            field = form.base_fields["publish_at"]
            field.help_text = f"{field.help_text} {typing_help()}".strip()
        return form

    def save_model(self, request, obj, form, change):
        # The status is not the form's to set: save_related moves it, through the rules.
        obj.status = form.initial.get("status", Status.DRAFT) if change else Status.DRAFT
        self.refuse_a_brand_not_theirs(request, obj, change)
        form.save_through_services(obj, user=request.user)
        self.forget_draft(request, obj, change)
        kept_uploads.discard(form.files.get("hero_image"))  # saved in its own place now
        if form.proposal is not None:
            self.message_user(
                request,
                _(
                    "Your change is saved and waits for a medical review: the site shows "
                    "the approved version until the change is approved and put live. Send "
                    "it to medical review from this page."
                ),
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # topics first: review rules
        article = form.instance
        wanted = form.cleaned_data.get("status", article.status)
        if wanted != article.status or (
            wanted == Status.PUBLISHED and "publish_at" in form.changed_data
        ):
            moved = services.set_status(
                article, wanted, user=request.user, at=form.cleaned_data.get("publish_at")
            )
            article.status, article.publish_at = moved.status, moved.publish_at

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
            ),
            path(
                "<int:object_id>/discard-change/",
                self.admin_site.admin_view(require_POST(self.discard_change_view)),
                name="articles_article_discard_change",
            ),
            path(
                "<int:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(require_POST(self.translate_view)),
                name="articles_article_translate",
            ),
            path(
                "<int:object_id>/comments/<int:comment_id>/resolve/",
                self.admin_site.admin_view(require_POST(self.resolve_comment_view)),
                name="articles_article_resolve_comment",
            ),
            path(
                "<int:object_id>/put-live/",
                self.admin_site.admin_view(require_POST(self.put_live_view)),
                name="articles_article_put_live",
            ),
            path(
                "<int:object_id>/publish-now/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="articles_article_publish",
            ),
            path(
                "<int:object_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:object_id>/medical-review/",
                self.admin_site.admin_view(self.send_to_reviewer_view),
                name="articles_article_send_review",
            ),
            path(
                "<int:object_id>/medical-review/<int:review_id>/",
                self.admin_site.admin_view(self.decide_view),
                name="articles_article_review",
            ),
        ]
        return extra + super().get_urls()

    def translate_view(self, request, object_id, language):
        """Start the article's version in ``language`` (a draft copy), or open it."""
        from articles import translations

        article = self.get_object(request, str(object_id))
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        if not self.has_add_permission(request) or language not in dict(settings.LANGUAGES):
            raise PermissionDenied
        existed = translations.version_in(article, language)
        version = translations.start_translation(article, language, request.user)
        if existed is None:
            self.log_addition(request, version, [{"added": {}}])
            self.message_user(
                request,
                _(
                    "A draft in %(language)s is started from the English text: translate "
                    "its title, summary and text, then send it to medical review."
                )
                % {"language": translation.get_language_info(language)["name_translated"]},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[version.pk]))

    def resolve_comment_view(self, request, object_id, comment_id):
        """The editor marks a reviewer's comment resolved (it stays in the history)."""
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        found = article.review_comments.filter(pk=comment_id).first()
        if found is None:
            raise Http404(_("No such comment."))
        review.resolve_comment(found, user=request.user)
        self.message_user(request, _("The comment is marked resolved."), messages.SUCCESS)
        url = reverse("admin:articles_article_change", args=[article.pk])
        return HttpResponseRedirect(url + "#review-comments")

    def put_live_view(self, request, object_id):
        """Put the approved change that waits live, in one step (from the dashboard)."""
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            services.put_change_live(article, user=request.user)
        except ValidationError as refusal:
            self.message_user(request, " ".join(_messages_of(refusal)), messages.ERROR)
        else:
            self.log_change(request, article, [{"changed": {"fields": ["approved change"]}}])
            self.message_user(
                request,
                _("The approved change to “%(title)s” is live.") % {"title": article.title},
                messages.SUCCESS,
            )
        return _back(request, article)

    def publish_view(self, request, object_id):
        """Publish now, or at the time given (the dashboard's one-click publish)."""
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        at = None
        if request.POST.get("at"):
            at = _typed_time(request.POST["at"])
            if at is None or at <= timezone.now():
                self.message_user(
                    request, _("Give a time in the future to schedule it."), messages.ERROR
                )
                return _back(request, article)
        try:
            published = services.publish(article, user=request.user, at=at)
        except (ValidationError, PermissionDenied) as refusal:
            self.message_user(request, " ".join(_messages_of(refusal)), messages.ERROR)
        else:
            self.log_change(request, published, [{"changed": {"fields": ["status"]}}])
            if published.is_live:
                done = _("“%(title)s” is published.") % {"title": published.title}
            else:
                when = date_format(timezone.localtime(published.publish_at), "DATETIME_FORMAT")
                done = _("“%(title)s” is scheduled for %(when)s.") % {
                    "title": published.title,
                    "when": when,
                }
            self.message_user(request, done, messages.SUCCESS)
        return _back(request, article)

    def discard_change_view(self, request, object_id):
        """Drop the change that waits for review; the approved version stays as it is."""
        article = self.get_object(request, str(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if services.discard_change(article, user=request.user):
            self.log_change(request, article, [{"changed": {"fields": ["proposed change"]}}])
            self.message_user(request, _("The proposed change is discarded."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # Revisions side by side -------------------------------------------------------

    def compare_view(self, request, object_id):
        """Two versions of the article side by side, as patients see them: the live
        one, the change that waits for review, or any saved revision."""
        from articles import changes

        article = self.get_object(request, str(object_id))
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = _versions_to_compare(article)
        # Live against the change that waits, or else the last two saved revisions.
        keys = [*versions, *versions][: len(versions) + 2]
        if "proposed" in versions:
            default_a, default_b = "live", "proposed"
        else:
            default_b = keys[1] if len(versions) > 1 else "live"
            default_a = keys[2] if len(versions) > 2 else default_b
        key_a = request.GET.get("a") if request.GET.get("a") in versions else default_a
        key_b = request.GET.get("b") if request.GET.get("b") in versions else default_b
        (label_a, older), (label_b, newer) = versions[key_a], versions[key_b]
        # The history does not record topics: compared only between live and proposed.
        both_current = {key_a, key_b} <= {"live", "proposed"}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Compare revisions"),
            "versions": [(key, label) for key, (label, _content) in versions.items()],
            "key_a": key_a,
            "key_b": key_b,
            "before_label": label_a,
            "after_label": label_b,
            "changes": changes.between(older, newer, compare_topics=both_current),
            "preview_url": self.preview_link(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def preview_link(self, request, article) -> str:
        """The staff preview on the article's first brand this user sees (the change that
        waits, where there is one)."""
        visible = self.brand_ids(request, "view")
        brands = [b for b in article.brands.all() if visible is None or b.pk in visible]
        if not brands:
            return ""
        here = next((b for b in brands if b.pk == getattr(request.brand, "pk", None)), brands[0])
        path = reverse("articles:preview", args=[article.pk])
        return back_office.preview_url(request, here, path)

    # Medical review ---------------------------------------------------------------

    def send_to_reviewer_view(self, request, object_id):
        """Send the article, as saved, to a named reviewer."""
        article = self.get_object(request, str(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = SendForReviewForm(
            request.POST if request.method == "POST" else None, article=article, user=request.user
        )
        if request.method == "POST" and form.is_valid():
            try:
                sent = review.send(
                    article,
                    user=request.user,
                    clinician=form.cleaned_data.get("clinician"),
                    outside=form.cleaned_data.get("outside_reviewer"),
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                self.message_user(
                    request,
                    _("Sent to %(name)s for medical review.") % {"name": sent.reviewer_name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Send to medical review"),
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/article/send_review.html", context)

    def decide_view(self, request, object_id, review_id):
        """The reviewer's page in the back office: the text as sent, and the decision."""
        found = (
            MedicalReview.objects.across_brands()
            .select_related("article", "clinician")
            .filter(pk=review_id, article_id=object_id, clinician__account=request.user)
            .first()
        )
        if found is None:
            raise Http404(_("No such review of yours."))
        form, comment_form, done = review_forms.handle(request, found)
        if done == "commented":
            self.message_user(request, _("Your comment is added."), messages.SUCCESS)
            return HttpResponseRedirect(request.path + "#review-comments")
        if done == "decided":
            self.message_user(request, _("Your decision is recorded."), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:index"))
        from articles import changes

        context = {
            **self.admin_site.each_context(request),
            **changes.for_review(found, found.article),
            "opts": self.opts,
            "title": _("Medical review"),
            "review": found,
            "article": found.article,
            "current": found.covers(found.article),
            "form": form,
            "comment_form": comment_form,
            "comments": list(found.comments.all()),
            "preview_url": self.preview_link(request, found.article),
        }
        return TemplateResponse(request, "admin/articles/article/decide_review.html", context)

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
        url = links.on_site(brand, reverse("articles:review", args=[token]), request)
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
                    links.on_site(brand, obj.get_absolute_url(), request)
                    if obj.is_live
                    # A staff preview: signed in on the brand's own site (the back office
                    # hands over when it has a host of its own).
                    else back_office.preview_url(
                        request, brand, reverse("articles:preview", args=[obj.pk])
                    ),
                )
                for brand in obj.brands.prefetch_related("domains")
                if visible is None or brand.pk in visible
            ]
            context["is_live"] = obj.is_live
            if not self.has_change_permission(request, obj):
                context["read_only_reason"] = self.read_only_reason(request, obj)
            if obj.status == Status.PUBLISHED and obj.publish_at and not obj.is_live:
                context["scheduled_for"] = timezone.localtime(obj.publish_at)
            context["review_rounds"] = list(obj.reviews.prefetch_related("comments")[:10])
            comments = list(obj.review_comments.select_related("resolved_by"))
            context["review_comments"] = comments
            context["open_comments"] = [c for c in comments if c.resolved_at is None]
            context["resolved_comments"] = [c for c in comments if c.resolved_at is not None]
            context["approval"] = review.approval_for(obj)
            if obj.proposed_at:
                context["change_approval"] = review.approval_for(obj, of_change=True)
            context.update(self._language_context(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _language_context(obj) -> dict:
        """The article's versions in other languages, and those it could have."""
        from articles import translations

        versions = [version for version in obj.family() if version.pk != obj.pk]
        return {
            "other_versions": [
                (translation.get_language_info(v.language)["name_translated"], v) for v in versions
            ],
            "translatable_into": [
                (code, translation.get_language_info(code)["name_translated"])
                for code in translations.languages_wanted(obj)
            ],
        }


def _typed_time(value: str):
    """A time typed in a ``datetime-local`` box, in the staff member's zone; None when
    it is no time (or one the clocks skip)."""
    field = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    try:
        return field.clean(value[:40])
    except ValidationError:
        return None


def _back(request, article) -> HttpResponseRedirect:
    """Back to the dashboard when the step was taken there, else to the article."""
    if request.POST.get("next") == "dashboard":
        return HttpResponseRedirect(reverse("admin:index"))
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def _versions_to_compare(article) -> dict:
    """{key: (label, content)}: the waiting change, the saved article, then its last
    hundred revisions, newest first."""
    from articles.content import Content

    versions = {}
    waiting = article.proposed_content
    if waiting is not None:
        when = date_format(timezone.localtime(article.proposed_at), "DATETIME_FORMAT")
        versions["proposed"] = (
            _("Proposed change, waiting for review (%(when)s)") % {"when": when},
            waiting,
        )
    shown = _("Live on the site") if article.is_live else _("As saved")
    versions["live"] = (str(shown), article.live_content())
    fields = ["history_id", "history_date", "history_user", "status", *CONTENT_COLUMNS]
    for row in article.history.order_by("-history_id").only(*fields)[:100]:
        label = " · ".join(
            [
                date_format(timezone.localtime(row.history_date), "DATETIME_FORMAT"),
                str(row.history_user or "—"),
                str(row.get_status_display()),
            ]
        )
        content = Content(
            title=row.title or "",
            summary=row.summary or "",
            body=row.body or "",
            hero_image=row.hero_image.name or "" if row.hero_image else "",
            hero_alt=row.hero_alt or "",
            main_topic=row.main_topic_id,
            seo_title=row.seo_title or "",
            seo_description=row.seo_description or "",
            social_image=row.social_image.name or "" if row.social_image else "",
            social_image_alt=row.social_image_alt or "",
        )
        versions[f"h{row.history_id}"] = (label, content)
    return versions


CONTENT_COLUMNS = (
    "title",
    "summary",
    "body",
    "hero_image",
    "hero_alt",
    "seo_title",
    "seo_description",
    "social_image",
    "social_image_alt",
)


def _messages_of(refusal) -> list[str]:
    if isinstance(refusal, ValidationError):
        return [str(message) for message in refusal.messages]
    return [str(refusal) or _("not allowed")]


# The image library for rich text registers itself (its picker serves the editor).
from articles import admin_images  # noqa: E402, F401
