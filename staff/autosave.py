"""Autosave of back-office content forms: what staff type survives a dead browser.

While a member of staff types in an article's (or a page's, a treatment's, a
clinician's) form, the browser sends the form's fields every few seconds to the
form's own ``autosave/`` address; the server keeps one ``FormDraft`` per person and
form, overwritten each time (never a revision: the history records only saves).
Opening the form again offers the draft back when it is newer than what is saved;
saving the form, or "Discard", removes it.

Only content forms opt in (``AutosaveAdminMixin``): never the consultation inbox, whose
fields are a patient's. Files are not kept (the hero image has its own keeping:
portal/kept_uploads.py).
"""

import json
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.admin_mixins import ModelAdminMixin
from staff.models import FormDraft

MAX_BYTES = 512 * 1024  # a long article with its fields is far less
MAX_FIELDS = 400
KEPT_FOR = timedelta(days=30)
# Buttons and tokens, not what was typed.
NOT_KEPT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "kept_hero"}


def form_key(opts, object_id) -> str:
    return f"{opts.app_label}.{opts.model_name}:{object_id or 'add'}"


def cleaned(data) -> dict | None:
    """The posted fields as {name: text or [texts]}, or None when it is not that."""
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        return None
    kept: dict = {}
    for name, value in data.items():
        if not isinstance(name, str) or len(name) > 100 or name in NOT_KEPT:
            continue
        if isinstance(value, str):
            kept[name] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            kept[name] = value[:MAX_FIELDS]
        else:
            return None
    return kept


def keep(user, key: str, data: dict) -> FormDraft:
    draft, _created = FormDraft.objects.update_or_create(
        user=user, form_key=key, defaults={"data": data, "saved_at": timezone.now()}
    )
    return draft


def discard(user, key: str) -> None:
    FormDraft.objects.filter(user=user, form_key=key).delete()


def waiting(user, key: str, saved_at=None) -> FormDraft | None:
    """The draft of this form worth offering: newer than the object's last save."""
    draft = FormDraft.objects.filter(user=user, form_key=key).first()
    if draft is None or (saved_at is not None and draft.saved_at <= saved_at):
        return None
    return draft


def remove_stale(now=None) -> int:
    cutoff = (now or timezone.now()) - KEPT_FOR
    removed, _ = FormDraft.objects.filter(saved_at__lt=cutoff).delete()
    return removed


class AutosaveAdminMixin(ModelAdminMixin):
    """For a ModelAdmin: the autosave address, the draft offered back, and its removal
    once the form is saved. The model's ``autosave_saved_at`` field (default
    ``updated``) tells whether a draft is newer than the saved object."""

    # Its script (js/admin-autosave.js) is loaded on every admin page by
    # clinic.admin_a11y.AccessibleAdminMixin and does nothing where there is no autosave.
    autosave_saved_at = "updated"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_autosave"
        view = self.admin_site.admin_view(require_POST(self.autosave_view))
        return [
            path("add/autosave/", view, name=name + "_add"),
            path("<path:object_id>/autosave/", view, name=name),
            *super().get_urls(),
        ]

    def autosave_view(self, request, object_id=None):
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            found = self.get_object(request, object_id)
            if found is None:
                raise Http404
            if not self.has_change_permission(request, found):
                raise PermissionDenied
        key = form_key(self.model._meta, object_id)
        if request.POST.get("discard"):
            discard(request.user, key)
            return JsonResponse({"discarded": True})
        posted = request.POST.get("fields") or "null"
        if len(posted) > MAX_BYTES:
            return HttpResponseBadRequest("too large")
        try:
            data = cleaned(json.loads(posted))
        except ValueError:
            data = None
        if data is None:
            return HttpResponseBadRequest("not a form")
        draft = keep(request.user, key, data)
        return JsonResponse({"saved_at": draft.saved_at.isoformat()})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        opts = self.model._meta
        object_id = obj.pk if obj is not None and obj.pk else None
        may_edit = (
            self.has_change_permission(request, obj)
            if object_id
            else self.has_add_permission(request)
        )
        if may_edit:
            name = f"admin:{opts.app_label}_{opts.model_name}_autosave"
            context["autosave_url"] = (
                reverse(name, args=[object_id]) if object_id else reverse(name + "_add")
            )
            # A form sent back with errors shows what was typed already: nothing to offer.
            if request.method != "POST":
                saved_at = getattr(obj, self.autosave_saved_at, None) if object_id else None
                context["autosaved"] = waiting(request.user, form_key(opts, object_id), saved_at)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.forget_draft(request, obj, change)

    def forget_draft(self, request, obj, change) -> None:
        """The form is saved: its autosaved draft is of no more use (an admin that saves
        through a service calls this itself)."""
        discard(request.user, form_key(self.model._meta, obj.pk if change else None))
