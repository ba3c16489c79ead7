"""A brand's plain pages and its FAQ page."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.structured_data import breadcrumb_list
from pages.models import FaqEntry, Page
from pages.structured_data import faq_page


def published_faq(brand) -> list[FaqEntry]:
    return list(
        FaqEntry.objects.for_brand(brand)
        .filter(is_published=True)
        .select_related("topic")
        .order_by("order", "question")
    )


@require_safe
def page(request, slug):
    found = Page.objects.for_brand(request.brand).filter(slug=slug, is_published=True).first()
    if found is None:
        raise Http404(_("No such page."))
    crumbs = [(_("Home"), reverse("clinic:home")), (found.title, found.get_absolute_url())]
    return render(
        request,
        "pages/page.html",
        {"page": found, "breadcrumbs": breadcrumb_list(request, crumbs)},
    )


@require_safe
def faq(request):
    entries = published_faq(request.brand)
    # Questions without a topic come first, as "General".
    entries.sort(
        key=lambda entry: (entry.topic is not None, entry.topic.name if entry.topic else "")
    )
    groups = [
        (topic.name if topic else _("General"), list(items))
        for topic, items in groupby(entries, key=lambda entry: entry.topic)
    ]
    crumbs = [(_("Home"), reverse("clinic:home")), (_("Questions"), reverse("pages:faq"))]
    return render(
        request,
        "pages/faq.html",
        {
            "groups": groups,
            "structured_data": faq_page(entries) if entries else None,
            "breadcrumbs": breadcrumb_list(request, crumbs),
        },
    )
